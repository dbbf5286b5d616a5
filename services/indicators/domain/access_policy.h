// Who may report, approve and read which values: the plan's lead and responsible units, and the tree.
#ifndef STIP_SERVICES_INDICATORS_ACCESS_POLICY_H_
#define STIP_SERVICES_INDICATORS_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "common/caller.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/value_workflow.h"

namespace stip::indicators {

class AccessPolicy {
 public:
  explicit AccessPolicy(const PlanCatalog* catalog) : catalog_(catalog) {}

  // A bureau reports for measures it leads or is responsible for, about the district or any street/park;
  // a street/park reports about itself (or units below it) for measures the plan gives to 各街道园区 or to it.
  absl::Status CanReport(const Caller& caller, const MeasureDef& measure, absl::string_view org_unit) const;
  // The lead unit of the measure (or an admin) approves and sends back; when the plan names no lead unit,
  // only an admin does.
  absl::Status CanReview(const Caller& caller, const MeasureDef& measure) const;
  absl::Status CanReopen(const Caller& caller) const;
  // Who may take `action` (kSubmit, kApprove, kReject, kReopen) on a value of `measure` about `org_unit`.
  absl::Status CanTransition(const Caller& caller, const MeasureDef& measure, absl::string_view org_unit,
                             ValueAction action) const;
  // Park accounts read only their own part of the tree.
  bool CanRead(const Caller& caller, absl::string_view org_unit) const;
  // CanRead as a status: PERMISSION_DENIED with the reason.
  absl::Status CheckRead(const Caller& caller, absl::string_view org_unit) const;

 private:
  const PlanCatalog* catalog_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_ACCESS_POLICY_H_
