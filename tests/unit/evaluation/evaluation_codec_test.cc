// The store's JSON columns: rows written before typed records (protobuf's JSON of the API messages) still read,
// and what the codec writes reads back the same.
#include "services/evaluation/store/sqlite/evaluation_codec.h"

#include "gtest/gtest.h"

namespace stip::evaluation {
namespace {

// As the first release stored a 六有 assessment: MessageToJsonString with proto field names, defaults omitted.
constexpr char kOldAssessment[] =
    R"({"year":2021,"rubric":"liuyou","rubric_version":1,"items":[{"item_id":"Y1","score":16,)"
    R"("evidence":"场地租赁合同（10年）","title":"有场地","max_score":20,"met":true},{"item_id":"Y2","title":"有团队",)"
    R"("max_score":20}],"assessor":"kjj-officer","total":77,"max_total":100,"passed":true,"result":"达标",)"
    R"("items_met":6,"provisional":true,"recorded_by":"kjj-officer","create_time":"2026-11-30T08:00:00Z"})";

constexpr char kOldPerformance[] =
    R"({"name":"carriers/cauc-park/performanceEvaluations/2021","year":2021,"scheme":"general","scheme_version":1,)"
    R"("provisional":true,"total":59.13,"grade":"D","grade_display_name":"不合格","categories":[{"id":"service_capability",)"
    R"("title":"服务能力","weight":0.3,"score":52.5}],"indicators":[{"id":"SC3","title":"专家评分","category":"service_capability",)"
    R"("weight":0.2,"basis":"expert","actual":80,"score":80},{"id":"SC1","basis":"report:mentors","missing":true}],)"
    R"("cutoffs":["A ≥ 85","B ≥ 75"],"loses_national_status":true,"national_status_note":"连续两年不合格",)"
    R"("evaluator":"kjj-officer","update_time":"2026-11-30T08:00:00Z","etag":"3"})";

TEST(EvaluationCodecTest, ReadsAssessmentsStoredAsApiJson) {
  AssessmentRecord record;
  ASSERT_TRUE(AssessmentFromJson(kOldAssessment, record).ok());
  EXPECT_EQ(record.rubric, "liuyou");
  EXPECT_EQ(record.rubric_version, 1);
  ASSERT_EQ(record.items.size(), 2u);
  EXPECT_EQ(record.items[0].score.item_id, "Y1");
  EXPECT_DOUBLE_EQ(record.items[0].score.score, 16);
  EXPECT_TRUE(record.items[0].score.met);
  EXPECT_EQ(record.items[0].title, "有场地");
  EXPECT_DOUBLE_EQ(record.items[1].score.score, 0);  // omitted default
  EXPECT_FALSE(record.items[1].score.met);
  EXPECT_DOUBLE_EQ(record.total, 77);
  EXPECT_TRUE(record.passed);
  EXPECT_EQ(record.items_met, 6);
  EXPECT_TRUE(record.provisional);
  EXPECT_EQ(record.recorded_by, "kjj-officer");
}

TEST(EvaluationCodecTest, ReadsPerformanceStoredAsApiJson) {
  PerformanceRecord record;
  ASSERT_TRUE(PerformanceFromJson(kOldPerformance, record).ok());
  EXPECT_EQ(record.scheme, "general");
  EXPECT_DOUBLE_EQ(record.result.total, 59.13);
  ASSERT_EQ(record.result.categories.size(), 1u);
  EXPECT_DOUBLE_EQ(record.result.categories[0].score, 52.5);
  ASSERT_EQ(record.result.indicators.size(), 2u);
  EXPECT_EQ(record.result.indicators[0].basis, "expert");
  EXPECT_TRUE(record.result.indicators[1].missing);
  EXPECT_EQ(record.result.cutoffs, (std::vector<std::string>{"A ≥ 85", "B ≥ 75"}));
  EXPECT_TRUE(record.loses_national_status);
  EXPECT_EQ(record.national_status_note, "连续两年不合格");
  EXPECT_EQ(record.evaluator, "kjj-officer");
}

TEST(EvaluationCodecTest, WrittenRecordsReadBackTheSame) {
  AssessmentRecord assessment;
  ASSERT_TRUE(AssessmentFromJson(kOldAssessment, assessment).ok());
  AssessmentRecord again;
  ASSERT_TRUE(AssessmentFromJson(AssessmentToJson(assessment), again).ok());
  EXPECT_EQ(AssessmentToJson(again), AssessmentToJson(assessment));

  PerformanceRecord performance;
  ASSERT_TRUE(PerformanceFromJson(kOldPerformance, performance).ok());
  PerformanceRecord read;
  ASSERT_TRUE(PerformanceFromJson(PerformanceToJson(performance), read).ok());
  EXPECT_EQ(PerformanceToJson(read), PerformanceToJson(performance));
}

TEST(EvaluationCodecTest, CorruptRowsAreDataLossNotCrashes) {
  AssessmentRecord record;
  EXPECT_EQ(AssessmentFromJson("not json", record).code(), absl::StatusCode::kDataLoss);
  PerformanceRecord performance;
  EXPECT_EQ(PerformanceFromJson("[1,2]", performance).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace stip::evaluation
