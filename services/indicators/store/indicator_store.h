// Where reported values and their revisions are kept; SQLite now, PostgreSQL later, same interface.
#ifndef STIP_SERVICES_INDICATORS_INDICATOR_STORE_H_
#define STIP_SERVICES_INDICATORS_INDICATOR_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/value_workflow.h"

namespace stip::indicators {

struct StoredValue {
  int64_t id = 0;  // 0 = not stored yet
  std::string measure;
  int year = 0;
  std::string org_unit;
  double value = 0;
  std::optional<double> numerator;
  std::optional<double> denominator;
  std::string note;
  ValueState state = ValueState::kDraft;
  std::string reporter;
  std::string reporter_unit;
  absl::Time update_time;
  std::string approver;
  std::optional<absl::Time> approve_time;
  std::string review_comment;
  int64_t version = 0;
};

struct ValueRevisionRecord {
  int64_t revision = 0;
  std::string action;
  std::string actor;
  std::string actor_unit;
  absl::Time time;
  std::optional<double> old_value;
  double new_value = 0;
  std::optional<ValueState> old_state;
  ValueState new_state = ValueState::kDraft;
  std::string comment;
};

struct ValueQuery {
  std::vector<std::string> measures;  // empty = all
  std::optional<int> year;
  std::optional<int> max_year;
  std::string org_unit;            // exact unit; empty = all
  std::vector<ValueState> states;  // empty = all
  int offset = 0;
  int limit = 0;  // 0 = no limit
};

class IndicatorStore {
 public:
  virtual ~IndicatorStore() = default;
  // Records the catalog's org units and measures (idempotent; run at every start).
  virtual absl::Status SyncCatalog(const PlanCatalog& catalog) = 0;
  virtual absl::StatusOr<std::optional<StoredValue>> FindValue(absl::string_view measure, int year,
                                                               absl::string_view org_unit) = 0;
  virtual absl::StatusOr<std::vector<StoredValue>> ListValues(const ValueQuery& query) = 0;
  // Inserts (value.id == 0) or updates the value if its stored version still equals `value.version`
  // (otherwise ABORTED), bumps the version and appends `revision`, all in one transaction.
  virtual absl::StatusOr<StoredValue> SaveValue(const StoredValue& value, const ValueRevisionRecord& revision) = 0;
  // Removes the value and its revisions (a draft reported by mistake).
  virtual absl::Status DeleteValue(int64_t value_id) = 0;
  virtual absl::StatusOr<std::vector<ValueRevisionRecord>> ListRevisions(int64_t value_id, int offset, int limit) = 0;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_INDICATOR_STORE_H_
