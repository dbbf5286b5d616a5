// Innovation carriers (载体): 综合孵化器, 专业孵化器, 众创空间, 大学科技园; their levels and the seed file.
// Plain C++: no gRPC, no storage.
#ifndef STIP_SERVICES_EVALUATION_CARRIER_H_
#define STIP_SERVICES_EVALUATION_CARRIER_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace stip::evaluation {

// Numbering matches the proto enums.
enum class CarrierKind {
  kUnspecified = 0,
  kComprehensiveIncubator = 1,
  kSpecializedIncubator = 2,
  kMakerspace = 3,
  kUniversityPark = 4
};
enum class CarrierLevel { kNone = 0, kDistrict = 1, kMunicipal = 2, kNational = 3 };

std::string KindCode(CarrierKind kind);  // comprehensive_incubator, …
std::string KindName(CarrierKind kind);  // 综合孵化器, …
// Accepts the code, the zh name or the proto enum name.
std::optional<CarrierKind> ParseKind(absl::string_view text);
std::string LevelCode(CarrierLevel level);  // none, district, municipal, national
std::string LevelName(CarrierLevel level);  // 未认定, 区级, 市级, 国家级
std::optional<CarrierLevel> ParseLevel(absl::string_view text);
bool IsIncubator(CarrierKind kind);

struct LevelGrant {
  CarrierLevel level = CarrierLevel::kNone;
  int year = 0;
  std::string document;
  int revoked_year = 0;  // 0 = still held
};

struct Contact {
  std::string name;
  std::string role;
  std::string phone;
  std::string email;
};

struct Carrier {
  std::string id;
  std::string display_name;
  CarrierKind kind = CarrierKind::kUnspecified;
  std::vector<LevelGrant> levels;
  std::string operator_name;
  std::string org_unit;
  std::vector<Contact> contacts;
  std::string university;
  std::string established_date;  // YYYY-MM-DD
  bool independent_legal_person = true;
  bool registered_in_tianjin = true;
  bool in_dongli = true;
  std::string note;
  std::string plan_task;
  int64_t version = 0;
  absl::Time update_time = absl::UnixEpoch();
};

// The highest level held at the end of `year` (granted in or before it and not revoked by then).
CarrierLevel LevelAt(const Carrier& carrier, int year);
// The highest level held now (grants not revoked).
CarrierLevel CurrentLevel(const Carrier& carrier);
// The year a level was first granted, if ever.
std::optional<int> GrantYear(const Carrier& carrier, CarrierLevel level);

struct Violation {
  std::string field;
  std::string message;
};

// Checks a carrier before it is stored; `org_units` are the known street/park/district codes.
std::vector<Violation> ValidateCarrier(const Carrier& carrier, const std::set<std::string>& org_units);
bool IsCarrierId(absl::string_view id);
bool IsDate(absl::string_view text);  // YYYY-MM-DD with a valid month and day

// The seed file data/carriers/*.json: {"format": "stip.carriers/v1", "carriers": [...]}.
absl::StatusOr<std::vector<Carrier>> ParseCarriers(absl::string_view json);
// Storage helpers: levels and contacts as JSON arrays.
std::string LevelsToJson(const std::vector<LevelGrant>& levels);
std::vector<LevelGrant> LevelsFromJson(absl::string_view json);
std::string ContactsToJson(const std::vector<Contact>& contacts);
std::vector<Contact> ContactsFromJson(absl::string_view json);

// Street, park and district codes of data/plans/*.json.
absl::StatusOr<std::set<std::string>> LoadOrgUnitCodes(const std::string& plans_dir);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_CARRIER_H_
