// A small district tree and plan for the indicators unit tests.
#ifndef STIP_TESTS_UNIT_INDICATORS_TEST_CATALOG_H_
#define STIP_TESTS_UNIT_INDICATORS_TEST_CATALOG_H_

#include <memory>

#include "services/indicators/domain/plan_catalog.h"

namespace stip::indicators {

inline std::unique_ptr<PlanCatalog> TestCatalog() {
  constexpr const char* kJson = R"json({
    "org_units": [
      {"code": "d", "display_name": "区", "kind": "DISTRICT", "parent": ""},
      {"code": "kjj", "display_name": "区科技局", "kind": "BUREAU", "parent": "d"},
      {"code": "gxj", "display_name": "区工信局", "kind": "BUREAU", "parent": "d"},
      {"code": "tjj", "display_name": "区统计局", "kind": "BUREAU", "parent": "d"},
      {"code": "s1", "display_name": "街道一", "kind": "STREET", "parent": "d"},
      {"code": "p1", "display_name": "园区一", "kind": "PARK", "parent": "d"}
    ],
    "plan": {"id": "t", "display_name": "测试计划", "start_year": 2020, "end_year": 2022, "district": "d",
      "status_thresholds": {"achieved": 1.0, "on_track": 0.9},
      "indicators": [
        {"code": "stock", "number": 1, "display_name": "存量", "unit": "家", "kind": "STOCK",
         "targets": [{"year": 2020, "value": 10, "text": "10"}, {"year": 2022, "value": 30, "text": "30"}],
         "lead_unit": "kjj", "responsible_units": [], "streets_and_parks_responsible": true},
        {"code": "ratio", "number": 2, "display_name": "比重", "unit": "%", "kind": "RATIO",
         "targets": [{"year": 2020, "value": 1.0, "text": "1.0"}],
         "lead_unit": "", "responsible_units": ["gxj"]},
        {"code": "cum", "number": 3, "display_name": "累计", "unit": "家", "kind": "CUMULATIVE_COUNT",
         "targets": [{"year": 2021, "value": 1, "text": "1"}], "lead_unit": "kjj", "streets_and_parks_responsible": true}
      ],
      "key_tasks": [{"number": 1, "title": "任务", "lead_unit": "kjj", "responsible_units": ["p1"],
        "milestones": [{"code": "m", "display_name": "目标", "unit": "项", "target": 60}]}]
    }})json";
  auto catalog = PlanCatalog::FromJson(kJson);
  return catalog.ok() ? std::move(*catalog) : nullptr;
}

}  // namespace stip::indicators

#endif  // STIP_TESTS_UNIT_INDICATORS_TEST_CATALOG_H_
