#include "services/indicators/domain/aggregation.h"

#include "absl/strings/str_cat.h"

namespace stip::indicators {
namespace {

struct Partial {
  bool has_value = false;
  double value = 0;
  double numerator = 0;
  double denominator = 0;
  bool has_parts = false;
  bool own = false;  // the unit's own reported value was used
  std::vector<UnitValue> used;
};

const UnitValue* Find(const std::vector<UnitValue>& values, absl::string_view unit, int year) {
  for (const UnitValue& value : values) {
    if (value.org_unit == unit && value.year == year) return &value;
  }
  return nullptr;
}

Partial YearValue(const PlanCatalog& catalog, const MeasureDef& measure, absl::string_view unit, int year,
                  const std::vector<UnitValue>& values) {
  Partial result;
  if (const UnitValue* own = Find(values, unit, year)) {
    result.has_value = true;
    result.own = true;
    result.value = own->value;
    if (own->numerator && own->denominator) {
      result.has_parts = true;
      result.numerator = *own->numerator;
      result.denominator = *own->denominator;
    }
    result.used.push_back(*own);
    return result;
  }
  for (const OrgUnitDef* child : catalog.ValueHoldingChildren(unit)) {
    Partial part = YearValue(catalog, measure, child->code, year, values);
    if (!part.has_value) continue;
    if (measure.kind == IndicatorKind::kRatio) {
      if (!part.has_parts) continue;
      result.numerator += part.numerator;
      result.denominator += part.denominator;
      result.has_parts = true;
    } else {
      result.value += part.value;
    }
    result.has_value = true;
    result.used.insert(result.used.end(), part.used.begin(), part.used.end());
  }
  if (measure.kind == IndicatorKind::kRatio) {
    result.has_value = result.has_parts && result.denominator > 0;
    if (result.has_value) result.value = result.numerator / result.denominator * 100.0;
  }
  return result;
}

}  // namespace

AggregateResult Aggregate(const PlanCatalog& catalog, const MeasureDef& measure, absl::string_view org_unit, int year,
                          int first_year, const std::vector<UnitValue>& values) {
  AggregateResult result;
  if (measure.kind == IndicatorKind::kCumulativeCount) {
    int years = 0;
    for (int y = first_year; y <= year; ++y) {
      Partial part = YearValue(catalog, measure, org_unit, y, values);
      if (!part.has_value) continue;
      result.has_value = true;
      result.value += part.value;
      ++years;
      result.used.insert(result.used.end(), part.used.begin(), part.used.end());
    }
    result.method =
        absl::StrCat("累计: new items per year summed over ", first_year, "–", year, " (", years, " year(s) reported)");
    return result;
  }
  Partial part = YearValue(catalog, measure, org_unit, year, values);
  result.has_value = part.has_value;
  result.value = part.value;
  result.used = std::move(part.used);
  if (!result.has_value) {
    result.method = "no values reported";
  } else if (part.own) {
    result.method = absl::StrCat("value reported for ", org_unit, " itself");
  } else if (measure.kind == IndicatorKind::kRatio) {
    result.method = absl::StrCat("Σnumerator / Σdenominator × 100 over ", result.used.size(), " unit value(s)");
  } else {
    result.method = absl::StrCat(measure.kind == IndicatorKind::kStock ? "year-end values" : "values of the year",
                                 " summed over ", result.used.size(), " unit value(s)");
  }
  return result;
}

}  // namespace stip::indicators
