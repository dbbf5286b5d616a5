// 报送与审核: a unit reports a value, edits it, submits it; the lead unit approves or sends it back; an admin
// reopens. Validation, authorisation, the ratio-consistency rule and the revision history live here.
#ifndef STIP_SERVICES_INDICATORS_DOMAIN_VALUE_REPORTING_H_
#define STIP_SERVICES_INDICATORS_DOMAIN_VALUE_REPORTING_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "services/indicators/domain/access_policy.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/value_workflow.h"
#include "services/indicators/store/indicator_store.h"

namespace stip::indicators {

// Identifies one value: plans/…/indicators/{code}/values/{year}-{orgUnit}.
struct ValueKey {
  std::string measure;
  int year = 0;
  std::string org_unit;
};

// What a unit reports. A ratio indicator may come as parts (numerator, denominator); value 0 then means
// "compute it from the parts".
struct ValueReport {
  std::string measure;
  int year = 0;
  std::string org_unit;
  double value = 0;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::string note;
  bool submit = false;
  std::string etag;
};

// A partial edit (AIP-134): the fields named in `paths` (value, note, numerator, denominator) take new values.
struct ValueEdit {
  std::vector<std::string> paths;  // empty = all four
  double value = 0;
  std::string note;
  double numerator = 0;
  double denominator = 0;
  std::string etag;
};

// Filters of ListValues; `org_unit` empty = all the caller may read.
struct ValueFilter {
  std::string measure;
  int year = 0;
  std::string org_unit;
  std::vector<ValueState> states;
};

class ValueReporting {
 public:
  ValueReporting(const PlanCatalog* catalog, IndicatorStore* store, ChangeNotifier* notifier)
      : catalog_(catalog), store_(store), notifier_(notifier), policy_(catalog) {}

  absl::StatusOr<StoredValue> Report(const Caller& caller, const ValueReport& report);
  absl::StatusOr<StoredValue> Edit(const Caller& caller, const ValueKey& key, const ValueEdit& edit);
  // kSubmit, kApprove, kReject or kReopen, with the reviewer's comment.
  absl::StatusOr<StoredValue> Transition(const Caller& caller, const ValueKey& key, ValueAction action,
                                         const std::string& comment, const std::string& etag);
  absl::StatusOr<StoredValue> Get(const Caller& caller, const ValueKey& key);
  // Deletes a draft (草稿) reported by mistake; anything submitted stays (FAILED_PRECONDITION).
  absl::Status Delete(const Caller& caller, const ValueKey& key, const std::string& etag);
  // The page of values and the query text its page tokens are bound to.
  absl::StatusOr<std::vector<StoredValue>> List(const Caller& caller, ValueFilter filter, int offset, int limit);
  absl::StatusOr<std::vector<ValueRevisionRecord>> Revisions(const Caller& caller, const ValueKey& key, int offset,
                                                             int limit);

 private:
  absl::Status Validate(const ValueReport& report, const MeasureDef& measure, double& value) const;
  absl::StatusOr<const MeasureDef*> Measure(absl::string_view name) const;
  absl::StatusOr<StoredValue> Existing(const ValueKey& key);
  absl::StatusOr<StoredValue> Save(const StoredValue& value, const ValueRevisionRecord& revision);
  absl::StatusOr<StoredValue> Write(const Caller& caller, const ValueReport& report, absl::string_view action);

  const PlanCatalog* catalog_;
  IndicatorStore* store_;
  ChangeNotifier* notifier_;
  AccessPolicy policy_;
};

// "plans/…/values/2021-huaming" → key; INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<ValueKey> ParseValueName(absl::string_view name, absl::string_view field);
std::string ValueName(const StoredValue& value);
// "orgUnits/huaming" or "huaming" → "huaming".
std::string OrgUnitCode(absl::string_view text);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_DOMAIN_VALUE_REPORTING_H_
