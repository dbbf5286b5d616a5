// The evaluation use cases (CarrierRegistry, AssessmentDesk, PerformanceEvaluator) built directly on a real
// SQLite store and the shipped rubrics and schemes, no gRPC: operator scope, the report a grade needs, typed
// records read back, superseded assessments, and the etag of a stored evaluation.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "services/evaluation/domain/assessment_desk.h"
#include "services/evaluation/domain/carrier_registry.h"
#include "services/evaluation/domain/document_library.h"
#include "services/evaluation/domain/performance_evaluator.h"
#include "services/evaluation/store/sqlite/sqlite_evaluation_store.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

class EvaluationUseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / absl::StrCat("eval-cases-", getpid());
    std::filesystem::create_directories(dir_);
    store_ = *SqliteEvaluationStore::Open((dir_ / "e.db").string());
    carriers_ = std::make_unique<CarrierRegistry>(store_.get(), &editions_, std::set<std::string>{"huaming"}, nullptr,
                                                  YearRange{});
    documents_ = std::make_unique<DocumentLibrary>(store_.get(), nullptr);
    ASSERT_TRUE(documents_->Seed(STIP_SOURCE_DATA_DIR).ok());
    assessments_ = std::make_unique<AssessmentDesk>(store_.get(), carriers_.get(), documents_.get(), nullptr);
    performance_ = std::make_unique<PerformanceEvaluator>(store_.get(), carriers_.get(), documents_.get(), nullptr);
    ASSERT_TRUE(carriers_->Create(kjj_, testing::Incubator()).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  AssessmentInput Liuyou(int year, double score) const {
    AssessmentInput input;
    input.year = year;
    for (const char* id : {"Y1", "Y2", "Y3", "Y4", "Y5", "Y6"})
      input.items.push_back({id, score, "证明材料", "", false});
    return input;
  }

  std::filesystem::path dir_;
  std::unique_ptr<EvaluationStore> store_;
  rules::EditionRegistry editions_;
  std::unique_ptr<CarrierRegistry> carriers_;
  std::unique_ptr<DocumentLibrary> documents_;
  std::unique_ptr<AssessmentDesk> assessments_;
  std::unique_ptr<PerformanceEvaluator> performance_;
  Caller kjj_{"officer", Role::kBureau, "kjj"};
  Caller operator_{"operator", Role::kPark, "demo-incubator"};
};

TEST_F(EvaluationUseCasesTest, OperatorsEditTheirOwnFieldsOnly) {
  CarrierPatch patch;
  patch.values.note = "新的备注";
  patch.paths = {"note"};
  EXPECT_TRUE(carriers_->Update(operator_, "carriers/demo-incubator", patch).ok());
  patch.paths = {"levels"};
  EXPECT_EQ(carriers_->Update(operator_, "carriers/demo-incubator", patch).status().code(),
            absl::StatusCode::kPermissionDenied);
  Caller other{"other", Role::kPark, "other-incubator"};
  EXPECT_EQ(carriers_->Get(other, "carriers/demo-incubator").status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(EvaluationUseCasesTest, AGradeNeedsTheYearsReportAndItsEtagGuardsAReplacement) {
  PerformanceRequest request{2021, {}, "", 0, ""};
  EXPECT_EQ(performance_->Evaluate(kjj_, "carriers/demo-incubator", request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(carriers_->SaveReport(operator_, "carriers/demo-incubator", testing::StrongReport(), true, "").ok());
  // The incubator scheme (data/performance/incubator.json) asks the experts for SC4 and SU3.
  absl::Status without = performance_->Evaluate(kjj_, "carriers/demo-incubator", request).status();
  EXPECT_EQ(without.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsIn(without).size(), 2u);
  request.expert_scores = {{"SC4", 80}, {"SU3", 75}};
  absl::StatusOr<PerformanceRecord> first = performance_->Evaluate(kjj_, "carriers/demo-incubator", request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version, 1);
  absl::StatusOr<PerformanceRecord> read = performance_->Get(kjj_, "demo-incubator", 2021);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->result.grade, first->result.grade);
  EXPECT_DOUBLE_EQ(read->result.total, first->result.total);
  EXPECT_EQ(read->result.indicators.size(), first->result.indicators.size());
  request.etag = "7";
  EXPECT_EQ(performance_->Evaluate(kjj_, "carriers/demo-incubator", request).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(performance_->Evaluate(operator_, "carriers/demo-incubator", request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(EvaluationUseCasesTest, ALaterAssessmentOfTheSameYearSupersedesTheEarlierOne) {
  absl::StatusOr<AssessmentRecord> first = assessments_->Assess(kjj_, "carriers/demo-incubator", Liuyou(2021, 10));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<AssessmentRecord> second = assessments_->Assess(kjj_, "carriers/demo-incubator", Liuyou(2021, 12));
  ASSERT_TRUE(second.ok());
  absl::StatusOr<std::vector<AssessmentRecord>> all = assessments_->List(kjj_, "carriers/demo-incubator", 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, second->id);
  EXPECT_FALSE((*all)[0].superseded);
  EXPECT_TRUE((*all)[1].superseded);
  absl::StatusOr<AssessmentRecord> read = assessments_->Get(kjj_, "demo-incubator", first->id);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->superseded);
  EXPECT_EQ(read->items.size(), 6u);
  EXPECT_FALSE(read->items[0].title.empty());
  EXPECT_EQ(assessments_->Assess(kjj_, "carriers/demo-incubator", Liuyou(1800, 10)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stip::evaluation
