// Who may read and write what. An operator account is a park-role token whose org_unit claim equals the
// carrier id; bureau and admin see every carrier; viewer reads only.
#ifndef STIP_SERVICES_EVALUATION_ACCESS_POLICY_H_
#define STIP_SERVICES_EVALUATION_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/caller.h"

namespace stip::evaluation {

class AccessPolicy {
 public:
  // Reading a carrier and everything under it.
  static absl::Status CanRead(const Caller& caller, absl::string_view carrier_id);
  // Filing reports and editing the operator's own fields of a carrier.
  static absl::Status CanOperate(const Caller& caller, absl::string_view carrier_id);
  // Registering carriers, recording level grants, "六有" assessments and performance evaluations.
  static absl::Status CanManage(const Caller& caller);
  // Publishing rubric and performance-scheme versions.
  static absl::Status CanPublish(const Caller& caller);
  // True when the caller sees every carrier (not an operator account).
  static bool SeesAll(const Caller& caller) { return caller.role != Role::kPark; }
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_ACCESS_POLICY_H_
