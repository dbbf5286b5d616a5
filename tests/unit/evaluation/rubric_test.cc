#include "services/evaluation/domain/rubric.h"

#include "gtest/gtest.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

Rubric Shipped() {
  auto rubric = ParseRubric(testing::ReadData("rubrics/liuyou-v1.json"));
  EXPECT_TRUE(rubric.ok()) << rubric.status();
  return *rubric;
}

std::vector<ItemScore> AllAt(const Rubric& r, double fraction_of_max) {
  std::vector<ItemScore> out;
  for (const RubricItem& item : r.items) out.push_back({item.id, item.max_score * fraction_of_max, "材料", "", false});
  return out;
}

TEST(Rubric, ShippedVersionIsSixProvisionalItems) {
  Rubric r = Shipped();
  EXPECT_EQ(r.rubric, "liuyou");
  EXPECT_EQ(r.version, 1);
  EXPECT_TRUE(r.provisional);
  ASSERT_EQ(r.items.size(), 6u);
  for (const RubricItem& item : r.items) {
    EXPECT_TRUE(item.provisional) << item.id;
    EXPECT_FALSE(item.evidence.empty()) << item.id;
  }
  auto again = ParseRubric(RubricToJson(r));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->items.size(), 6u);
}

TEST(Rubric, PassNeedsEveryItemAndTheTotal) {
  Rubric r = Shipped();
  std::vector<Violation> v;
  auto full = ScoreAssessment(r, AllAt(r, 1.0), &v);
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(full->passed);
  EXPECT_DOUBLE_EQ(full->total, 100);
  EXPECT_EQ(full->items_met, 6);
  // Exactly at every item's pass score: 10+8+8+8+8+10 = 52 < 60 → items met but total short.
  std::vector<ItemScore> at_pass;
  for (const RubricItem& item : r.items) at_pass.push_back({item.id, item.pass_score, "材料", "", false});
  auto low = ScoreAssessment(r, at_pass, &v);
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low->items_met, 6);
  EXPECT_FALSE(low->passed);
  EXPECT_NE(low->result.find("总分"), std::string::npos);
  // One item below its pass score fails even with a high total.
  std::vector<ItemScore> one_short = AllAt(r, 1.0);
  one_short[3].score = r.items[3].pass_score - 0.5;
  auto short_result = ScoreAssessment(r, one_short, &v);
  ASSERT_TRUE(short_result.ok());
  EXPECT_FALSE(short_result->passed);
  EXPECT_FALSE(short_result->items[3].met);
  EXPECT_NE(short_result->result.find(r.items[3].title), std::string::npos);
}

TEST(Rubric, InvalidScoresAreFieldViolations) {
  Rubric r = Shipped();
  std::vector<ItemScore> scores = AllAt(r, 1.0);
  scores[0].score = r.items[0].max_score + 1;
  scores[1].evidence.clear();
  scores.pop_back();
  scores.push_back({"Y9", 1, "x", "", false});
  std::vector<Violation> v;
  EXPECT_FALSE(ScoreAssessment(r, scores, &v).ok());
  std::set<std::string> fields;
  for (const Violation& x : v) fields.insert(x.field);
  EXPECT_EQ(fields.count("assessment.items[0].score"), 1u);
  EXPECT_EQ(fields.count("assessment.items[1].evidence"), 1u);
  EXPECT_EQ(fields.count("assessment.items[5].item_id"), 1u);
  EXPECT_EQ(fields.count("assessment.items"), 1u);  // Y6 not scored
}

TEST(Rubric, DefaultVersionByEffectiveYear) {
  Rubric v1 = Shipped();
  Rubric v2 = v1;
  v2.version = 2;
  v2.effective_year = 2022;
  std::vector<Rubric> versions = {v1, v2};
  EXPECT_EQ(DefaultRubric(versions, 2021)->version, 1);
  EXPECT_EQ(DefaultRubric(versions, 2022)->version, 2);
  EXPECT_EQ(DefaultRubric(versions, 2010)->version, 1);
  EXPECT_EQ(DefaultRubric({}, 2022), nullptr);
}

TEST(Rubric, PublishedVersionsAreChecked) {
  Rubric r = Shipped();
  r.items.pop_back();
  r.items[0].pass_score = r.items[0].max_score + 1;
  r.pass_total = 1000;
  std::set<std::string> fields;
  for (const Violation& v : ValidateRubric(r)) fields.insert(v.field);
  EXPECT_EQ(fields.count("rubric_version.items"), 1u);
  EXPECT_EQ(fields.count("rubric_version.items[0].pass_score"), 1u);
  EXPECT_EQ(fields.count("rubric_version.pass_total"), 1u);
}

}  // namespace
}  // namespace stip::evaluation
