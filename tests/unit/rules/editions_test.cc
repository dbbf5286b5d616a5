// The shipped editions in data/rules/: they parse, cite a source for every criterion, mark [R]/[MISSING] as
// provisional, and put every boundary where the policy text puts it (each taken from both sides).
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "common/rules/edition_registry.h"
#include "common/rules/rule_engine.h"
#include "gtest/gtest.h"

namespace stip::rules {
namespace {

// The value (the low end of a band) as a double, for expectations written in decimals.
double LowOf(const Value& value) {
  return std::get<Number>(value).low.ToDouble();
}

class Editions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new EditionRegistry();
    absl::Status status = registry_->LoadDirectory(STIP_RULES_DIR);
    ASSERT_TRUE(status.ok()) << status;
  }
  static std::shared_ptr<const RuleEdition> Get(const char* program, const char* edition) {
    absl::StatusOr<std::shared_ptr<const RuleEdition>> found = registry_->Find(program, edition, 2022);
    EXPECT_TRUE(found.ok()) << found.status();
    return *found;
  }
  static Outcome OutcomeOf(const RuleEdition& edition, const MetricSource& source, const std::string& id) {
    for (const CriterionResult& result : Evaluate(edition, source).results) {
      if (result.id == id) return result.outcome;
    }
    ADD_FAILURE() << "no criterion " << id;
    return Outcome::kMissingData;
  }
  static EditionRegistry* registry_;
};
EditionRegistry* Editions::registry_ = nullptr;

// A subject with metric values and, per record kind, how many of its records qualify for any query of that
// kind (the windows and levels themselves are tested on real records in the cultivation tests).
class Subject : public MapMetricSource {
 public:
  void SetRecords(const std::string& kind, int64_t count) { counts_[kind] = count; }
  std::optional<Value> CountRecords(const RecordQuery& query, std::vector<Figure>* matched) const override {
    auto it = counts_.find(query.kind);
    if (it == counts_.end()) return std::nullopt;
    return Value(Number(Rational(it->second)));
  }

 private:
  std::map<std::string, int64_t> counts_;
};

// An enterprise that passes every shipped edition whose thresholds are all published.
Subject Strong() {
  Subject s;
  for (const char* flag : {"registered_in_china", "registered_in_tianjin", "independent_legal_person",
                           "registered_before_apply_year", "core_ip_support", "hte_cert_valid"}) {
    s.SetBool(flag, true);
  }
  for (const char* flag : {"prohibited_catalogue", "major_accident", "major_accident_3y", "serious_research_misconduct",
                           "serious_research_misconduct_3y", "abnormal_operation_list", "serious_dishonest_list"}) {
    s.SetBool(flag, false);
  }
  for (const char* kind :
       {"certificate", "award", "contest", "standard", "plan_project", "rd_institution", "venture_investment"}) {
    s.SetRecords(kind, 1);
  }
  s.Set("reg_age_years_end_prev", 5);
  s.Set("reg_age_years_jan1", 3);
  s.Set("days_since_registration", 2000);
  s.Set("revenue_prev_year", 600000000);
  s.Set("sales_revenue_last_year", 150000000);
  s.Set("total_staff", 300);
  s.Set("total_assets", 150000000);
  s.Set("sci_tech_staff_ratio", 0.35);
  s.Set("rd_to_revenue", 0.07);
  s.Set("rd_to_cost", 0.35);
  s.Set("class1_ip_count", 6);
  s.Set("class2_ip_count", 20);
  s.Set("ip_count", 26);
  s.Set("tech_field", "电子信息");
  s.Set("rd_ratio_3y", 0.06);
  s.Set("domestic_rd_ratio_3y", 0.9);
  s.Set("hightech_revenue_ratio", 0.8);
  s.Set("results_converted_avg_3y", 5);
  s.Set("hte_score_ip", 25);
  s.Set("hte_score_conversion", 25);
  s.Set("hte_score_org", 15);
  s.Set("net_asset_growth", 0.4);
  s.Set("sales_growth", 0.4);
  s.Set("revenue_avg_growth_3y", 0.3);
  s.Set("rd_intensity_avg_4y", 0.05);
  s.Set("revenue_increase_prev_year", 1000000);
  return s;
}

