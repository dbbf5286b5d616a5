// The shipped editions in data/rules/: they parse, cite a source for every criterion, mark [R]/[MISSING] as
// provisional, and put every boundary where the policy text puts it (each taken from both sides).
#include <memory>

#include "common/rules/edition_registry.h"
#include "common/rules/rule_engine.h"
#include "gtest/gtest.h"

namespace stip::rules {
namespace {

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

// An enterprise that passes every shipped edition.
MapMetricSource Strong() {
  MapMetricSource s;
  for (const char* flag :
       {"registered_in_china", "registered_in_tianjin", "independent_legal_person", "registered_before_apply_year",
        "core_ip_support", "hte_cert_valid", "rd_institution", "st_plan_project", "standard_participation"}) {
    s.SetBool(flag, true);
  }
  for (const char* flag : {"prohibited_catalogue", "major_accident", "major_accident_3y", "serious_research_misconduct",
                           "serious_research_misconduct_3y", "abnormal_operation_list", "serious_dishonest_list"}) {
    s.SetBool(flag, false);
  }
  s.Set("reg_age_years_end_prev", 5.0);
  s.Set("reg_age_years_jan1", 3.0);
  s.Set("days_since_registration", 2000.0);
  s.Set("revenue_prev_year", 600000000.0);
  s.Set("sales_revenue_last_year", 150000000.0);
  s.Set("total_staff", 300.0);
  s.Set("total_assets", 150000000.0);
  s.Set("sci_tech_staff_ratio", 0.35);
  s.Set("rd_to_revenue", 0.07);
  s.Set("rd_to_cost", 0.35);
  s.Set("class1_ip_count", 2.0);
  s.Set("class2_ip_count", 6.0);
  s.Set("ip_count", 8.0);
  s.Set("tech_field", std::string("电子信息"));
  s.Set("rd_ratio_3y", 0.06);
  s.Set("domestic_rd_ratio_3y", 0.9);
  s.Set("hightech_revenue_ratio", 0.8);
  s.Set("hte_score_ip", 25.0);
  s.Set("hte_score_conversion", 25.0);
  s.Set("hte_score_org", 15.0);
  s.Set("net_asset_growth", 0.4);
  s.Set("sales_growth", 0.4);
  s.Set("sti_intensity_avg_4y", 0.05);
  s.Set("revenue_cagr_2y", 0.3);
  return s;
}

TEST_F(Editions, AllShippedEditionsLoadAndCiteSources) {
  std::vector<std::shared_ptr<const RuleEdition>> editions = registry_->List();
  EXPECT_EQ(editions.size(), 7u);
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
  MapMetricSource strong = Strong();
  for (const auto& edition : registry_->List()) {
    if (edition->edition == "tianjin-2019") continue;  // 2019 雏鹰 caps revenue at 1000万: a different profile
    Evaluation evaluation = Evaluate(*edition, strong);
    EXPECT_TRUE(evaluation.eligible) << edition->program << "/" << edition->edition;
    for (const CriterionResult& r : evaluation.results) {
      if (r.depth == 0) {
        EXPECT_NE(r.outcome, Outcome::kMissingData) << edition->program << " " << r.id;
      }
    }
  }
}

TEST_F(Editions, ProvisionalProgramsSayProvisionalEverywhere) {
  for (const char* program : {"dengling", "lingjun_peiyu", "lingjun"}) {
    auto edition = Get(program, "tianjin-2021");
    EXPECT_TRUE(edition->provisional);
    Evaluation evaluation = Evaluate(*edition, Strong());
    EXPECT_TRUE(evaluation.provisional);
    for (const CriterionResult& r : evaluation.results) EXPECT_TRUE(r.provisional) << program << " " << r.id;
  }
  EXPECT_TRUE(Get("lingjun", "tianjin-2021")->requires_site_visit);
  EXPECT_TRUE(Get("tech_sme", "national-2017")->AnyProvisional());  // all [R]
  EXPECT_FALSE(Get("chuying", "tianjin-2021")->AnyProvisional());
}

TEST_F(Editions, HighTechRdBandBoundaries) {
  auto hte = Get("high_tech", "national-2016");
  MapMetricSource s = Strong();
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
  MapMetricSource s = Strong();
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

TEST_F(Editions, HighTechScoreMustExceedSeventy) {
  auto hte = Get("high_tech", "national-2016");
  MapMetricSource s = Strong();
  // growth 0.35/0.35 → 9 + 9 = 18; 25 + 20 + 7 + 18 = 70 → fail; one more point → 71 → pass.
  s.Set("net_asset_growth", 0.35);
  s.Set("sales_growth", 0.35);
  s.Set("hte_score_ip", 25.0);
  s.Set("hte_score_conversion", 20.0);
  s.Set("hte_score_org", 7.0);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kFail);
  s.Set("hte_score_org", 8.0);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kPass);
  // Growth just under 35% drops to the next band (7 points).
  s.Set("sales_growth", 0.3499);
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kFail);
  // Growth ≤ 0 scores 0; growth just above 0 scores 1.
  DerivedMetricSource derived(*hte, s);
  s.Set("sales_growth", 0.0);
  EXPECT_EQ(std::get<double>(*derived.Get("hte_sales_growth_score")), 0.0);
  s.Set("sales_growth", 0.0001);
  EXPECT_EQ(std::get<double>(*derived.Get("hte_sales_growth_score")), 1.0);
  s.Set("sales_growth", 0.05);
  EXPECT_EQ(std::get<double>(*derived.Get("hte_sales_growth_score")), 3.0);
  s.Set("sales_growth", 0.0499);
  EXPECT_EQ(std::get<double>(*derived.Get("hte_sales_growth_score")), 1.0);
  // A missing expert score is missing, not zero.
  s.Erase("hte_score_org");
  EXPECT_EQ(OutcomeOf(*hte, s, "H7"), Outcome::kMissingData);
}

