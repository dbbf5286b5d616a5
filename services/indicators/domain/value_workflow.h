// The life of a reported value: 草稿 draft → 已报送 submitted → 已审核 approved (locked), with reject and reopen.
#ifndef STIP_SERVICES_INDICATORS_VALUE_WORKFLOW_H_
#define STIP_SERVICES_INDICATORS_VALUE_WORKFLOW_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::indicators {

enum class ValueState { kDraft, kSubmitted, kApproved };

enum class ValueAction {
  kReport,  // create or replace the number (with submit = false)
  kReportAndSubmit,
  kUpdate,  // change number or note, state unchanged
  kSubmit,
  kApprove,
  kReject,  // back to the reporting unit
  kReopen,  // an admin unlocks an approved value
};

absl::string_view ValueStateLabel(ValueState state);  // 草稿 / 已报送 / 已审核
absl::string_view ValueActionName(ValueAction action);

// The state after `action` from `current` (nullopt = no value yet), or FAILED_PRECONDITION that names the
// current state and what is allowed instead.
absl::StatusOr<ValueState> NextState(std::optional<ValueState> current, ValueAction action);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_VALUE_WORKFLOW_H_
