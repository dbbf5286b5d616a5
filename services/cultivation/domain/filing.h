// An annual filing's data as a map of named fields: an absent field is missing data (never zero). One table
// of fields drives storage (JSON), the CSV template, the proto (by field name) and the metrics.
#ifndef STIP_SERVICES_CULTIVATION_FILING_H_
#define STIP_SERVICES_CULTIVATION_FILING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::cultivation {

enum class FieldType { kInt, kMoney, kBool, kDate };

struct FilingField {
  const char* key;     // = the Filing proto field name
  const char* header;  // CSV header (zh)
  FieldType type;
};

const std::vector<FilingField>& FilingFields();
const FilingField* FindFilingField(absl::string_view key);

using FieldValue = std::variant<int64_t, bool, std::string>;
using FilingData = std::map<std::string, FieldValue, std::less<>>;

std::string FilingToJson(const FilingData& data);
absl::StatusOr<FilingData> FilingFromJson(absl::string_view json);

// A CSV cell → value: "" = missing; booleans 是/否 (also 1/0, true/false, Y/N); integers without separators;
// dates YYYY-MM-DD. Errors are a zh reason.
absl::StatusOr<std::optional<FieldValue>> ParseFieldText(const FilingField& field, absl::string_view text);
std::string FieldText(const FieldValue& value);

// Consistency rules of one filing (non-negative numbers, parts ≤ wholes); returns (field, zh reason) pairs.
std::vector<std::pair<std::string, std::string>> CheckFiling(const FilingData& data);

// Facts about the enterprise itself (not about a year), as the officer last recorded them; unset = not recorded,
// and the metrics fall back to the filings of the first edition (criteria.md, conventions 5).
struct EnterpriseFactFlags {
  std::optional<bool> independent_legal_person;  // 独立法人
  std::optional<bool> resident_enterprise;       // 居民企业 (S1)
  std::optional<bool> registered_in_tianjin;     // overrides the USCC's division code
  std::optional<bool> prohibited_catalogue;      // 产品属禁止/限制/淘汰类 (S3)
  bool operator==(const EnterpriseFactFlags& o) const {
    return independent_legal_person == o.independent_legal_person && resident_enterprise == o.resident_enterprise &&
           registered_in_tianjin == o.registered_in_tianjin && prohibited_catalogue == o.prohibited_catalogue;
  }
};
std::string FactsToJson(const EnterpriseFactFlags& facts);
EnterpriseFactFlags FactsFromJson(absl::string_view json);

std::optional<int64_t> IntField(const FilingData& data, absl::string_view key);
std::optional<bool> BoolField(const FilingData& data, absl::string_view key);
std::optional<std::string> TextField(const FilingData& data, absl::string_view key);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_FILING_H_