TEST_F(Editions, AllShippedEditionsLoadAndCiteSources) {
  std::vector<std::shared_ptr<const RuleEdition>> editions = registry_->List();
  EXPECT_EQ(editions.size(), 8u);  // six programmes (雏鹰 twice) and the annual 复评
  for (const auto& edition : editions) {
    for (const Criterion* criterion : edition->Flatten()) {
      EXPECT_FALSE(criterion->source.empty()) << edition->edition << " " << criterion->id;
      if (criterion->status == SourceStatus::kRecalled || criterion->status == SourceStatus::kMissing) {
        EXPECT_TRUE(criterion->provisional) << criterion->id;
      }
    }
  }
}

TEST_F(Editions, StrongEnterprisePassesEverything) {
  Subject strong = Strong();
  for (const auto& edition : registry_->List()) {
    if (edition->edition == "tianjin-2019") continue;  // 2019 雏鹰 caps revenue at 1000万: a different profile
    Evaluation evaluation = Evaluate(*edition, strong);
    if (edition->program == "dengling") {
      // G3/G4 have no published threshold: unknown, never a pass, whatever the figures.
      EXPECT_EQ(evaluation.outcome, Outcome::kUnknown);
      continue;
    }
    EXPECT_TRUE(evaluation.eligible) << edition->program << "/" << edition->edition;
    for (const CriterionResult& r : evaluation.results) {
      if (r.depth == 0) {
        EXPECT_EQ(r.outcome, Outcome::kPass) << edition->program << " " << r.id;
      }
    }
  }
}

