#include "services/indicators/domain/plan_catalog.h"

#include "gtest/gtest.h"

namespace stip::indicators {
namespace {

TEST(PlanCatalogTest, DongliPlanLoadsWithThirteenIndicatorsAndTwentyOneTasks) {
  auto catalog = PlanCatalog::LoadDirectory(std::string(STIP_SOURCE_DATA_DIR) + "/plans");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const PlanDef* plan = (*catalog)->FindPlan("plans/dongli-2020-2022");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->indicators.size(), 13u);
  EXPECT_EQ(plan->key_tasks.size(), 21u);
  EXPECT_EQ(plan->start_year, 2020);
  EXPECT_EQ(plan->end_year, 2022);
  const MeasureDef* patents = (*catalog)->FindMeasure("plans/dongli-2020-2022/indicators/invention-patents");
  ASSERT_NE(patents, nullptr);
  EXPECT_EQ(patents->unit, "万件");
  EXPECT_EQ(patents->targets.at(2020).text, "0.18");
  EXPECT_EQ(patents->kind, IndicatorKind::kStock);
  EXPECT_EQ(patents->lead_unit, "kjj");
  const MeasureDef* trainees = (*catalog)->FindMeasure("plans/dongli-2020-2022/keyTasks/16/milestones/trainees");
  ASSERT_NE(trainees, nullptr);
  EXPECT_DOUBLE_EQ(trainees->period_target, 600);
  EXPECT_EQ(trainees->lead_unit, "rsj");
}

TEST(PlanCatalogTest, RejectsUnknownUnitReferences) {
  auto catalog = PlanCatalog::FromJson(R"({"org_units": [{"code": "d", "display_name": "区", "kind": "DISTRICT"}],
    "plan": {"id": "x", "display_name": "x", "start_year": 2020, "end_year": 2022, "district": "d",
      "indicators": [{"code": "a", "number": 1, "display_name": "a", "unit": "家", "kind": "STOCK", "targets": [],
                      "lead_unit": "nobody"}]}})");
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.status().message().find("nobody"), absl::string_view::npos);
}

TEST(PlanCatalogTest, RejectsUnknownKind) {
  auto catalog = PlanCatalog::FromJson(R"({"org_units": [{"code": "d", "display_name": "区", "kind": "DISTRICT"}],
    "plan": {"id": "x", "display_name": "x", "start_year": 2020, "end_year": 2022, "district": "d",
      "indicators": [{"code": "a", "number": 1, "display_name": "a", "unit": "家", "kind": "AVERAGE", "targets": []}]}})");
  EXPECT_FALSE(catalog.ok());
}

}  // namespace
}  // namespace stip::indicators
