// Forms a unit's (usually the district's) value of a measure for a year from the values units reported.
#ifndef STIP_SERVICES_INDICATORS_AGGREGATION_H_
#define STIP_SERVICES_INDICATORS_AGGREGATION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/indicators/domain/plan_catalog.h"

namespace stip::indicators {

struct UnitValue {
  std::string org_unit;
  int year = 0;
  double value = 0;
  std::optional<double> numerator;  // ratio indicators reported as parts
  std::optional<double> denominator;
};

struct AggregateResult {
  bool has_value = false;
  double value = 0;
  std::string method;           // in words, for the officer reading the number
  std::vector<UnitValue> used;  // the unit values that went into it
};

// The rules, by kind:
// - A value reported for the unit itself (the statistics side's district total, say) is authoritative;
//   otherwise the unit's value is formed from its children in the tree (streets and parks), recursively,
//   so nothing is counted twice.
// - STOCK and FLOW: the sum of the children's values for the year.
// - RATIO: Σnumerator / Σdenominator × 100 over children that reported both parts (a ratio of sums,
//   never a sum or mean of ratios); children that reported only a ratio cannot be combined and are left out.
// - CUMULATIVE_COUNT: the per-year values summed over the plan years from `first_year` up to `year`.
AggregateResult Aggregate(const PlanCatalog& catalog, const MeasureDef& measure, absl::string_view org_unit, int year,
                          int first_year, const std::vector<UnitValue>& values);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_AGGREGATION_H_