// Every published threshold of every shipped edition, from both sides, exactly: at the threshold, and one
// smallest step (1 元, 1 项, 1 天, 1 分, or a millionth of a ratio or a year) on each side. Band thresholds are
// taken at each band's own upper bound. Derived metrics (score totals) have their own tests below.
TEST_F(Editions, EveryThresholdFromBothSidesExactly) {
  int checked = 0;
  for (const auto& edition : registry_->List()) {
    auto derived = [&](const std::string& metric) {
      return std::any_of(edition->derived.begin(), edition->derived.end(),
                         [&](const DerivedMetric& d) { return d.name == metric; });
    };
    for (const Criterion* c : edition->Flatten()) {
      if (c->kind != Criterion::Kind::kCompare || c->unit == Unit::kBool || derived(c->metric)) continue;
      if (c->op == Op::kEq || c->op == Op::kNe || c->op == Op::kIn) continue;
      bool whole =
          c->unit == Unit::kYuan || c->unit == Unit::kCount || c->unit == Unit::kDays || c->unit == Unit::kPoints;
      Rational step = whole ? Rational(1) : Rational::Of(1, 1000000);
      std::vector<std::pair<Rational, std::optional<Rational>>> cases;  // threshold, band metric value
      if (c->threshold) cases.emplace_back(*c->threshold, std::nullopt);
      for (const Band& band : c->bands) cases.emplace_back(band.threshold, band.max);
      for (const auto& [threshold, band_value] : cases) {
        auto outcome_at = [&](Rational value) {
          MapMetricSource s;
          s.Set(c->metric, value);
          if (!c->band_metric.empty()) s.Set(c->band_metric, band_value.value_or(Rational(int64_t{1000000000000})));
          return OutcomeOf(*edition, s, c->id);
        };
        bool up = c->op == Op::kGe || c->op == Op::kGt;
        bool inclusive = c->op == Op::kGe || c->op == Op::kLe;
        std::string where = edition->program + "/" + edition->edition + " " + c->id;
        EXPECT_EQ(outcome_at(threshold), inclusive ? Outcome::kPass : Outcome::kFail) << where;
        EXPECT_EQ(outcome_at(up ? threshold + step : threshold - step), Outcome::kPass) << where;
        EXPECT_EQ(outcome_at(up ? threshold - step : threshold + step), Outcome::kFail) << where;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 30);
}

TEST_F(Editions, UnpublishedThresholdsAreUnknownAndProvisional) {
  auto dengling = Get("dengling", "tianjin-2021");
  Evaluation evaluation = Evaluate(*dengling, Strong());
  EXPECT_TRUE(evaluation.provisional);
  for (const CriterionResult& r : evaluation.results) {
    if (r.id == "G3" || r.id == "G4") {
      EXPECT_EQ(r.outcome, Outcome::kUnknown) << r.id;
      EXPECT_TRUE(r.provisional) << r.id;
    }
    if (r.id == "G1" || r.id == "G2") {
      EXPECT_EQ(r.outcome, Outcome::kPass) << r.id;
    }
  }
  // A known failure still decides: an enterprise on the dishonesty list fails 瞪羚 whatever G3 says.
  Subject listed = Strong();
  listed.SetBool("serious_dishonest_list", true);
  EXPECT_EQ(Evaluate(*dengling, listed).outcome, Outcome::kFail);
  // 领军 / 领军培育 have sourced thresholds ([P]): not provisional, and they need a site visit.
  EXPECT_FALSE(Get("lingjun", "tianjin-2021")->AnyProvisional());
  EXPECT_TRUE(Get("lingjun", "tianjin-2021")->requires_site_visit);
  EXPECT_TRUE(Get("lingjun_peiyu", "tianjin-2021")->requires_site_visit);
  EXPECT_TRUE(Get("tech_sme", "national-2017")->AnyProvisional());  // all [R]
  EXPECT_FALSE(Get("chuying", "tianjin-2021")->AnyProvisional());
}

// 复评: revenue must have grown over the year before ("正增长"): the same revenue fails, one yuan more passes.
TEST_F(Editions, AnnualReviewNeedsRevenueGrowth) {
  auto review = Get("tier_review", "tianjin-2021");
  Subject s = Strong();
  s.Set("revenue_increase_prev_year", 0);
  EXPECT_EQ(OutcomeOf(*review, s, "R1"), Outcome::kFail);
  s.Set("revenue_increase_prev_year", 1);
  EXPECT_EQ(OutcomeOf(*review, s, "R1"), Outcome::kPass);
  s.Erase("revenue_increase_prev_year");
  EXPECT_EQ(OutcomeOf(*review, s, "R1"), Outcome::kMissingData);
}

TEST_F(Editions, LingjunTiersFromBothSides) {
  auto lingjun = Get("lingjun", "tianjin-2021");
  auto peiyu = Get("lingjun_peiyu", "tianjin-2021");
  Subject s = Strong();
  s.Set("revenue_prev_year", 500000000);
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L4"), Outcome::kPass);
  s.Set("revenue_prev_year", 499999999);
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L4"), Outcome::kFail);
  s.Set("revenue_prev_year", 200000000);
  EXPECT_EQ(OutcomeOf(*peiyu, s, "L4"), Outcome::kPass);
  s.Set("revenue_prev_year", 199999999);
  EXPECT_EQ(OutcomeOf(*peiyu, s, "L4"), Outcome::kFail);
  s.Set("rd_to_revenue", Rational::Of(3, 100));
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L3"), Outcome::kPass);
  s.Set("rd_to_revenue", Rational::Of(2999999, 100000000));
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L3"), Outcome::kFail);
  s.Set("revenue_avg_growth_3y", 0);
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L5"), Outcome::kPass);  // 不能为负数: zero passes
  s.Set("revenue_avg_growth_3y", Rational::Of(-1, 1000000));
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L5"), Outcome::kFail);
  s.Erase("revenue_avg_growth_3y");
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L5"), Outcome::kMissingData);
  // L6: 20 valid IP or 5 I类 for 领军; 15 or 3 for 领军培育.
  s.Set("ip_count", 19);
  s.Set("class1_ip_count", 4);
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L6"), Outcome::kFail);
  EXPECT_EQ(OutcomeOf(*peiyu, s, "L6"), Outcome::kPass);
  s.Set("class1_ip_count", 5);
  EXPECT_EQ(OutcomeOf(*lingjun, s, "L6"), Outcome::kPass);
  s.Set("class1_ip_count", 2);
  s.Set("ip_count", 14);
  EXPECT_EQ(OutcomeOf(*peiyu, s, "L6"), Outcome::kFail);
  s.Set("ip_count", 15);
  EXPECT_EQ(OutcomeOf(*peiyu, s, "L6"), Outcome::kPass);
}

TEST_F(Editions, HighTechRdBandBoundaries) {
  auto hte = Get("high_tech", "national-2016");
  Subject s = Strong();
  // S = 5000万 exactly belongs to the ≤5000万 band: 5% required.
  s.Set("sales_revenue_last_year", 50000000.0);
  s.Set("rd_ratio_3y", 0.0499);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kFail);
  s.Set("rd_ratio_3y", 0.05);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kPass);
  // One yuan above: 4% band.
  s.Set("sales_revenue_last_year", 50000001.0);
  s.Set("rd_ratio_3y", 0.04);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kPass);
  s.Set("rd_ratio_3y", 0.0399);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kFail);
  // 2亿 exactly is still the 4% band; one yuan above is 3%.
  s.Set("sales_revenue_last_year", 200000000.0);
  s.Set("rd_ratio_3y", 0.035);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kFail);
  s.Set("sales_revenue_last_year", 200000001.0);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kPass);
  s.Set("rd_ratio_3y", 0.0299);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5a"), Outcome::kFail);
}

