// 载体库: incubators, maker spaces and university science parks (registration, level grants, the operator's own
// fields), their annual reports (年度报告) and recognition checks (认定条件) against the carrier rule editions.
#ifndef STIP_SERVICES_EVALUATION_DOMAIN_CARRIER_REGISTRY_H_
#define STIP_SERVICES_EVALUATION_DOMAIN_CARRIER_REGISTRY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "common/rules/edition_registry.h"
#include "common/year_range.h"
#include "services/evaluation/domain/annual_report.h"
#include "services/evaluation/domain/carrier.h"
#include "services/evaluation/domain/recognition.h"
#include "services/evaluation/store/evaluation_store.h"

namespace stip::evaluation {

struct CarrierFilter {
  CarrierKind kind = CarrierKind::kUnspecified;  // unspecified = any
  std::optional<CarrierLevel> level;             // current level; nullopt = any
  std::string org_unit;
};

// A carrier as read, with whether its latest evaluation puts its national status at risk.
struct CarrierView {
  Carrier carrier;
  bool national_status_at_risk = false;
};

// The fields an update names (update_mask) and their new values.
struct CarrierPatch {
  Carrier values;
  std::vector<std::string> paths;
  std::string etag;
};

class CarrierRegistry {
 public:
  CarrierRegistry(EvaluationStore* store, const rules::EditionRegistry* editions, std::set<std::string> org_units,
                  ChangeNotifier* notifier, YearRange years)
      : store_(store), editions_(editions), org_units_(std::move(org_units)), notifier_(notifier), years_(years) {}

  // The carrier when the caller may read it: `name` is carriers/{id} or a bare id.
  absl::StatusOr<Carrier> Readable(const Caller& caller, absl::string_view name,
                                   absl::string_view field = "name") const;
  absl::StatusOr<std::vector<Carrier>> List(const Caller& caller, const CarrierFilter& filter) const;
  absl::StatusOr<CarrierView> Get(const Caller& caller, absl::string_view name) const;
  absl::StatusOr<Carrier> Create(const Caller& caller, const Carrier& carrier);
  absl::StatusOr<Carrier> Update(const Caller& caller, absl::string_view name, const CarrierPatch& patch);

  // insert: CreateAnnualReport (ALREADY_EXISTS when filed); otherwise it replaces the filed report.
  absl::StatusOr<AnnualReport> SaveReport(const Caller& caller, absl::string_view carrier_name, AnnualReport report,
                                          bool insert, const std::string& etag);
  absl::StatusOr<AnnualReport> GetReport(const Caller& caller, absl::string_view carrier_id, int year) const;
  absl::StatusOr<std::vector<AnnualReport>> ListReports(const Caller& caller, absl::string_view carrier_name) const;
  // The carrier, the report of `year` and the checks of `program` (empty = every programme of its kind).
  absl::StatusOr<std::vector<RecognitionResult>> CheckRecognition(const Caller& caller, const Carrier& carrier,
                                                                  int year, absl::string_view program,
                                                                  absl::string_view edition) const;

  // The carrier rule editions (of `program`, or all), with where each came from.
  std::vector<std::pair<std::shared_ptr<const rules::RuleEdition>, std::string>> RecognitionEditions(
      const std::string& program) const;

  const YearRange& years() const { return years_; }

 private:
  void Published() const;

  EvaluationStore* store_;
  const rules::EditionRegistry* editions_;
  std::set<std::string> org_units_;
  ChangeNotifier* notifier_;
  YearRange years_;
};

// "carriers/{id}" (or a bare id) → id; INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<std::string> CarrierId(absl::string_view name, absl::string_view field);
// Every field an update may name, in the API's words.
const std::vector<std::string>& CarrierPaths();
// Copies the fields named in `paths` from `values` into `carrier`.
void MergeCarrier(const Carrier& values, const std::vector<std::string>& paths, Carrier& carrier);
// Field violations as an INVALID_ARGUMENT status (OK when there are none).
absl::Status ViolationsStatus(const std::vector<Violation>& violations);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_DOMAIN_CARRIER_REGISTRY_H_
