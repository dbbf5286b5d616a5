#include "common/rules/rule_engine.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace stip::rules {
namespace {

std::string TrimZeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

absl::string_view OpSymbol(Op op) {
  switch (op) {
    case Op::kGe: return "≥ ";
    case Op::kGt: return "> ";
    case Op::kLe: return "≤ ";
    case Op::kLt: return "< ";
    case Op::kEq: return "= ";
    case Op::kNe: return "≠ ";
    case Op::kIn: return "属于 ";
  }
  return "";
}

bool Integral(Unit unit) {
  return unit == Unit::kCount || unit == Unit::kPoints || unit == Unit::kDays;
}

bool Compare(double actual, Op op, double threshold) {
  switch (op) {
    case Op::kGe: return actual >= threshold;
    case Op::kGt: return actual > threshold;
    case Op::kLe: return actual <= threshold;
    case Op::kLt: return actual < threshold;
    case Op::kEq: return actual == threshold;
    case Op::kNe: return actual != threshold;
    case Op::kIn: return false;
  }
  return false;
}

double Shortfall(double actual, Op op, double threshold, Unit unit) {
  double step = Integral(unit) ? 1 : 0;
  switch (op) {
    case Op::kGe: return threshold - actual;
    case Op::kGt: return threshold - actual + step;
    case Op::kLe: return actual - threshold;
    case Op::kLt: return actual - threshold + step;
    case Op::kEq: return std::fabs(actual - threshold);
    case Op::kNe: return 1;
    case Op::kIn: return 0;
  }
  return 0;
}

std::string BandText(const Criterion& c, size_t index) {
  const Band& band = c.bands[index];
  if (!band.label.empty()) return band.label;
  std::string lower;
  if (index > 0) {
    const Band& previous = c.bands[index - 1];
    lower = absl::StrCat(FormatValue(*previous.max, c.band_unit), previous.max_inclusive ? " < " : " ≤ ");
  }
  std::string upper =
      band.max ? absl::StrCat(band.max_inclusive ? " ≤ " : " < ", FormatValue(*band.max, c.band_unit)) : "";
  if (lower.empty() && upper.empty()) return "全部";
  return absl::StrCat(lower, c.band_metric, upper);
}

class Evaluator {
 public:
  Evaluator(const RuleEdition& edition, const MetricSource& source, std::vector<CriterionResult>& results)
      : edition_(edition), source_(source), results_(results) {}

  // Not inlined: GCC 12 reports a false maybe-uninitialized when it inlines the recursion.
  [[gnu::noinline]] Outcome Node(const Criterion& c, int depth) {
    CriterionResult header;
    header.id = c.id;
    header.description = c.description;
    header.depth = depth;
    header.provisional = c.provisional || edition_.provisional;
    header.status = c.status;
    header.source = c.source;
    header.metric = c.metric;
    if (c.kind == Criterion::Kind::kCompare) {
      CompareInto(c, header);
      results_.push_back(std::move(header));
      return results_.back().outcome;
    }
    size_t index = results_.size();
    results_.push_back(std::move(header));
    int pass = 0, missing = 0, fail = 0, total = 0;
    for (const Criterion& child : c.children) {
      ++total;
      switch (Node(child, depth + 1)) {
        case Outcome::kPass: ++pass; break;
        case Outcome::kNotApplicable: break;
        case Outcome::kFail: ++fail; break;
        case Outcome::kMissingData: ++missing; break;
      }
    }
    CriterionResult& result = results_[index];
    int applicable = pass + fail + missing;
    int needed = 0;
    switch (c.kind) {
      case Criterion::Kind::kAllOf:
        needed = applicable;
        result.threshold = "全部满足";
        break;
      case Criterion::Kind::kAnyOf:
        needed = 1;
        result.threshold = "至少满足一项";
        break;
      case Criterion::Kind::kAtLeast:
        needed = c.at_least;
        result.threshold = absl::StrCat("至少满足", c.at_least, "项");
        break;
      case Criterion::Kind::kCompare: break;
    }
    result.actual =
        absl::StrCat("满足", pass, "/", total, "项", missing > 0 ? absl::StrCat("，", missing, "项缺数据") : "");
    result.actual_value = pass;
    result.threshold_value = needed;
    if (applicable == 0) {
      result.outcome = Outcome::kNotApplicable;
    } else if (pass >= needed) {
      result.outcome = Outcome::kPass;
    } else if (pass + missing >= needed) {
      result.outcome = Outcome::kMissingData;
    } else {
      result.outcome = Outcome::kFail;
    }
    if (result.outcome != Outcome::kPass) result.shortfall = needed - pass;
    return result.outcome;
  }

