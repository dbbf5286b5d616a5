#include "common/rules/rule_engine.h"

#include "absl/strings/str_cat.h"
#include "common/rules/edition_registry.h"
#include "gtest/gtest.h"

namespace stip::rules {
namespace {

// The value (the low end of a band) as a double, for expectations written in decimals.
double LowOf(const Value& value) {
  return std::get<Number>(value).low.ToDouble();
}

constexpr char kEdition[] = R"({
  "format": "stip.rules/v1", "program": "demo", "edition": "v1", "title": "演示", "document": "doc",
  "effective_from": "2020-01-01",
  "inputs": [{"metric": "expert", "zh": "专家分", "min": 0, "max": 30, "integer": true}],
  "derived": [
    {"name": "staff_score", "step": {"input": "ratio", "steps": [{"min": 0.3, "points": 20}, {"min": 0.1, "points": 4}], "otherwise": 0}},
    {"name": "growth_score", "step": {"input": "growth", "steps": [{"min": 0, "exclusive": true, "points": 1}], "otherwise": 0}},
    {"name": "total", "sum": ["staff_score", "expert"]},
    {"name": "best", "max": ["a", "b"]}
  ],
  "criteria": [
    {"id": "A1", "zh": "收入不低于10万元", "metric": "revenue", "op": ">=", "threshold": 100000, "unit": "yuan", "status": "V"},
    {"id": "A2", "zh": "任一", "status": "V", "any_of": [
      {"id": "A2a", "zh": "I类", "metric": "c1", "op": ">=", "threshold": 1, "unit": "count", "status": "V"},
      {"id": "A2b", "zh": "II类", "metric": "c2", "op": ">=", "threshold": 2, "unit": "count", "status": "R"}
    ]},
    {"id": "A3", "zh": "分档", "metric": "rd", "op": ">=", "unit": "ratio", "status": "V",
     "bands": {"metric": "sales", "unit": "yuan", "ranges": [
       {"max": 50000000, "threshold": 0.05}, {"max": 200000000, "threshold": 0.04}, {"threshold": 0.03}]}},
    {"id": "A4", "zh": "总分", "metric": "total", "op": ">", "threshold": 20, "unit": "points", "status": "V"},
    {"id": "A5", "zh": "无失信", "metric": "dishonest", "op": "==", "threshold": false, "status": "V"}
  ]
})";

RuleEdition Demo() {
  absl::StatusOr<RuleEdition> edition = ParseRuleEdition(kEdition);
  EXPECT_TRUE(edition.ok()) << edition.status();
  return *edition;
}

MapMetricSource Passing() {
  MapMetricSource source;
  source.Set("revenue", 100000.0);
  source.Set("c1", 1.0);
  source.Set("rd", 0.05);
  source.Set("sales", 50000000.0);
  source.Set("ratio", 0.3);
  source.Set("expert", 1.0);
  source.SetBool("dishonest", false);
  return source;
}

const CriterionResult& Find(const Evaluation& evaluation, const std::string& id) {
  for (const CriterionResult& result : evaluation.results) {
    if (result.id == id) return result;
  }
  ADD_FAILURE() << "no result " << id;
  static CriterionResult none;
  return none;
}

TEST(RuleEngine, AllPassIsEligibleAndReportsEveryCriterion) {
  RuleEdition edition = Demo();
  Evaluation evaluation = Evaluate(edition, Passing());
  EXPECT_TRUE(evaluation.eligible);
  EXPECT_EQ(evaluation.edition, "v1");
  ASSERT_EQ(evaluation.results.size(), 7u);
  EXPECT_EQ(evaluation.results[0].id, "A1");
  EXPECT_EQ(evaluation.results[0].actual, "10万元");
  EXPECT_EQ(evaluation.results[0].threshold, "≥ 10万元");
  EXPECT_EQ(evaluation.results[2].depth, 1);
  EXPECT_TRUE(evaluation.provisional);  // A2b is [R]
  EXPECT_TRUE(Find(evaluation, "A2b").provisional);
  EXPECT_FALSE(Find(evaluation, "A1").provisional);
}

