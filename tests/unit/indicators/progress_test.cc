#include "services/indicators/domain/progress.h"

#include "gtest/gtest.h"

namespace stip::indicators {
namespace {

TEST(AttainmentTest, HigherIsBetter) {
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kHigherIsBetter, 440, 440), 1.0);
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kHigherIsBetter, 396, 440), 0.9);
}

TEST(AttainmentTest, LowerIsBetterUsesDistanceFromTarget) {
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kLowerIsBetter, 8, 10), 1.2);
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kLowerIsBetter, 12, 10), 0.8);
  // Negative targets do not flip the sign (the SAP forum failure mode).
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kLowerIsBetter, -1, -2), 0.5);
}

TEST(AttainmentTest, ZeroTargetIsMetByAnyNonNegativeActual) {
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kHigherIsBetter, 0, 0), 1.0);
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kHigherIsBetter, 1, 0), 1.0);
  EXPECT_DOUBLE_EQ(Attainment(Polarity::kLowerIsBetter, 1, 0), 0.0);
}

TEST(StatusTest, ThresholdsFromBothSides) {
  StatusThresholds thresholds{1.0, 0.9};
  EXPECT_EQ(StatusOf(std::nullopt, thresholds), ProgressStatus::kNoData);
  EXPECT_EQ(StatusOf(1.0, thresholds), ProgressStatus::kAchieved);
  EXPECT_EQ(StatusOf(0.9999, thresholds), ProgressStatus::kOnTrack);
  EXPECT_EQ(StatusOf(0.9, thresholds), ProgressStatus::kOnTrack);
  EXPECT_EQ(StatusOf(0.8999, thresholds), ProgressStatus::kAtRisk);
  EXPECT_EQ(StatusOf(3.2 / 3.2, thresholds), ProgressStatus::kAchieved);
  EXPECT_EQ(StatusOf(0.95, StatusThresholds{1.0, 0.96}), ProgressStatus::kAtRisk);  // configurable
}

TEST(TrendTest, UpDownFlat) {
  EXPECT_EQ(TrendOf(380, 440), Trend::kUp);
  EXPECT_EQ(TrendOf(3.0, 2.9), Trend::kDown);
  EXPECT_EQ(TrendOf(17, 17), Trend::kFlat);
}

TEST(ForecastTest, ExactLineIsExtrapolated) {
  auto forecast = ForecastFinalYear({{2020, 380}, {2021, 440}}, 2022, 500);
  ASSERT_TRUE(forecast.has_value());
  EXPECT_NEAR(forecast->value, 500, 1e-9);
  EXPECT_NEAR(forecast->slope, 60, 1e-9);
  EXPECT_TRUE(forecast->low_confidence);
  EXPECT_NEAR(forecast->required_slope, 60, 1e-9);
}

TEST(ForecastTest, RecentYearsWeighMore) {
  // Unweighted OLS through (0,0),(1,10),(2,10) projects 3 → 18.33; weights 1,2,3 pull it toward the recent flat.
  auto forecast = ForecastFinalYear({{2020, 0}, {2021, 10}, {2022, 10}}, 2023, 0);
  ASSERT_TRUE(forecast.has_value());
  EXPECT_FALSE(forecast->low_confidence);
  double x_mean = (1 * 2020 + 2 * 2021 + 3 * 2022) / 6.0;
  double y_mean = (0 + 20 + 30) / 6.0;
  double sxy =
      1 * (2020 - x_mean) * (0 - y_mean) + 2 * (2021 - x_mean) * (10 - y_mean) + 3 * (2022 - x_mean) * (10 - y_mean);
  double sxx = 1 * (2020 - x_mean) * (2020 - x_mean) + 2 * (2021 - x_mean) * (2021 - x_mean) +
               3 * (2022 - x_mean) * (2022 - x_mean);
  EXPECT_NEAR(forecast->slope, sxy / sxx, 1e-9);
  EXPECT_NEAR(forecast->value, y_mean + sxy / sxx * (2023 - x_mean), 1e-9);
  EXPECT_LT(forecast->value, 18.33);
}

TEST(ForecastTest, OnePointIsFlatAndLowConfidence) {
  auto forecast = ForecastFinalYear({{2020, 2.93}}, 2022, 3.2);
  ASSERT_TRUE(forecast.has_value());
  EXPECT_DOUBLE_EQ(forecast->value, 2.93);
  EXPECT_TRUE(forecast->low_confidence);
  EXPECT_NEAR(forecast->required_slope, (3.2 - 2.93) / 2, 1e-12);
  EXPECT_FALSE(ForecastFinalYear({}, 2022, 1).has_value());
}

TEST(MilestoneTest, ProRatedOverThePlanYears) {
  StatusThresholds thresholds{1.0, 0.9};
  // 150 makers over 2020-2022: 50 due by 2020, 100 by 2021.
  EXPECT_EQ(MilestoneStatus(std::nullopt, 150, 2020, 2020, 2022, thresholds), ProgressStatus::kNoData);
  EXPECT_EQ(MilestoneStatus(50, 150, 2020, 2020, 2022, thresholds), ProgressStatus::kOnTrack);
  EXPECT_EQ(MilestoneStatus(44, 150, 2020, 2020, 2022, thresholds), ProgressStatus::kAtRisk);
  EXPECT_EQ(MilestoneStatus(90, 150, 2021, 2020, 2022, thresholds), ProgressStatus::kOnTrack);
  EXPECT_EQ(MilestoneStatus(150, 150, 2021, 2020, 2022, thresholds), ProgressStatus::kAchieved);
}

}  // namespace
}  // namespace stip::indicators
