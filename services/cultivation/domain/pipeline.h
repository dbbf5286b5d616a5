// The 四个一批 state machine: 遴选 SCREENED → 入库 POOLED → 培育 CULTIVATING → 认定 CERTIFIED, with the exits
// EXPIRED (certification ran out) and WITHDRAWN (流失, with a reason). Plain C++.
#ifndef STIP_SERVICES_CULTIVATION_PIPELINE_H_
#define STIP_SERVICES_CULTIVATION_PIPELINE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {

enum class WithdrawalReason { kUnspecified = 0, kMovedOut = 1, kDeregistered = 2, kLostQualification = 3, kOther = 4 };
std::string WithdrawalReasonName(WithdrawalReason reason);  // zh

// The stages reachable from `from` (kNone = no pipeline yet).
std::vector<Stage> AllowedTransitions(Stage from);

// OK when from → to is allowed and carries what it needs (a withdrawal reason; a note for "other").
// FAILED_PRECONDITION names the current stage and the allowed next stages; INVALID_ARGUMENT for a missing
// reason.
absl::Status CheckTransition(Stage from, Stage to, WithdrawalReason reason, const std::string& note);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_PIPELINE_H_