TEST_F(Editions, HighTechOtherBoundaries) {
  auto hte = Get("high_tech", "national-2016");
  Subject s = Strong();
  s.Set("days_since_registration", 364.0);
  EXPECT_EQ(OutcomeOf(*hte, s, "H1"), Outcome::kFail);
  s.Set("days_since_registration", 365.0);
  EXPECT_EQ(OutcomeOf(*hte, s, "H1"), Outcome::kPass);
  s.Set("sci_tech_staff_ratio", 0.0999);
  EXPECT_EQ(OutcomeOf(*hte, s, "H4"), Outcome::kFail);
  s.Set("sci_tech_staff_ratio", 0.10);
  EXPECT_EQ(OutcomeOf(*hte, s, "H4"), Outcome::kPass);
  s.Set("domestic_rd_ratio_3y", 0.5999);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5b"), Outcome::kFail);
  s.Set("domestic_rd_ratio_3y", 0.60);
  EXPECT_EQ(OutcomeOf(*hte, s, "H5b"), Outcome::kPass);
  s.Set("hightech_revenue_ratio", 0.5999);
  EXPECT_EQ(OutcomeOf(*hte, s, "H6"), Outcome::kFail);
  s.Set("hightech_revenue_ratio", 0.60);
  EXPECT_EQ(OutcomeOf(*hte, s, "H6"), Outcome::kPass);
  s.Set("tech_field", std::string("房地产"));
  EXPECT_EQ(OutcomeOf(*hte, s, "H3"), Outcome::kFail);
}