TEST(RuleEngine, ThresholdFromBothSides) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Set("revenue", 99999.0);
  Evaluation below = Evaluate(edition, source);
  EXPECT_FALSE(below.eligible);
  EXPECT_EQ(Find(below, "A1").outcome, Outcome::kFail);
  EXPECT_DOUBLE_EQ(Find(below, "A1").shortfall.ToDouble(), 1.0);
  source.Set("revenue", 100000.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A1").outcome, Outcome::kPass);
}

TEST(RuleEngine, MissingIsNeverZero) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Erase("revenue");
  Evaluation evaluation = Evaluate(edition, source);
  EXPECT_FALSE(evaluation.eligible);
  EXPECT_EQ(evaluation.outcome, Outcome::kMissingData);
  EXPECT_EQ(Find(evaluation, "A1").outcome, Outcome::kMissingData);
  EXPECT_EQ(Find(evaluation, "A1").actual, "");
  EXPECT_FALSE(Find(evaluation, "A1").actual_number.has_value());
}

TEST(RuleEngine, FailBeatsMissingInAllOf) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Erase("revenue");
  source.SetBool("dishonest", true);
  EXPECT_EQ(Evaluate(edition, source).outcome, Outcome::kFail);
}

TEST(RuleEngine, AnyOfPassesOnOneAndIsMissingWhenUndecided) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Erase("c1");
  source.Set("c2", 2.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A2").outcome, Outcome::kPass);
  source.Set("c2", 1.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A2").outcome, Outcome::kMissingData);  // c1 unknown
  source.Set("c1", 0.0);
  const Evaluation evaluation = Evaluate(edition, source);
  EXPECT_EQ(Find(evaluation, "A2").outcome, Outcome::kFail);
  EXPECT_DOUBLE_EQ(Find(evaluation, "A2b").shortfall.ToDouble(), 1.0);
}

TEST(RuleEngine, BandsPutTheBoundaryInTheLowerBand) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Set("sales", 50000000.0);
  source.Set("rd", 0.049);
  EXPECT_EQ(Find(Evaluate(edition, source), "A3").outcome, Outcome::kFail);  // 5000万 is in the 5% band
  source.Set("sales", 50000001.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A3").outcome, Outcome::kPass);  // above: 4% band
  EXPECT_DOUBLE_EQ(Find(Evaluate(edition, source), "A3").threshold_number->ToDouble(), 0.04);
  source.Set("sales", 200000000.0);
  source.Set("rd", 0.039);
  EXPECT_EQ(Find(Evaluate(edition, source), "A3").outcome, Outcome::kFail);  // 2亿 is in the 4% band
  source.Set("sales", 200000001.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A3").outcome, Outcome::kPass);  // 3% band
  source.Erase("sales");
  EXPECT_EQ(Find(Evaluate(edition, source), "A3").outcome, Outcome::kMissingData);
}

TEST(RuleEngine, StrictGreaterThanAndDerivedSums) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.Set("ratio", 0.3);  // 20 points
  source.Set("expert", 0.0);
  Evaluation at = Evaluate(edition, source);
  EXPECT_EQ(Find(at, "A4").outcome, Outcome::kFail);  // 20 is not > 20
  EXPECT_DOUBLE_EQ(Find(at, "A4").shortfall.ToDouble(), 1.0);
  source.Set("expert", 1.0);
  EXPECT_EQ(Find(Evaluate(edition, source), "A4").outcome, Outcome::kPass);
  source.Erase("expert");
  EXPECT_EQ(Find(Evaluate(edition, source), "A4").outcome, Outcome::kMissingData);  // sum with a missing part
}

TEST(RuleEngine, StepTablesAndMax) {
  RuleEdition edition = Demo();
  MapMetricSource source;
  DerivedMetricSource derived(edition, source);
  source.Set("ratio", 0.2999);
  EXPECT_EQ(LowOf(*derived.Get("staff_score")), 4.0);
  source.Set("ratio", 0.3);
  EXPECT_EQ(LowOf(*derived.Get("staff_score")), 20.0);
  source.Set("ratio", 0.0999);
  EXPECT_EQ(LowOf(*derived.Get("staff_score")), 0.0);
  source.Set("growth", 0.0);
  EXPECT_EQ(LowOf(*derived.Get("growth_score")), 0.0);  // exclusive: 0 is not > 0
  source.Set("growth", 0.0001);
  EXPECT_EQ(LowOf(*derived.Get("growth_score")), 1.0);
  EXPECT_FALSE(derived.Get("best").has_value());
  source.Set("b", 3.0);
  EXPECT_EQ(LowOf(*derived.Get("best")), 3.0);
  source.Set("a", 5.0);
  EXPECT_EQ(LowOf(*derived.Get("best")), 5.0);
}

TEST(RuleEngine, InputCaps) {
  RuleEdition edition = Demo();
  MapMetricSource source;
  source.Set("expert", 30.0);
  EXPECT_TRUE(CheckInputs(edition, source).empty());
  source.Set("expert", 31.0);
  ASSERT_EQ(CheckInputs(edition, source).size(), 1u);
  EXPECT_EQ(CheckInputs(edition, source)[0].metric, "expert");
  source.Set("expert", 12.5);
  EXPECT_EQ(CheckInputs(edition, source).size(), 1u);
  source.Set("expert", -1.0);
  EXPECT_EQ(CheckInputs(edition, source).size(), 1u);
}

TEST(RuleEdition, RejectsBadFiles) {
  EXPECT_FALSE(ParseRuleEdition("{").ok());
  EXPECT_FALSE(ParseRuleEdition(R"({"format":"x"})").ok());
  std::string text = kEdition;
  std::string duplicate = text;
  duplicate.replace(duplicate.find("\"A2b\""), 5, "\"A2a\"");
  EXPECT_FALSE(ParseRuleEdition(duplicate).ok());
  std::string bad_status = text;
  bad_status.replace(bad_status.find("\"status\": \"R\""), 13, "\"status\": \"X\"");
  EXPECT_FALSE(ParseRuleEdition(bad_status).ok());
  std::string not_provisional = text;
  not_provisional.replace(not_provisional.find("\"status\": \"R\""), 13, "\"status\": \"R\", \"provisional\": false");
  EXPECT_FALSE(ParseRuleEdition(not_provisional).ok());
}

TEST(RuleEdition, ProvisionalEditionMarksEveryCriterion) {
  std::string text = kEdition;
  text.replace(text.find("\"effective_from\""), 16, "\"provisional\": true, \"effective_from\"");
  absl::StatusOr<RuleEdition> edition = ParseRuleEdition(text);
  ASSERT_TRUE(edition.ok()) << edition.status();
  for (const CriterionResult& result : Evaluate(*edition, Passing()).results)
    EXPECT_TRUE(result.provisional) << result.id;
}

TEST(EditionRegistry, DefaultEditionFollowsTheYear) {
  EditionRegistry registry;
  std::string v2019 = kEdition;
  v2019.replace(v2019.find("\"edition\": \"v1\""), 15, "\"edition\": \"y2019\"");
  v2019.replace(v2019.find("2020-01-01"), 10, "2019-01-01");
  std::string v2021 = kEdition;
  v2021.replace(v2021.find("\"edition\": \"v1\""), 15, "\"edition\": \"y2021\"");
  v2021.replace(v2021.find("2020-01-01"), 10, "2021-07-09");
  ASSERT_TRUE(registry.Add(v2019, "test").ok());
  ASSERT_TRUE(registry.Add(v2021, "test").ok());
  EXPECT_EQ(registry.Add(v2021, "test").status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*registry.Find("demo", "", 2020))->edition, "y2019");
  EXPECT_EQ((*registry.Find("demo", "", 2021))->edition, "y2021");
  EXPECT_EQ((*registry.Find("demo", "", 2018))->edition, "y2019");
  EXPECT_EQ((*registry.Find("demo", "y2019", 2022))->edition, "y2019");
  EXPECT_EQ(registry.Find("demo", "nope", 2022).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(registry.Find("other", "", 2022).status().code(), absl::StatusCode::kNotFound);
}

TEST(Rational, DecimalsReadAsWrittenAndComparedExactly) {
  EXPECT_EQ(*Rational::FromDecimal("0.15"), Rational::Of(3, 20));
  EXPECT_EQ(Rational::FromDouble(0.15), Rational::Of(3, 20));  // the decimal a JSON file or a test wrote
  EXPECT_EQ(*Rational::FromDecimal("-2.5e2"), Rational(-250));
  EXPECT_EQ(*Rational::FromDecimal("5E-2"), Rational::Of(1, 20));
  EXPECT_FALSE(Rational::FromDecimal("1,000").has_value());
  EXPECT_FALSE(Rational::FromDecimal("").has_value());
  EXPECT_FALSE(Rational::FromDecimal("1.2345678901234567e30").has_value());  // would overflow: refused
  EXPECT_EQ(Rational::Of(2, 4).ToString(), "1/2");
  EXPECT_EQ(Rational::Of(3, -6), Rational::Of(-1, 2));
  EXPECT_EQ(Rational::Of(-7, 2).Floor(), Rational(-4));
  EXPECT_EQ(Rational::Of(-7, 2).Ceil(), Rational(-3));
  // 1/2 (115/100 + 13225/11500) − 1 is exactly 15%.
  EXPECT_EQ((Rational::Of(115, 100) + Rational::Of(13225, 11500)) / Rational(2) - Rational(1), Rational::Of(3, 20));
}

TEST(Rational, HugeValuesCompareWithoutOverflowAndOverflowIsInvalid) {
  // The continued-fraction comparison forms no product, so values near the 128-bit limit still compare.
  Rational big = Rational::Of(INT64_MAX, 3) * Rational(INT64_MAX);
  Rational bigger = big + Rational(1);  // cross-multiplying these two would not fit 128 bits
  EXPECT_LT(big, bigger);
  EXPECT_GT(bigger, big);
  EXPECT_TRUE(bigger.valid());
  EXPECT_EQ(big, Rational::Of(INT64_MAX, 3) * Rational(INT64_MAX));
  EXPECT_FALSE((big + Rational::Of(1, INT64_MAX)).valid());  // its denominator would not fit: invalid, not wrong
  Rational overflow = big * big * big;
  EXPECT_FALSE(overflow.valid());
  EXPECT_FALSE((overflow + Rational(1)).valid());  // invalid stays invalid
  EXPECT_FALSE((Rational(1) / Rational(0)).valid());
  // An invalid metric value is missing data, never a number.
  MapMetricSource source;
  source.Set("revenue", overflow);
  EXPECT_EQ(Find(Evaluate(Demo(), source), "A1").outcome, Outcome::kMissingData);
}

TEST(RuleEngine, OutcomesOnlyDecidesTheSameWithoutTheFigures) {
  RuleEdition edition = Demo();
  MapMetricSource source = Passing();
  source.AddExplanation("revenue", {"revenue.2021", "2021年营业收入", "10万元", std::nullopt});
  Evaluation explained = Evaluate(edition, source);
  Evaluation quick = Evaluate(edition, source, Detail::kOutcomesOnly);
  EXPECT_EQ(quick.outcome, explained.outcome);
  ASSERT_EQ(quick.results.size(), explained.results.size());
  EXPECT_FALSE(Find(explained, "A1").figures.empty());
  for (size_t i = 0; i < quick.results.size(); ++i) {
    EXPECT_EQ(quick.results[i].outcome, explained.results[i].outcome) << quick.results[i].id;
    EXPECT_TRUE(quick.results[i].figures.empty());
  }
}

TEST(Format, Units) {
  EXPECT_EQ(FormatValue(Rational::FromDouble(50000000.0), Unit::kYuan), "5000万元");
  EXPECT_EQ(FormatValue(Rational::FromDouble(200000000.0), Unit::kYuan), "2亿元");
  EXPECT_EQ(FormatValue(Rational::FromDouble(125000.0), Unit::kYuan), "12.5万元");
  EXPECT_EQ(FormatValue(Rational::FromDouble(0.05), Unit::kRatio), "5%");
  EXPECT_EQ(FormatValue(Rational::FromDouble(1.0), Unit::kBool), "是");
  EXPECT_EQ(FormatValue(Rational::FromDouble(365.0), Unit::kDays), "365天");
  EXPECT_EQ(FormatValue(std::string("电子信息"), Unit::kText), "电子信息");
}

}  // namespace
}  // namespace stip::rules
