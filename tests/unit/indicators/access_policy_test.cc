#include "services/indicators/domain/access_policy.h"

#include "gtest/gtest.h"
#include "tests/unit/indicators/test_catalog.h"

namespace stip::indicators {
namespace {

class AccessPolicyTest : public ::testing::Test {
 protected:
  std::unique_ptr<PlanCatalog> catalog_ = TestCatalog();
  AccessPolicy policy_{catalog_.get()};
  const MeasureDef& Measure(const char* name) { return *catalog_->FindMeasure(name); }
  const MeasureDef& stock_ = Measure("plans/t/indicators/stock");
  const MeasureDef& ratio_ = Measure("plans/t/indicators/ratio");
  const MeasureDef& milestone_ = Measure("plans/t/keyTasks/1/milestones/m");
};

TEST_F(AccessPolicyTest, AdminDoesEverything) {
  Caller admin{"a", Role::kAdmin, ""};
  EXPECT_TRUE(policy_.CanReport(admin, ratio_, "d").ok());
  EXPECT_TRUE(policy_.CanReview(admin, ratio_).ok());
  EXPECT_TRUE(policy_.CanReopen(admin).ok());
}

TEST_F(AccessPolicyTest, ViewerWritesNothing) {
  Caller viewer{"v", Role::kViewer, ""};
  EXPECT_EQ(policy_.CanReport(viewer, stock_, "d").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(policy_.CanReview(viewer, stock_).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(policy_.CanRead(viewer, "s1"));
}

TEST_F(AccessPolicyTest, BureauReportsWhatThePlanGivesIt) {
  Caller gxj{"g", Role::kBureau, "gxj"};
  EXPECT_TRUE(policy_.CanReport(gxj, ratio_, "d").ok());
  EXPECT_EQ(policy_.CanReport(gxj, stock_, "d").code(), absl::StatusCode::kPermissionDenied);
  Caller kjj{"k", Role::kBureau, "kjj"};
  EXPECT_TRUE(policy_.CanReport(kjj, stock_, "s1").ok());
}

TEST_F(AccessPolicyTest, ParkReportsOnlyForItselfAndOnlyWhereResponsible) {
  Caller park{"p", Role::kPark, "p1"};
  EXPECT_TRUE(policy_.CanReport(park, stock_, "p1").ok());
  EXPECT_EQ(policy_.CanReport(park, stock_, "s1").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(policy_.CanReport(park, stock_, "d").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(policy_.CanReport(park, ratio_, "p1").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(policy_.CanReport(park, milestone_, "p1").ok());  // named responsible unit of the task
  EXPECT_TRUE(policy_.CanRead(park, "p1"));
  EXPECT_FALSE(policy_.CanRead(park, "s1"));
}

TEST_F(AccessPolicyTest, OnlyTheLeadUnitReviews) {
  EXPECT_TRUE(policy_.CanReview({"k", Role::kBureau, "kjj"}, stock_).ok());
  EXPECT_EQ(policy_.CanReview({"g", Role::kBureau, "gxj"}, stock_).code(), absl::StatusCode::kPermissionDenied);
  // No lead unit named in the plan: only admins review, even the responsible bureau cannot approve itself.
  EXPECT_EQ(policy_.CanReview({"g", Role::kBureau, "gxj"}, ratio_).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(policy_.CanReopen({"k", Role::kBureau, "kjj"}).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace stip::indicators