// H7 on interval scores: experts score inside the band the data puts an enterprise in (criteria.md,
// conventions 6), so "> 70" can pass, fail, or depend on the experts, with the score they must give.
TEST_F(Editions, HighTechScoreIsAnIntervalUntilExpertsScore) {
  auto hte = Get("high_tech", "national-2016");
  Subject s = Strong();
  // ip 25 + conversion 20 (avg 4 conversions: band 19–24) + org 7 + growth A/A (9–10 each) = 70–72.
  s.Set("results_converted_avg_3y", 4);
  s.Set("hte_score_conversion", 20);
  s.Set("hte_score_org", 7);
  s.Set("net_asset_growth", 0.35);
  s.Set("sales_growth", 0.35);
  Evaluation evaluation = Evaluate(*hte, s);
  const CriterionResult* h7 = nullptr;
  for (const CriterionResult& r : evaluation.results) h7 = r.id == "H7" ? &r : h7;
  ASSERT_NE(h7, nullptr);
  EXPECT_EQ(h7->outcome, Outcome::kDependsOnExperts);
  EXPECT_EQ(h7->actual_number->low, Rational(70));
  EXPECT_EQ(h7->actual_number->high, Rational(72));
  EXPECT_EQ(h7->shortfall, Rational(1));  // 71 needed, 70 at the low end
  EXPECT_NE(h7->margin.find("71分"), std::string::npos) << h7->margin;
  EXPECT_EQ(evaluation.outcome, Outcome::kDependsOnExperts);
  EXPECT_FALSE(evaluation.eligible);
  // The experts' growth scores, once recorded, decide: 9 + 9 → 70 fails; 9 + 10 → 71 passes.
  s.Set("hte_score_net_asset_growth", 9);
  s.Set("hte_score_sales_growth", 9);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kFail);
  s.Set("hte_score_sales_growth", 10);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kPass);
  // A recorded score outside its band (8 in the 9–10 band) is not used, and the evaluation says so.
  s.Set("hte_score_sales_growth", 8);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kDependsOnExperts);
  ASSERT_EQ(Evaluate(*hte, s).notes.size(), 1u);
  EXPECT_NE(Evaluate(*hte, s).notes[0].find("超出"), std::string::npos);
  // Without any org score the band is 0–20: the total is wide, and still an interval, not missing.
  s.Erase("hte_score_org");
  s.Erase("hte_score_sales_growth");
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kDependsOnExperts);
  // Far below: every end fails.
  s.Set("hte_score_ip", 5);
  s.Set("hte_score_conversion", 5);
  s.Set("results_converted_avg_3y", 1);
  s.Set("sales_growth", 0);
  s.Set("net_asset_growth", 0);
  s.Set("hte_score_org", 20);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kFail);
}

TEST_F(Editions, HighTechGrowthBandsAtTheirExactEdges) {
  auto hte = Get("high_tech", "national-2016");
  Subject s;
  DerivedMetricSource derived(*hte, s);
  auto band = [&](Rational growth) {
    s.Set("sales_growth", growth);
    Number n = std::get<Number>(*derived.Get("hte_sales_growth_score"));
    return std::pair{n.low.ToDouble(), n.high.ToDouble()};
  };
  EXPECT_EQ(band(Rational::Of(35, 100)), std::pair(9.0, 10.0));
  EXPECT_EQ(band(Rational::Of(34999, 100000)), std::pair(7.0, 8.0));
  EXPECT_EQ(band(Rational::Of(25, 100)), std::pair(7.0, 8.0));
  EXPECT_EQ(band(Rational::Of(15, 100)), std::pair(5.0, 6.0));  // exactly 15%: band C, never B's neighbour below
  EXPECT_EQ(band(Rational::Of(14999, 100000)), std::pair(3.0, 4.0));
  EXPECT_EQ(band(Rational::Of(5, 100)), std::pair(3.0, 4.0));
  EXPECT_EQ(band(Rational::Of(1, 1000000)), std::pair(1.0, 2.0));
  EXPECT_EQ(band(Rational(0)), std::pair(0.0, 0.0));  // ≤ 0 scores 0
  EXPECT_EQ(band(Rational::Of(-1, 10)), std::pair(0.0, 0.0));
  // 知识产权数量: one I类 → 7–8; five II类 → 5–6; none → 0 (from the data, before experts).
  s.Set("class1_ip_count", 1);
  s.Set("class2_ip_count", 0);
  EXPECT_EQ(std::get<Number>(*derived.Get("hte_ip_quantity")).low, Rational(7));
  s.Set("class1_ip_count", 0);
  s.Set("class2_ip_count", 5);
  EXPECT_EQ(std::get<Number>(*derived.Get("hte_ip_quantity")).high, Rational(6));
  s.Set("class2_ip_count", 0);
  EXPECT_EQ(std::get<Number>(*derived.Get("hte_ip_quantity")).high, Rational(0));
}

