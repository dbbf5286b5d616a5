#include "common/grpc_status.h"

#include "gtest/gtest.h"

namespace stip {
namespace {

TEST(StatusTest, FieldViolationsTravelAsBadRequestDetails) {
  FieldViolations violations;
  violations.Add("year", "年份必须在计划期内");
  violations.Add("value", "不能为负数");
  grpc::Status status = ToGrpcStatus(violations.ToStatus("请检查填报内容"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "请检查填报内容");
  auto found = FieldViolationsOf(status);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, "year");
  EXPECT_EQ(found[1].second, "不能为负数");
}

TEST(StatusTest, NoViolationsIsOk) {
  EXPECT_TRUE(FieldViolations().ToStatus().ok());
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusTest, CodesArePreserved) {
  EXPECT_EQ(ToGrpcStatus(absl::PermissionDeniedError("x")).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("x")).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_TRUE(FieldViolationsOf(ToGrpcStatus(absl::NotFoundError("x"))).empty());
}

}  // namespace
}  // namespace stip
