#include "services/indicators/domain/value_workflow.h"

#include "gtest/gtest.h"

namespace stip::indicators {
namespace {

TEST(ValueWorkflowTest, HappyPath) {
  EXPECT_EQ(*NextState(std::nullopt, ValueAction::kReport), ValueState::kDraft);
  EXPECT_EQ(*NextState(std::nullopt, ValueAction::kReportAndSubmit), ValueState::kSubmitted);
  EXPECT_EQ(*NextState(ValueState::kDraft, ValueAction::kSubmit), ValueState::kSubmitted);
  EXPECT_EQ(*NextState(ValueState::kSubmitted, ValueAction::kApprove), ValueState::kApproved);
  EXPECT_EQ(*NextState(ValueState::kSubmitted, ValueAction::kReject), ValueState::kDraft);
  EXPECT_EQ(*NextState(ValueState::kApproved, ValueAction::kReopen), ValueState::kDraft);
}

TEST(ValueWorkflowTest, ResubmissionReplacesDraftOrSubmitted) {
  EXPECT_EQ(*NextState(ValueState::kSubmitted, ValueAction::kReport), ValueState::kDraft);
  EXPECT_EQ(*NextState(ValueState::kDraft, ValueAction::kReportAndSubmit), ValueState::kSubmitted);
  EXPECT_EQ(*NextState(ValueState::kSubmitted, ValueAction::kUpdate), ValueState::kSubmitted);
}

TEST(ValueWorkflowTest, ApprovedIsLocked) {
  for (ValueAction action : {ValueAction::kReport, ValueAction::kReportAndSubmit, ValueAction::kUpdate,
                             ValueAction::kSubmit, ValueAction::kApprove, ValueAction::kReject}) {
    absl::StatusOr<ValueState> next = NextState(ValueState::kApproved, action);
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(next.status().message().find("已审核"), absl::string_view::npos) << next.status();
  }
}

TEST(ValueWorkflowTest, RefusedTransitionsNameTheCurrentState) {
  EXPECT_EQ(NextState(ValueState::kDraft, ValueAction::kApprove).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(NextState(ValueState::kDraft, ValueAction::kReject).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(NextState(ValueState::kSubmitted, ValueAction::kSubmit).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(NextState(ValueState::kSubmitted, ValueAction::kReopen).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(NextState(std::nullopt, ValueAction::kApprove).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(NextState(ValueState::kDraft, ValueAction::kApprove).status().message().find("草稿"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace stip::indicators