TEST_F(Editions, HighTechExpertScoreCaps) {
  auto hte = Get("high_tech", "national-2016");
  MapMetricSource s;
  s.Set("hte_score_ip", 30);
  s.Set("hte_score_conversion", 30);
  s.Set("hte_score_org", 20);
  EXPECT_TRUE(CheckInputs(*hte, s).empty());
  s.Set("hte_score_ip", 31);
  s.Set("hte_score_org", 21);
  std::set<std::string> flagged;
  for (const InputViolation& v : CheckInputs(*hte, s)) flagged.insert(v.metric);
  EXPECT_EQ(flagged, (std::set<std::string>{"hte_score_ip", "hte_score_org"}));
}

TEST_F(Editions, TechSmeStepTables) {
  auto sme = Get("tech_sme", "national-2017");
  MapMetricSource s;
  DerivedMetricSource d(*sme, s);
  auto points = [&](const char* metric) { return LowOf(*d.Get(metric)); };
  const std::pair<double, double> staff[] = {{0.30, 20},  {0.2999, 16}, {0.25, 16},  {0.2499, 12}, {0.20, 12},
                                             {0.1999, 8}, {0.15, 8},    {0.1499, 4}, {0.10, 4},    {0.0999, 0}};
  for (auto [ratio, expected] : staff) {
    s.Set("sci_tech_staff_ratio", ratio);
    EXPECT_EQ(points("tsme_staff_score"), expected) << ratio;
  }
  const std::pair<double, double> revenue[] = {{0.06, 50},   {0.0599, 40}, {0.05, 40},   {0.0499, 30}, {0.04, 30},
                                               {0.0399, 20}, {0.03, 20},   {0.0299, 10}, {0.02, 10},   {0.0199, 0}};
  for (auto [ratio, expected] : revenue) {
    s.Set("rd_to_revenue", ratio);
    EXPECT_EQ(points("tsme_rd_revenue_score"), expected) << ratio;
  }
  const std::pair<double, double> cost[] = {{0.30, 50},   {0.2999, 40}, {0.25, 40},   {0.2499, 30}, {0.20, 30},
                                            {0.1999, 20}, {0.15, 20},   {0.1499, 10}, {0.10, 10},   {0.0999, 0}};
  for (auto [ratio, expected] : cost) {
    s.Set("rd_to_cost", ratio);
    EXPECT_EQ(points("tsme_rd_cost_score"), expected) << ratio;
  }
  s.Set("rd_to_revenue", 0.02);  // 10
  s.Set("rd_to_cost", 0.25);     // 40: the higher one counts
  EXPECT_EQ(points("tsme_rd_score"), 40.0);
  const std::pair<double, double> class2[] = {{4, 24}, {3, 18}, {2, 12}, {1, 6}, {0, 0}};
  s.Set("class1_ip_count", 0.0);
  for (auto [count, expected] : class2) {
    s.Set("class2_ip_count", count);
    EXPECT_EQ(points("tsme_ip_score"), expected) << count;
  }
  s.Set("class1_ip_count", 1.0);
  EXPECT_EQ(points("tsme_ip_score"), 30.0);
}

