#include "services/indicators/domain/aggregation.h"

#include "gtest/gtest.h"
#include "tests/unit/indicators/test_catalog.h"

namespace stip::indicators {
namespace {

UnitValue V(const char* unit, int year, double value, std::optional<double> numerator = std::nullopt,
            std::optional<double> denominator = std::nullopt) {
  return UnitValue{unit, year, value, numerator, denominator};
}

class AggregationTest : public ::testing::Test {
 protected:
  std::unique_ptr<PlanCatalog> catalog_ = TestCatalog();
  const MeasureDef& Measure(const char* code) {
    return *catalog_->FindMeasure(std::string("plans/t/indicators/") + code);
  }
};

TEST_F(AggregationTest, StockSumsStreetsAndParksOfTheYear) {
  std::vector<UnitValue> values = {V("s1", 2021, 4), V("p1", 2021, 6), V("p1", 2020, 100)};
  AggregateResult result = Aggregate(*catalog_, Measure("stock"), "d", 2021, 2020, values);
  ASSERT_TRUE(result.has_value);
  EXPECT_DOUBLE_EQ(result.value, 10);
  EXPECT_EQ(result.used.size(), 2u);
}

TEST_F(AggregationTest, DistrictOwnValueIsAuthoritativeAndNotAddedToParts) {
  std::vector<UnitValue> values = {V("s1", 2021, 4), V("p1", 2021, 6), V("d", 2021, 12)};
  AggregateResult result = Aggregate(*catalog_, Measure("stock"), "d", 2021, 2020, values);
  EXPECT_DOUBLE_EQ(result.value, 12);
  EXPECT_EQ(result.used.size(), 1u);
}

TEST_F(AggregationTest, RatioIsRatioOfSumsNotMeanOfRatios) {
  // 1/10 = 10 % and 2/90 = 2.22 %: the mean of the ratios would be 6.11 %, the ratio of sums is 3/100 = 3 %.
  std::vector<UnitValue> values = {V("s1", 2020, 10, 1.0, 10.0), V("p1", 2020, 2.222, 2.0, 90.0)};
  AggregateResult result = Aggregate(*catalog_, Measure("ratio"), "d", 2020, 2020, values);
  ASSERT_TRUE(result.has_value);
  EXPECT_NEAR(result.value, 3.0, 1e-9);  // (1 + 2) / (10 + 90) × 100
}

TEST_F(AggregationTest, RatioWithoutPartsCannotBeCombined) {
  std::vector<UnitValue> values = {V("s1", 2020, 10), V("p1", 2020, 20, 2.0, 10.0)};
  AggregateResult result = Aggregate(*catalog_, Measure("ratio"), "d", 2020, 2020, values);
  EXPECT_NEAR(result.value, 20.0, 1e-9);
  EXPECT_EQ(result.used.size(), 1u);
}

TEST_F(AggregationTest, RatioReportedByStatisticsSideForTheDistrict) {
  std::vector<UnitValue> values = {V("d", 2020, 2.93), V("p1", 2020, 20, 2.0, 10.0)};
  AggregateResult result = Aggregate(*catalog_, Measure("ratio"), "d", 2020, 2020, values);
  EXPECT_DOUBLE_EQ(result.value, 2.93);
}

TEST_F(AggregationTest, CumulativeCountSumsNewItemsOverPlanYears) {
  std::vector<UnitValue> values = {V("s1", 2020, 1), V("p1", 2021, 1), V("p1", 2022, 5)};
  EXPECT_DOUBLE_EQ(Aggregate(*catalog_, Measure("cum"), "d", 2020, 2020, values).value, 1);
  EXPECT_DOUBLE_EQ(Aggregate(*catalog_, Measure("cum"), "d", 2021, 2020, values).value, 2);
  EXPECT_DOUBLE_EQ(Aggregate(*catalog_, Measure("cum"), "d", 2022, 2020, values).value, 7);
}

TEST_F(AggregationTest, NothingReportedHasNoValue) {
  AggregateResult result = Aggregate(*catalog_, Measure("stock"), "d", 2021, 2020, {V("s1", 2020, 3)});
  EXPECT_FALSE(result.has_value);
  EXPECT_EQ(result.method, "no values reported");
}

}  // namespace
}  // namespace stip::indicators
