#include "services/evaluation/domain/annual_report.h"

#include <set>

#include "gtest/gtest.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

double LowOf(const rules::Value& value) {
  return std::get<rules::Number>(value).low.ToDouble();
}

std::set<std::string> Fields(const AnnualReport& r) {
  std::set<std::string> out;
  for (const Violation& v : ValidateReport(r)) out.insert(v.field);
  return out;
}

TEST(AnnualReport, StrongReportIsValid) {
  EXPECT_TRUE(ValidateReport(testing::StrongReport()).empty());
}

TEST(AnnualReport, NegativeAndFractionalFiguresAreRejected) {
  AnnualReport r = testing::StrongReport();
  r.figures["incubation_area_m2"] = -1;
  r.figures["mentors"] = 2.5;
  r.figures["main_industry_share"] = 1.2;
  r.figures["public_tech_platform"] = 2;
  r.figures["no_such_figure"] = 1;
  std::set<std::string> f = Fields(r);
  for (const char* x : {"report.incubation_area_m2", "report.mentors", "report.main_industry_share",
                        "report.public_tech_platform", "report.no_such_figure"}) {
    EXPECT_EQ(f.count(x), 1u) << x;
  }
}

TEST(AnnualReport, PartsCannotExceedWholes) {
  AnnualReport r = testing::StrongReport();
  r.figures["graduated"] = 61;  // > 60 incubatees
  r.figures["cumulative_graduates"] = 61;
  r.figures["financed_incubatees"] = 61;
  r.figures["professional_staff"] = 11;    // > 10 staff
  r.figures["incubatee_area_m2"] = 15001;  // > incubation area
  std::set<std::string> f = Fields(r);
  for (const char* x :
       {"report.graduated", "report.financed_incubatees", "report.professional_staff", "report.incubatee_area_m2"}) {
    EXPECT_EQ(f.count(x), 1u) << x;
  }
  // Boundary: equal is fine.
  r = testing::StrongReport();
  r.figures["graduated"] = 30;
  r.figures["cumulative_graduates"] = 30;
  EXPECT_TRUE(ValidateReport(r).empty());
  r.figures["cumulative_graduates"] = 29;
  EXPECT_EQ(Fields(r).count("report.graduated"), 1u);
}

TEST(AnnualReport, YearAndStatisticsConsistency) {
  AnnualReport r = testing::StrongReport();
  r.year = 1999;
  r.figures["statistics_years"] = 0;
  std::set<std::string> f = Fields(r);
  EXPECT_EQ(f.count("report.year"), 1u);
  EXPECT_EQ(f.count("report.statistics_years"), 1u);
}

TEST(AnnualReport, MetricsComputeRatiosAndLeaveZeroDenominatorsMissing) {
  Carrier c = testing::Incubator();
  AnnualReport r = testing::StrongReport();
  CarrierMetrics m(c, r);
  EXPECT_DOUBLE_EQ(LowOf(*m.Get("incubatee_area_share")), 0.8);
  EXPECT_DOUBLE_EQ(LowOf(*m.Get("mentors_per_10_incubatees")), 2.0);
  EXPECT_DOUBLE_EQ(LowOf(*m.Get("incubatees_per_1000m2")), 4.0);
  EXPECT_DOUBLE_EQ(LowOf(*m.Get("premises_secure_years")), 99.0);
  r.figures["incubatees"] = 0;
  CarrierMetrics empty(c, r);
  EXPECT_FALSE(empty.Get("financed_incubatee_share").has_value());
  EXPECT_FALSE(empty.Get("unknown_metric").has_value());
}

TEST(AnnualReport, FiguresRoundTripThroughJson) {
  AnnualReport r = testing::StrongReport();
  EXPECT_EQ(FiguresFromJson(FiguresToJson(r.figures)), r.figures);
}

}  // namespace
}  // namespace stip::evaluation