TEST_F(Editions, HighTechExpertScoreCaps) {
  auto hte = Get("high_tech", "national-2016");
  MapMetricSource s;
  s.Set("hte_score_ip", 30.0);
  s.Set("hte_score_conversion", 30.0);
  s.Set("hte_score_org", 20.0);
  EXPECT_TRUE(CheckInputs(*hte, s).empty());
  s.Set("hte_score_ip", 31.0);
  s.Set("hte_score_org", 21.0);
  EXPECT_EQ(CheckInputs(*hte, s).size(), 2u);
}

TEST_F(Editions, TechSmeStepTables) {
  auto sme = Get("tech_sme", "national-2017");
  MapMetricSource s;
  DerivedMetricSource d(*sme, s);
  auto points = [&](const char* metric) { return std::get<double>(*d.Get(metric)); };
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
  MapMetricSource s = Strong();
  s.SetBool("hte_cert_valid", false);
  s.SetBool("rd_institution", false);
  s.SetBool("st_award_top3_5y", false);
  s.SetBool("standard_led_5y", false);
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
  MapMetricSource s = Strong();
  s.Set("revenue_prev_year", 100000.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E4"), Outcome::kPass);
  s.Set("revenue_prev_year", 99999.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E4"), Outcome::kFail);
  s.Set("reg_age_years_end_prev", 8.0);
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kPass);
  s.Set("reg_age_years_end_prev", 8.0027);
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kFail);
  s.Set("reg_age_years_end_prev", 0.5);
  s.SetBool("registered_before_apply_year", false);
  EXPECT_EQ(OutcomeOf(*e, s, "E2"), Outcome::kFail);

  // E5: only the venture-investment route, from both sides of 100万.
  MapMetricSource only;
  for (const char* flag :
       {"software_enterprise_cert", "software_product_cert", "competition_award", "hte_cert_valid", "tianjin_hte_cert",
        "st_award", "rd_institution", "standard_participation", "st_plan_project"}) {
    only.SetBool(flag, false);
  }
  only.Set("class1_ip_count", 0.0);
  only.Set("class2_ip_count", 1.0);
  only.Set("ip_count", 1.0);
  only.Set("max_single_venture_investment", 1000000.0);
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kPass);
  only.Set("max_single_venture_investment", 999999.0);
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kFail);
  only.Set("class2_ip_count", 2.0);
  EXPECT_EQ(OutcomeOf(*e, only, "E5"), Outcome::kPass);
}

TEST_F(Editions, ChuyingTianjin2019Boundaries) {
  auto e = Get("chuying", "tianjin-2019");
  MapMetricSource s = Strong();
  s.Set("revenue_prev_year", 10000000.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C2"), Outcome::kPass);
  s.Set("revenue_prev_year", 10000001.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C2"), Outcome::kFail);
  s.Set("reg_age_years_jan1", 1.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kPass);
  s.Set("reg_age_years_jan1", 0.9973);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kFail);
  s.Set("reg_age_years_jan1", 5.0);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kPass);
  s.Set("reg_age_years_jan1", 5.0027);
  EXPECT_EQ(OutcomeOf(*e, s, "C1"), Outcome::kFail);
}

TEST_F(Editions, DefaultChuyingEditionByYear) {
  EXPECT_EQ((*registry_->Find("chuying", "", 2020))->edition, "tianjin-2019");
  EXPECT_EQ((*registry_->Find("chuying", "", 2021))->edition, "tianjin-2021");
}

}  // namespace
}  // namespace stip::rules
