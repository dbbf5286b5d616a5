#include "services/indicators/domain/value_workflow.h"

#include "absl/strings/str_cat.h"

namespace stip::indicators {

absl::string_view ValueStateLabel(ValueState state) {
  switch (state) {
    case ValueState::kDraft: return "草稿 (draft)";
    case ValueState::kSubmitted: return "已报送 (submitted)";
    case ValueState::kApproved: return "已审核 (approved)";
  }
  return "";
}

absl::string_view ValueActionName(ValueAction action) {
  switch (action) {
    case ValueAction::kReport: return "report";
    case ValueAction::kReportAndSubmit: return "report";
    case ValueAction::kUpdate: return "update";
    case ValueAction::kSubmit: return "submit";
    case ValueAction::kApprove: return "approve";
    case ValueAction::kReject: return "reject";
    case ValueAction::kReopen: return "reopen";
  }
  return "";
}

absl::StatusOr<ValueState> NextState(std::optional<ValueState> current, ValueAction action) {
  auto refuse = [&](absl::string_view allowed) {
    return absl::FailedPreconditionError(absl::StrCat("该数值当前状态为",
                                                      current ? ValueStateLabel(*current) : "未填报 (not reported)",
                                                      "，不能", ValueActionName(action), "; ", allowed));
  };
  if (!current.has_value()) {
    if (action == ValueAction::kReport) return ValueState::kDraft;
    if (action == ValueAction::kReportAndSubmit) return ValueState::kSubmitted;
    return refuse("report a value first");
  }
  switch (action) {
    case ValueAction::kReport:
    case ValueAction::kReportAndSubmit:
    case ValueAction::kUpdate:
      if (*current == ValueState::kApproved) return refuse("approved values are locked; an admin can reopen it");
      if (action == ValueAction::kReportAndSubmit) return ValueState::kSubmitted;
      if (action == ValueAction::kReport) return ValueState::kDraft;
      return *current;
    case ValueAction::kSubmit:
      if (*current != ValueState::kDraft) return refuse("only a draft can be submitted");
      return ValueState::kSubmitted;
    case ValueAction::kApprove:
      if (*current != ValueState::kSubmitted) return refuse("only a submitted value can be approved");
      return ValueState::kApproved;
    case ValueAction::kReject:
      if (*current != ValueState::kSubmitted) return refuse("only a submitted value can be sent back");
      return ValueState::kDraft;
    case ValueAction::kReopen:
      if (*current != ValueState::kApproved) return refuse("only an approved value can be reopened");
      return ValueState::kDraft;
  }
  return refuse("unknown action");
}

}  // namespace stip::indicators
