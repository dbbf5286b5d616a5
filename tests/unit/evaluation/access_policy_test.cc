#include "services/evaluation/domain/access_policy.h"

#include "gtest/gtest.h"

namespace stip::evaluation {
namespace {

Caller Of(Role role, const char* org_unit = "") {
  return Caller{std::string("tester"), role, std::string(org_unit)};
}

TEST(AccessPolicy, OperatorSeesAndWritesOnlyItsCarrier) {
  Caller op = Of(Role::kPark, "cauc-park");
  EXPECT_TRUE(AccessPolicy::CanRead(op, "cauc-park").ok());
  EXPECT_TRUE(AccessPolicy::CanOperate(op, "cauc-park").ok());
  EXPECT_EQ(AccessPolicy::CanRead(op, "tsinghua-tj-park").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AccessPolicy::CanOperate(op, "tsinghua-tj-park").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AccessPolicy::CanManage(op).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(AccessPolicy::SeesAll(op));
}

TEST(AccessPolicy, BureauSeesAllAndManages) {
  Caller bureau = Of(Role::kBureau, "kjj");
  EXPECT_TRUE(AccessPolicy::CanRead(bureau, "cauc-park").ok());
  EXPECT_TRUE(AccessPolicy::CanOperate(bureau, "cauc-park").ok());
  EXPECT_TRUE(AccessPolicy::CanManage(bureau).ok());
  EXPECT_EQ(AccessPolicy::CanPublish(bureau).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(AccessPolicy::CanPublish(Of(Role::kAdmin)).ok());
}

TEST(AccessPolicy, ViewerReadsOnly) {
  Caller viewer = Of(Role::kViewer);
  EXPECT_TRUE(AccessPolicy::CanRead(viewer, "cauc-park").ok());
  EXPECT_EQ(AccessPolicy::CanOperate(viewer, "cauc-park").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AccessPolicy::CanManage(viewer).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace stip::evaluation