TEST_F(Editions, TechSmeScoreAndSizeBoundaries) {
  auto sme = Get("tech_sme", "national-2017");
  Subject s = Strong();
  s.SetBool("hte_cert_valid", false);
  s.SetRecords("rd_institution", 0);
  s.SetRecords("award", 0);
  s.SetRecords("standard", 0);
  // staff 0.10 → 4, rd 0.06 → 50, ip: one II类 → 6: 60 → pass; staff 0.0999 → 0 points → fails S5a2 too.
  s.Set("sci_tech_staff_ratio", 0.10);
  s.Set("rd_to_revenue", 0.06);
  s.Set("rd_to_cost", 0.0);
  s.Set("class1_ip_count", 0.0);
  s.Set("class2_ip_count", 1.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S5"), Outcome::kPass);
  s.Set("rd_to_revenue", 0.0599);  // 40 → 50 total
  EXPECT_EQ(OutcomeOf(*sme, s, "S5"), Outcome::kFail);
  s.Set("rd_to_revenue", 0.06);
  s.Set("class2_ip_count", 0.0);  // 54
  EXPECT_EQ(OutcomeOf(*sme, s, "S5"), Outcome::kFail);
  s.Set("class1_ip_count", 1.0);  // 84, but staff score must not be 0
  s.Set("sci_tech_staff_ratio", 0.0999);
  EXPECT_EQ(OutcomeOf(*sme, s, "S5"), Outcome::kFail);
  s.SetBool("hte_cert_valid", true);  // direct qualification
  EXPECT_EQ(OutcomeOf(*sme, s, "S5"), Outcome::kPass);

  s.Set("total_staff", 500.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S2"), Outcome::kPass);
  s.Set("total_staff", 501.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S2"), Outcome::kFail);
  s.Set("total_staff", 10.0);
  s.Set("sales_revenue_last_year", 200000000.0);
  s.Set("total_assets", 200000000.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S2"), Outcome::kPass);
  s.Set("sales_revenue_last_year", 200000001.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S2"), Outcome::kFail);
  s.Set("sales_revenue_last_year", 1.0);
  s.Set("total_assets", 200000001.0);
  EXPECT_EQ(OutcomeOf(*sme, s, "S2"), Outcome::kFail);
}

TEST_F(Editions, ChuyingTianjin2021Boundaries) {
  auto e = Get("chuying", "tianjin-2021");
  Subject s = Strong();
  s.Set("revenue_prev_year", 100000.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E4"), Outcome::kPass);
  s.Set("revenue_prev_year", 99999.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E4"), Outcome::kFail);
  s.Set("reg_age_years_end_prev", 8.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kPass);
  s.Set("reg_age_years_end_prev", Rational::Of(8 * 365 + 1, 365));
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kFail);
  s.Set("reg_age_years_end_prev", 0.5);
  s.SetBool("registered_before_apply_year", false);
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kFail);

  // E5: one route at a time, from records; the E5.3 contest route also needs one valid IP.
  Subject only;
  only.Set("class1_ip_count", 0);
  only.Set("class2_ip_count", 1);
  only.Set("ip_count", 1);
  only.SetBool("hte_cert_valid", false);
  for (const char* kind :
       {"certificate", "award", "contest", "standard", "plan_project", "rd_institution", "venture_investment"}) {
    only.SetRecords(kind, 0);
  }
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kFail);
  only.SetRecords("venture_investment", 1);
  EXPECT_EQ(OutcomeOf(*e, only, "E5.8"), Outcome::kPass);
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kPass);
  only.SetRecords("venture_investment", 0);
  only.SetRecords("contest", 1);
  EXPECT_EQ(OutcomeOf(*e, only, "E5.3"), Outcome::kPass);
  only.Set("ip_count", 0);
  EXPECT_EQ(OutcomeOf(*e, only, "E5.3"), Outcome::kFail);
  only.Set("class2_ip_count", 2);
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kPass);  // E5.1: two II类
}

TEST_F(Editions, ChuyingTianjin2019Boundaries) {
  auto e = Get("chuying", "tianjin-2019");
  Subject s = Strong();
  s.Set("revenue_prev_year", 10000000.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C2"), Outcome::kPass);
  s.Set("revenue_prev_year", 10000001.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C2"), Outcome::kFail);
  s.Set("reg_age_years_jan1", 1.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kPass);
  s.Set("reg_age_years_jan1", Rational::Of(364, 365));
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kFail);
  s.Set("reg_age_years_jan1", 5.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kPass);
  s.Set("reg_age_years_jan1", Rational::Of(5 * 365 + 1, 365));
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kFail);
}

TEST_F(Editions, DefaultChuyingEditionByYear) {
  EXPECT_EQ((*registry_->Find("chuying", "", 2020))->edition, "tianjin-2019");
  EXPECT_EQ((*registry_->Find("chuying", "", 2021))->edition, "tianjin-2021");
}

}  // namespace
}  // namespace stip::rules