 private:
  void CompareInto(const Criterion& c, CriterionResult& result) {
    std::optional<Value> actual = source_.Get(c.metric);
    if (actual) result.actual = FormatValue(*actual, c.unit);
    if (actual && std::holds_alternative<double>(*actual)) result.actual_value = std::get<double>(*actual);

    if (c.op == Op::kIn) {
      result.threshold = absl::StrCat(OpSymbol(c.op), "{", absl::StrJoin(c.values, "、"), "}");
      if (!actual) {
        result.outcome = Outcome::kMissingData;
        return;
      }
      std::string text = std::holds_alternative<std::string>(*actual) ? std::get<std::string>(*actual)
                                                                      : FormatValue(*actual, Unit::kNumber);
      bool found = std::find(c.values.begin(), c.values.end(), text) != c.values.end();
      result.outcome = found ? Outcome::kPass : Outcome::kFail;
      return;
    }

    std::optional<double> threshold = c.threshold;
    if (!c.band_metric.empty()) {
      std::optional<Value> band_value = source_.Get(c.band_metric);
      if (!band_value || !std::holds_alternative<double>(*band_value)) {
        std::vector<std::string> parts;
        for (size_t i = 0; i < c.bands.size(); ++i) {
          parts.push_back(
              absl::StrCat(BandText(c, i), "：", OpSymbol(c.op), FormatValue(c.bands[i].threshold, c.unit)));
        }
        result.threshold = absl::StrCat("分档（", c.band_metric, "缺数据）：", absl::StrJoin(parts, "；"));
        result.outcome = Outcome::kMissingData;
        return;
      }
      double b = std::get<double>(*band_value);
      for (size_t i = 0; i < c.bands.size(); ++i) {
        const Band& band = c.bands[i];
        bool inside = !band.max || (band.max_inclusive ? b <= *band.max : b < *band.max);
        if (inside) {
          threshold = band.threshold;
          result.threshold = absl::StrCat(OpSymbol(c.op), FormatValue(band.threshold, c.unit), "（", BandText(c, i),
                                          "，", c.band_metric, " = ", FormatValue(b, c.band_unit), "）");
          break;
        }
      }
    } else {
      result.threshold = absl::StrCat(OpSymbol(c.op), FormatValue(*threshold, c.unit));
    }
    result.threshold_value = threshold;
    if (!actual || !std::holds_alternative<double>(*actual)) {
      result.outcome = Outcome::kMissingData;
      return;
    }
    double value = std::get<double>(*actual);
    if (Compare(value, c.op, *threshold)) {
      result.outcome = Outcome::kPass;
    } else {
      result.outcome = Outcome::kFail;
      result.shortfall = Shortfall(value, c.op, *threshold, c.unit);
    }
  }

  const RuleEdition& edition_;
  const MetricSource& source_;
  std::vector<CriterionResult>& results_;
};

}  // namespace

std::optional<Value> MapMetricSource::Get(absl::string_view metric) const {
  auto it = values_.find(metric);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kNotApplicable: return "not_applicable";
    case Outcome::kMissingData: return "missing_data";
  }
  return "missing_data";
}

std::string FormatValue(const Value& value, Unit unit) {
  if (std::holds_alternative<std::string>(value)) return std::get<std::string>(value);
  double v = std::get<double>(value);
  switch (unit) {
    case Unit::kYuan: {
      double magnitude = std::fabs(v);
      if (magnitude >= 1e8) return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v / 1e8)), "亿元");
      if (magnitude >= 1e4) return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v / 1e4)), "万元");
      return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "元");
    }
    case Unit::kRatio: return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v * 100)), "%");
    case Unit::kBool: return v != 0 ? "是" : "否";
    case Unit::kDays: return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "天");
    case Unit::kYears: return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v)), "年");
    case Unit::kPoints: return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "分");
    case Unit::kCount: return TrimZeros(absl::StrFormat("%.2f", v));
    case Unit::kNumber:
    case Unit::kText: return TrimZeros(absl::StrFormat("%.6f", v));
  }
  return absl::StrCat(v);
}

