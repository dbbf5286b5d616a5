// ValueReporting, the use case, built directly on a real SQLite store (no gRPC): validation, scope, the ratio
// rule, the workflow and its history, and optimistic concurrency.
#include "services/indicators/domain/value_reporting.h"

#include <filesystem>

#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/indicators/domain/progress_report.h"
#include "services/indicators/store/sqlite/sqlite_indicator_store.h"
#include "tests/unit/indicators/test_catalog.h"

namespace stip::indicators {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kStock[] = "plans/t/indicators/stock";
constexpr char kRatio[] = "plans/t/indicators/ratio";

class ValueReportingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = TestCatalog();
    ASSERT_NE(catalog_, nullptr);
    path_ =
        (std::filesystem::temp_directory_path() / ("value-reporting-" + std::to_string(::getpid()) + ".db")).string();
    std::filesystem::remove(path_);
    auto store = SqliteIndicatorStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->SyncCatalog(*catalog_).ok());
    values_ = std::make_unique<ValueReporting>(catalog_.get(), store_.get(), nullptr);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  static Caller As(Role role, const std::string& unit) { return Caller{"tester", role, unit}; }
  static ValueReport Report(const std::string& measure, const std::string& unit, double value) {
    ValueReport report;
    report.measure = measure;
    report.year = 2021;
    report.org_unit = unit;
    report.value = value;
    return report;
  }

  std::unique_ptr<PlanCatalog> catalog_;
  std::string path_;
  std::unique_ptr<SqliteIndicatorStore> store_;
  std::unique_ptr<ValueReporting> values_;
};

TEST_F(ValueReportingTest, ParkReportsForItselfOnlyAndNothingIsWrittenWhenRefused) {
  EXPECT_TRUE(values_->Report(As(Role::kPark, "p1"), Report(kStock, "p1", 12)).ok());
  absl::StatusOr<StoredValue> other = values_->Report(As(Role::kPark, "p1"), Report(kStock, "s1", 5));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(values_->Get(As(Role::kAdmin, ""), {kStock, 2021, "s1"}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ValueReportingTest, InvalidInputNamesTheFields) {
  ValueReport report = Report(kStock, "kjj", 1.5);  // a bureau holds no values; 家 are whole
  report.year = 2030;
  absl::Status status = values_->Report(As(Role::kAdmin, ""), report).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsIn(status), ElementsAre(Pair("year", HasSubstr("2020–2022")),
                                                     Pair("org_unit", ::testing::_), Pair("value", HasSubstr("整数"))));
}

TEST_F(ValueReportingTest, RatioPartsMustAgreeWithTheValueAndFillItWhenAbsent) {
  ValueReport report = Report(kRatio, "d", 0);
  report.numerator = 3;
  report.denominator = 12;
  absl::StatusOr<StoredValue> saved = values_->Report(As(Role::kBureau, "gxj"), report);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_DOUBLE_EQ(saved->value, 25.0);
  report.value = 30;
  absl::Status mismatch = values_->Report(As(Role::kBureau, "gxj"), report).status();
  EXPECT_THAT(FieldViolationsIn(mismatch), ElementsAre(Pair("value", HasSubstr("不一致"))));
  report.numerator = 13;
  EXPECT_THAT(FieldViolationsIn(values_->Report(As(Role::kBureau, "gxj"), report).status()),
              ElementsAre(Pair("numerator", HasSubstr("分子不能大于分母"))));
}

TEST_F(ValueReportingTest, WorkflowWithHistoryAndTheLeadUnitApproves) {
  ValueReport report = Report(kStock, "p1", 12);
  report.submit = true;
  ASSERT_TRUE(values_->Report(As(Role::kPark, "p1"), report).ok());
  ValueKey key{kStock, 2021, "p1"};
  EXPECT_EQ(values_->Transition(As(Role::kBureau, "gxj"), key, ValueAction::kApprove, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<StoredValue> approved =
      values_->Transition(As(Role::kBureau, "kjj"), key, ValueAction::kApprove, "ok", "");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state, ValueState::kApproved);
  // Approved values are locked until an admin reopens them.
  EXPECT_EQ(values_->Report(As(Role::kPark, "p1"), Report(kStock, "p1", 13)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::vector<ValueRevisionRecord>> history = values_->Revisions(As(Role::kAdmin, ""), key, 0, 10);
  ASSERT_TRUE(history.ok());
  EXPECT_THAT(*history, ElementsAre(Field(&ValueRevisionRecord::action, "report+submit"),
                                    Field(&ValueRevisionRecord::action, "approve")));
}

TEST_F(ValueReportingTest, StaleEtagIsAbortedAndEditRecomputesFromParts) {
  ValueReport report = Report(kRatio, "d", 0);
  report.numerator = 1;
  report.denominator = 4;
  ASSERT_TRUE(values_->Report(As(Role::kAdmin, ""), report).ok());
  ValueKey key{kRatio, 2021, "d"};
  ValueEdit edit;
  edit.paths = {"numerator"};
  edit.numerator = 2;
  edit.etag = "99";
  EXPECT_EQ(values_->Edit(As(Role::kAdmin, ""), key, edit).status().code(), absl::StatusCode::kAborted);
  edit.etag = "";
  absl::StatusOr<StoredValue> edited = values_->Edit(As(Role::kAdmin, ""), key, edit);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_DOUBLE_EQ(edited->value, 50.0);
}

TEST_F(ValueReportingTest, ProgressUsesApprovedValuesOnly) {
  ValueReport report = Report(kStock, "p1", 12);
  ASSERT_TRUE(values_->Report(As(Role::kPark, "p1"), report).ok());
  ProgressReport progress(catalog_.get(), store_.get(), nullptr);
  absl::StatusOr<PlanProgressView> draft = progress.Progress("plans/t", 2021, false);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_FALSE(draft->indicators[0].current.has_value);
  ASSERT_TRUE(values_->Transition(As(Role::kPark, "p1"), {kStock, 2021, "p1"}, ValueAction::kSubmit, "", "").ok());
  absl::StatusOr<PlanProgressView> submitted = progress.Progress("plans/t", 2021, true);
  ASSERT_TRUE(submitted.ok());
  EXPECT_TRUE(submitted->indicators[0].current.has_value);
  EXPECT_DOUBLE_EQ(submitted->indicators[0].current.value, 12);
  EXPECT_EQ(progress.Progress("plans/t", 2019, false).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stip::indicators
