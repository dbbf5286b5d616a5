#include "services/evaluation/domain/performance.h"

#include "gtest/gtest.h"
#include "services/evaluation/domain/annual_report.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

PerformanceScheme Load(const char* file) {
  auto scheme = ParsePerformanceScheme(testing::ReadData(std::string("performance/") + file));
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return *scheme;
}

constexpr char kSmall[] = R"({
  "format": "stip.performance/v1", "scheme": "small", "title": "t", "kinds": ["makerspace"],
  "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}],
  "categories": [
    {"id": "service_capability", "zh": "服务能力", "weight": 1, "indicators": [
      {"id": "R1", "zh": "导师", "metric": "mentors", "full_at": 10, "weight": 1},
      {"id": "E1", "zh": "专家", "expert": true, "weight": 1}]},
    {"id": "social_contribution", "zh": "社会贡献", "weight": 3, "indicators": [
      {"id": "R2", "zh": "就业", "metric": "jobs_created", "full_at": 100, "weight": 1}]}]})";

TEST(Performance, ShippedSchemesCoverEveryKindWithFourCategories) {
  std::vector<PerformanceScheme> schemes = {Load("incubator.json"), Load("specialized_incubator.json"),
                                            Load("general.json")};
  for (CarrierKind kind : {CarrierKind::kComprehensiveIncubator, CarrierKind::kSpecializedIncubator,
                           CarrierKind::kMakerspace, CarrierKind::kUniversityPark}) {
    const PerformanceScheme* scheme = SchemeForKind(schemes, kind);
    ASSERT_NE(scheme, nullptr) << KindCode(kind);
    EXPECT_TRUE(scheme->provisional);
    std::set<std::string> categories;
    for (const PerformanceCategory& c : scheme->categories) categories.insert(c.id);
    EXPECT_EQ(categories, (std::set<std::string>{"service_capability", "incubation_performance", "sustainability",
                                                 "social_contribution"}));
  }
  EXPECT_NE(SchemeForKind(schemes, CarrierKind::kComprehensiveIncubator)->scheme,
            SchemeForKind(schemes, CarrierKind::kSpecializedIncubator)->scheme);  // classified evaluation
}

TEST(Performance, WeightedScoreLinearCappedAndGraded) {
  auto scheme = ParsePerformanceScheme(kSmall);
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  rules::MapMetricSource m;
  m.Set("mentors", 5.0);         // 50
  m.Set("jobs_created", 200.0);  // capped at 100
  std::vector<Violation> v;
  auto result = ComputePerformance(*scheme, m, {{"E1", 70}}, &v);
  ASSERT_TRUE(result.ok());
  // service = (50 + 70) / 2 = 60; total = (60*1 + 100*3) / 4 = 90 → A (≥ 90 inclusive).
  EXPECT_DOUBLE_EQ(result->categories[0].score, 60);
  EXPECT_DOUBLE_EQ(result->total, 90);
  EXPECT_EQ(result->grade, Grade::kA);
  auto lower = ComputePerformance(*scheme, m, {{"E1", 69.96}}, &v);  // total 89.995 → rounds to 90.00 (2 dp)
  EXPECT_EQ(lower->grade, Grade::kA);
  auto b = ComputePerformance(*scheme, m, {{"E1", 69.9}}, &v);  // 89.99 → B
  EXPECT_DOUBLE_EQ(b->total, 89.99);
  EXPECT_EQ(b->grade, Grade::kB);
}

TEST(Performance, CutOffsAreInclusiveAndConfigurable) {
  auto scheme = ParsePerformanceScheme(kSmall);
  ASSERT_TRUE(scheme.ok());
  EXPECT_EQ(GradeFor(*scheme, 75), Grade::kB);
  EXPECT_EQ(GradeFor(*scheme, 74.99), Grade::kC);
  EXPECT_EQ(GradeFor(*scheme, 60), Grade::kC);
  EXPECT_EQ(GradeFor(*scheme, 59.99), Grade::kD);
  EXPECT_EQ(GradeFor(*scheme, 0), Grade::kD);
  std::string stricter = kSmall;
  stricter.replace(stricter.find("\"min\": 60"), 9, "\"min\": 65");
  auto strict = ParsePerformanceScheme(stricter);
  ASSERT_TRUE(strict.ok()) << strict.status();
  EXPECT_EQ(GradeFor(*strict, 60), Grade::kD);
}

TEST(Performance, MissingMetricScoresZeroAndIsListed) {
  auto scheme = ParsePerformanceScheme(kSmall);
  rules::MapMetricSource m;
  m.Set("jobs_created", 100.0);
  std::vector<Violation> v;
  auto result = ComputePerformance(*scheme, m, {{"E1", 100}}, &v);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->indicators[0].missing);
  EXPECT_DOUBLE_EQ(result->indicators[0].score, 0);
}

TEST(Performance, ExpertScoresAreRequiredAndBounded) {
  auto scheme = ParsePerformanceScheme(kSmall);
  rules::MapMetricSource m;
  std::vector<Violation> v;
  EXPECT_FALSE(ComputePerformance(*scheme, m, {}, &v).ok());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "expert_scores[E1]");
  v.clear();
  EXPECT_FALSE(ComputePerformance(*scheme, m, {{"E1", 101}, {"R1", 5}}, &v).ok());
  EXPECT_EQ(v.size(), 2u);
}

TEST(Performance, BadSchemesAreRejected) {
  std::string text = kSmall;
  text.replace(text.find("\"min\": 75"), 9, "\"min\": 95");  // not decreasing
  EXPECT_FALSE(ParsePerformanceScheme(text).ok());
  text = kSmall;
  text.replace(text.find("{\"grade\": \"D\", \"min\": 0}"), 24, "{\"grade\": \"D\", \"min\": 5}");
  EXPECT_FALSE(ParsePerformanceScheme(text).ok());
}

TEST(Performance, NationalCarrierGradedDTwoYearsRunningLosesStatus) {
  PerformanceScheme scheme = Load("incubator.json");
  EXPECT_EQ(scheme.loss_consecutive_years, 2);
  std::map<int, Grade> history = {{2020, Grade::kD}};
  EXPECT_TRUE(LosesNationalStatus(scheme, true, 2021, Grade::kD, history));
  EXPECT_FALSE(LosesNationalStatus(scheme, false, 2021, Grade::kD, history));  // not national
  EXPECT_FALSE(LosesNationalStatus(scheme, true, 2021, Grade::kC, history));
  EXPECT_FALSE(LosesNationalStatus(scheme, true, 2022, Grade::kD, history));  // 2021 missing: not consecutive
  history[2020] = Grade::kC;
  EXPECT_FALSE(LosesNationalStatus(scheme, true, 2021, Grade::kD, history));
  scheme.loss_consecutive_years = 3;
  history = {{2019, Grade::kD}, {2020, Grade::kD}};
  EXPECT_TRUE(LosesNationalStatus(scheme, true, 2021, Grade::kD, history));
}

TEST(Performance, StrongIncubatorGetsAnA) {
  PerformanceScheme scheme = Load("incubator.json");
  Carrier c = testing::Incubator();
  CarrierMetrics m(c, testing::StrongReport());
  std::vector<Violation> v;
  auto result = ComputePerformance(scheme, m, {{"SC4", 90}, {"SU3", 90}}, &v);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->grade, Grade::kA) << result->total;
  EXPECT_EQ(result->cutoffs.size(), 4u);
}

}  // namespace
}  // namespace stip::evaluation