std::optional<Value> DerivedMetricSource::Get(absl::string_view metric) const {
  return GetAt(metric, 0);
}

std::optional<Value> DerivedMetricSource::GetAt(absl::string_view metric, int depth) const {
  if (depth > 16) return std::nullopt;  // a cycle in the edition's derived metrics
  for (const DerivedMetric& derived : edition_.derived) {
    if (derived.name == metric) return Compute(derived, depth + 1);
  }
  return base_.Get(metric);
}

std::optional<Value> DerivedMetricSource::Compute(const DerivedMetric& derived, int depth) const {
  auto number = [&](const std::string& name) -> std::optional<double> {
    std::optional<Value> value = GetAt(name, depth);
    if (!value || !std::holds_alternative<double>(*value)) return std::nullopt;
    return std::get<double>(*value);
  };
  switch (derived.kind) {
    case DerivedMetric::Kind::kStep: {
      std::optional<double> v = number(derived.input);
      if (!v) return std::nullopt;
      for (const Step& step : derived.steps) {
        if (step.exclusive ? *v > step.min : *v >= step.min) return step.points;
      }
      return derived.otherwise;
    }
    case DerivedMetric::Kind::kSum: {
      double total = 0;
      for (const std::string& input : derived.inputs) {
        std::optional<double> v = number(input);
        if (!v) return std::nullopt;  // a sum with a missing part is missing, never a smaller sum
        total += *v;
      }
      return total;
    }
    case DerivedMetric::Kind::kMax:
    case DerivedMetric::Kind::kMin: {
      std::optional<double> best;
      for (const std::string& input : derived.inputs) {
        std::optional<double> v = number(input);
        if (!v) continue;
        if (!best) {
          best = v;
        } else {
          best = derived.kind == DerivedMetric::Kind::kMax ? std::max(*best, *v) : std::min(*best, *v);
        }
      }
      if (!best) return std::nullopt;
      return *best;
    }
  }
  return std::nullopt;
}

Evaluation Evaluate(const RuleEdition& edition, const MetricSource& source) {
  DerivedMetricSource derived(edition, source);
  Evaluation evaluation;
  evaluation.program = edition.program;
  evaluation.edition = edition.edition;
  evaluation.provisional = edition.AnyProvisional();
  std::vector<CriterionResult> results;
  Evaluator evaluator(edition, derived, results);
  // The root (all-of) is evaluated but not reported: its children are the top-level criteria.
  evaluation.outcome = evaluator.Node(edition.root, -1);
  results.erase(results.begin());
  evaluation.results = std::move(results);
  evaluation.eligible = evaluation.outcome == Outcome::kPass;
  return evaluation;
}

std::vector<InputViolation> CheckInputs(const RuleEdition& edition, const MetricSource& source) {
  std::vector<InputViolation> violations;
  for (const InputCap& cap : edition.inputs) {
    std::optional<Value> value = source.Get(cap.metric);
    if (!value) continue;
    if (!std::holds_alternative<double>(*value)) {
      violations.push_back({cap.metric, absl::StrCat(cap.description, "（", cap.metric, "）应为数字")});
      continue;
    }
    double v = std::get<double>(*value);
    std::string label = cap.description.empty() ? cap.metric : absl::StrCat(cap.description, "（", cap.metric, "）");
    if (v < cap.min || v > cap.max) {
      violations.push_back(
          {cap.metric, absl::StrCat(label, "为", FormatValue(v, Unit::kNumber), "，超出范围 ",
                                    FormatValue(cap.min, Unit::kNumber), "–", FormatValue(cap.max, Unit::kNumber))});
    } else if (cap.integer && std::floor(v) != v) {
      violations.push_back({cap.metric, absl::StrCat(label, "须为整数分")});
    }
  }
  return violations;
}

}  // namespace stip::rules
