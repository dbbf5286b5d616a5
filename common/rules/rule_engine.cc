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

bool Holds(const Rational& actual, Op op, const Rational& threshold) {
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

// The least value that meets the comparison: for "> 70 分" on whole points it is 71.
Rational NeededValue(Op op, const Rational& threshold, Unit unit) {
  bool whole = Integral(unit);
  switch (op) {
    case Op::kGt: return whole ? threshold.Floor() + 1 : threshold;
    case Op::kLt: return whole ? threshold.Ceil() - 1 : threshold;
    default: return threshold;
  }
}

Rational Shortfall(const Rational& actual, Op op, const Rational& threshold, Unit unit) {
  Rational needed = NeededValue(op, threshold, unit);
  switch (op) {
    case Op::kGe:
    case Op::kGt: return needed - actual;
    case Op::kLe:
    case Op::kLt: return actual - needed;
    case Op::kEq: return actual > threshold ? actual - threshold : threshold - actual;
    case Op::kNe: return Rational(1);
    case Op::kIn: return Rational(0);
  }
  return Rational(0);
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

// The numeric part of a value, if it has one that is valid.
std::optional<Number> NumberOf(const std::optional<Value>& value) {
  if (!value || !std::holds_alternative<Number>(*value)) return std::nullopt;
  const Number& number = std::get<Number>(*value);
  if (!number.valid()) return std::nullopt;
  return number;
}

struct Tally {
  int pass = 0, fail = 0, missing = 0, unknown = 0, depends = 0, total = 0;
  void Add(Outcome outcome) {
    ++total;
    switch (outcome) {
      case Outcome::kPass: ++pass; break;
      case Outcome::kFail: ++fail; break;
      case Outcome::kMissingData: ++missing; break;
      case Outcome::kUnknown: ++unknown; break;
      case Outcome::kDependsOnExperts: ++depends; break;
      case Outcome::kNotApplicable: break;
    }
  }
  int applicable() const { return pass + fail + missing + unknown + depends; }
  // Undecided children in the order an officer can act on: data first, then experts; unknown rules last.
  Outcome Undecided() const {
    if (missing > 0) return Outcome::kMissingData;
    if (unknown > 0) return Outcome::kUnknown;
    return Outcome::kDependsOnExperts;
  }
  Outcome Of(int needed) const {
    if (applicable() == 0) return Outcome::kNotApplicable;
    if (pass >= needed) return Outcome::kPass;
    if (pass + missing + unknown + depends < needed) return Outcome::kFail;
    if (pass + depends >= needed) return Outcome::kDependsOnExperts;
    return missing > 0 ? Outcome::kMissingData : Outcome::kUnknown;
  }
};

}  // namespace

std::optional<Value> MapMetricSource::Get(absl::string_view metric) const {
  auto it = values_.find(metric);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<Figure> MapMetricSource::Explain(absl::string_view metric) const {
  auto it = explain_.find(metric);
  if (it == explain_.end()) return {};
  return it->second;
}

MetricInfo MapMetricSource::Describe(absl::string_view metric) const {
  auto it = info_.find(metric);
  if (it == info_.end()) return {std::string(metric), Unit::kNumber};
  return it->second;
}

absl::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kNotApplicable: return "not_applicable";
    case Outcome::kMissingData: return "missing_data";
    case Outcome::kDependsOnExperts: return "depends_on_expert_scoring";
    case Outcome::kUnknown: return "unknown";
  }
  return "missing_data";
}

absl::string_view OutcomeText(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "符合";
    case Outcome::kFail: return "不符合";
    case Outcome::kNotApplicable: return "不适用";
    case Outcome::kMissingData: return "缺数据，无法判断";
    case Outcome::kDependsOnExperts: return "取决于专家评分";
    case Outcome::kUnknown: return "规则暂缺，无法判断";
  }
  return "缺数据，无法判断";
}

std::string FormatValue(const Rational& value, Unit unit) {
  double v = value.ToDouble();
  switch (unit) {
    case Unit::kYuan: {
      double magnitude = std::fabs(v);
      if (magnitude >= 1e8) return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v / 1e8)), "亿元");
      if (magnitude >= 1e4) return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v / 1e4)), "万元");
      return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "元");
    }
    case Unit::kRatio: return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v * 100)), "%");
    case Unit::kBool: return value != Rational(0) ? "是" : "否";
    case Unit::kDays: return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "天");
    case Unit::kYears: return absl::StrCat(TrimZeros(absl::StrFormat("%.4f", v)), "年");
    case Unit::kPoints: return absl::StrCat(TrimZeros(absl::StrFormat("%.2f", v)), "分");
    case Unit::kCount: return TrimZeros(absl::StrFormat("%.2f", v));
    case Unit::kNumber:
    case Unit::kText: return TrimZeros(absl::StrFormat("%.6f", v));
  }
  return absl::StrCat(v);
}

std::string FormatValue(const Value& value, Unit unit) {
  if (std::holds_alternative<std::string>(value)) return std::get<std::string>(value);
  const Number& number = std::get<Number>(value);
  if (number.exact()) return FormatValue(number.low, unit);
  return absl::StrCat(FormatValue(number.low, unit), "–", FormatValue(number.high, unit));
}

namespace {

class Evaluator {
 public:
  Evaluator(const RuleEdition& edition, const MetricSource& source, bool explain, std::vector<CriterionResult>& results)
      : edition_(edition), source_(source), explain_(explain), results_(results) {}

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
    Tally tally;
    for (const Criterion& child : c.children) tally.Add(Node(child, depth + 1));
    CriterionResult& result = results_[index];
    int needed = GroupNeeds(c, tally, result);
    result.actual = absl::StrCat("满足", tally.pass, "/", tally.total, "项",
                                 tally.missing > 0 ? absl::StrCat("，", tally.missing, "项缺数据") : "",
                                 tally.depends > 0 ? absl::StrCat("，", tally.depends, "项取决于专家评分") : "",
                                 tally.unknown > 0 ? absl::StrCat("，", tally.unknown, "项规则暂缺") : "");
    result.actual_number = Number(Rational(tally.pass));
    result.threshold_number = Rational(needed);
    result.outcome = tally.Of(needed);
    if (result.outcome != Outcome::kPass) result.shortfall = Rational(std::max(0, needed - tally.pass));
    return result.outcome;
  }

 private:
  static int GroupNeeds(const Criterion& c, const Tally& tally, CriterionResult& result) {
    switch (c.kind) {
      case Criterion::Kind::kAllOf: result.threshold = "全部满足"; return tally.applicable();
      case Criterion::Kind::kAnyOf: result.threshold = "至少满足一项"; return 1;
      case Criterion::Kind::kAtLeast: result.threshold = absl::StrCat("至少满足", c.at_least, "项"); return c.at_least;
      case Criterion::Kind::kCompare: break;
    }
    return 0;
  }

  void InSetInto(const Criterion& c, const std::optional<Value>& actual, CriterionResult& result) {
    result.threshold = absl::StrCat(OpSymbol(c.op), "{", absl::StrJoin(c.values, "、"), "}");
    if (!actual) {
      result.outcome = Outcome::kMissingData;
      return;
    }
    std::string text = std::holds_alternative<std::string>(*actual) ? std::get<std::string>(*actual)
                                                                    : FormatValue(*actual, Unit::kNumber);
    bool found = std::find(c.values.begin(), c.values.end(), text) != c.values.end();
    result.outcome = found ? Outcome::kPass : Outcome::kFail;
  }

  // The threshold, chosen by band when the criterion has bands; nullopt when the band metric is missing.
  std::optional<Rational> ThresholdFor(const Criterion& c, CriterionResult& result) {
    if (c.band_metric.empty()) {
      if (c.threshold) result.threshold = absl::StrCat(OpSymbol(c.op), FormatValue(*c.threshold, c.unit));
      return c.threshold;
    }
    std::optional<Number> band_value = NumberOf(source_.Get(c.band_metric));
    MetricInfo info = source_.Describe(c.band_metric);
    if (!band_value || !band_value->exact()) {
      std::vector<std::string> parts;
      for (size_t i = 0; i < c.bands.size(); ++i) {
        parts.push_back(absl::StrCat(BandText(c, i), "：", OpSymbol(c.op), FormatValue(c.bands[i].threshold, c.unit)));
      }
      result.threshold = absl::StrCat("分档（", info.label, "缺数据）：", absl::StrJoin(parts, "；"));
      return std::nullopt;
    }
    const Rational& b = band_value->low;
    if (explain_) result.figures.push_back({c.band_metric, info.label, FormatValue(b, c.band_unit), *band_value});
    for (size_t i = 0; i < c.bands.size(); ++i) {
      const Band& band = c.bands[i];
      if (band.max && !(band.max_inclusive ? b <= *band.max : b < *band.max)) continue;
      result.threshold = absl::StrCat(OpSymbol(c.op), FormatValue(band.threshold, c.unit), "（", BandText(c, i), "，",
                                      info.label, " = ", FormatValue(b, c.band_unit), "）");
      return band.threshold;
    }
    return std::nullopt;
  }

  void CompareInto(const Criterion& c, CriterionResult& result) {
    std::optional<Value> actual = source_.Get(c.metric);
    if (actual) result.actual = FormatValue(*actual, c.unit);
    if (explain_) {
      std::vector<Figure> figures = source_.Explain(c.metric);
      result.figures.insert(result.figures.end(), figures.begin(), figures.end());
    }
    if (c.op == Op::kIn) return InSetInto(c, actual, result);
    if (!c.threshold && c.band_metric.empty()) {
      result.threshold = "阈值未公布（暂缺，不作判断）";
      result.outcome = Outcome::kUnknown;
      return;
    }
    std::optional<Rational> threshold = ThresholdFor(c, result);
    if (threshold) result.threshold_number = *threshold;
    std::optional<Number> number = NumberOf(actual);
    if (number) result.actual_number = *number;
    if (!threshold || !number) {
      result.outcome = Outcome::kMissingData;
      return;
    }
    bool low_holds = Holds(number->low, c.op, *threshold), high_holds = Holds(number->high, c.op, *threshold);
    bool upward = c.op == Op::kGe || c.op == Op::kGt;
    const Rational& best = upward ? number->high : number->low;
    const Rational& worst = upward ? number->low : number->high;
    if (low_holds && high_holds) {
      result.outcome = Outcome::kPass;
    } else if (!number->exact() && (low_holds || high_holds || c.op == Op::kEq)) {
      result.outcome = Outcome::kDependsOnExperts;
      result.shortfall = Shortfall(worst, c.op, *threshold, c.unit);
      result.margin =
          absl::StrCat("取决于专家评分：可能区间", FormatValue(*number, c.unit), "，须",
                       OpSymbol(c.op == Op::kGt || c.op == Op::kGe ? Op::kGe : Op::kLe),
                       FormatValue(NeededValue(c.op, *threshold, c.unit), c.unit),
                       upward ? "；按区间下限还差" : "；按区间上限还差", FormatValue(result.shortfall, c.unit));
    } else {
      result.outcome = Outcome::kFail;
      result.shortfall = Shortfall(best, c.op, *threshold, c.unit);
    }
  }

  const RuleEdition& edition_;
  const MetricSource& source_;
  bool explain_;
  std::vector<CriterionResult>& results_;
};

std::optional<Value> AsValue(const std::optional<Number>& number) {
  if (!number) return std::nullopt;
  return Value(*number);
}

const Step* StepAt(const DerivedMetric& derived, const Rational& v) {
  for (const Step& step : derived.steps) {
    if (step.exclusive ? v > step.min : v >= step.min) return &step;
  }
  return nullptr;
}

}  // namespace

const DerivedMetric* DerivedMetricSource::Find(absl::string_view metric) const {
  for (const DerivedMetric& derived : edition_.derived) {
    if (derived.name == metric) return &derived;
  }
  return nullptr;
}

std::optional<Value> DerivedMetricSource::Get(absl::string_view metric) const {
  return GetAt(metric, 0);
}

MetricInfo DerivedMetricSource::Describe(absl::string_view metric) const {
  const DerivedMetric* derived = Find(metric);
  if (derived == nullptr) return base_.Describe(metric);
  return {derived->description.empty() ? derived->name : derived->description, derived->unit};
}

std::vector<Figure> DerivedMetricSource::Explain(absl::string_view metric) const {
  const DerivedMetric* derived = Find(metric);
  if (derived == nullptr) return base_.Explain(metric);
  if (derived->kind == DerivedMetric::Kind::kRecords) {
    std::vector<Figure> matched;
    base_.CountRecords(derived->records, &matched);
    return matched;
  }
  std::vector<std::string> parts = derived->inputs;
  if (derived->kind == DerivedMetric::Kind::kStep) parts = {derived->input};
  if (!derived->expert.empty()) parts.push_back(derived->expert);
  std::vector<Figure> figures;
  for (const std::string& part : parts) {
    // A part's own inputs first, so the figures read from the data up to the result.
    std::vector<Figure> inner = Explain(part);
    figures.insert(figures.end(), inner.begin(), inner.end());
    MetricInfo info = Describe(part);
    std::optional<Value> value = Get(part);
    Figure figure{part, part == derived->expert ? absl::StrCat(info.label, "（专家录入）") : info.label,
                  value ? FormatValue(*value, info.unit) : "缺数据", NumberOf(value)};
    figures.push_back(std::move(figure));
  }
  return figures;
}

std::optional<Value> DerivedMetricSource::GetAt(absl::string_view metric, int depth) const {
  if (depth > 16) return std::nullopt;  // a cycle in the edition's derived metrics
  if (const DerivedMetric* derived = Find(metric)) return Compute(*derived, depth + 1, /*use_expert=*/true);
  return base_.Get(metric);
}

std::optional<Number> DerivedMetricSource::NumberAt(const std::string& metric, int depth) const {
  return NumberOf(GetAt(metric, depth));
}

std::optional<Number> DerivedMetricSource::Computed(const DerivedMetric& derived) const {
  return ComputeFromData(derived, 1);
}

std::optional<Value> DerivedMetricSource::Compute(const DerivedMetric& derived, int depth, bool use_expert) const {
  std::optional<Number> computed = ComputeFromData(derived, depth);
  if (!use_expert || derived.expert.empty()) return AsValue(computed);
  // A recorded expert score is used when the data's band holds it, or when there is no band to check it against.
  std::optional<Number> expert = NumberOf(base_.Get(derived.expert));
  if (!expert || !expert->exact()) return AsValue(computed);
  if (!computed || (expert->low >= computed->low && expert->low <= computed->high)) return Value(*expert);
  return AsValue(computed);
}

std::optional<Number> DerivedMetricSource::ComputeFromData(const DerivedMetric& derived, int depth) const {
  std::optional<Number> result;
  switch (derived.kind) {
    case DerivedMetric::Kind::kStep: {
      std::optional<Number> v = NumberAt(derived.input, depth);
      if (!v) return std::nullopt;
      const Step* low = StepAt(derived, v->low);
      const Step* high = StepAt(derived, v->high);
      Number at_low = low ? Number(low->points_low, low->points_high) : Number(derived.otherwise);
      Number at_high = high ? Number(high->points_low, high->points_high) : Number(derived.otherwise);
      result = Number(std::min(at_low.low, at_high.low), std::max(at_low.high, at_high.high));
      break;
    }
    case DerivedMetric::Kind::kSum: {
      Number total(Rational(0));
      for (const std::string& input : derived.inputs) {
        std::optional<Number> v = NumberAt(input, depth);
        if (!v) return std::nullopt;  // a sum with a missing part is missing, never a smaller sum
        total = Number(total.low + v->low, total.high + v->high);
      }
      if (derived.cap) total = Number(std::min(total.low, *derived.cap), std::min(total.high, *derived.cap));
      result = total;
      break;
    }
    case DerivedMetric::Kind::kMax:
    case DerivedMetric::Kind::kMin: {
      bool is_max = derived.kind == DerivedMetric::Kind::kMax;
      for (const std::string& input : derived.inputs) {
        std::optional<Number> v = NumberAt(input, depth);
        if (!v) continue;
        if (!result) {
          result = v;
        } else if (is_max) {
          result = Number(std::max(result->low, v->low), std::max(result->high, v->high));
        } else {
          result = Number(std::min(result->low, v->low), std::min(result->high, v->high));
        }
      }
      if (!result) return std::nullopt;
      break;
    }
    case DerivedMetric::Kind::kRange: result = Number(derived.range_low, derived.range_high); break;
    case DerivedMetric::Kind::kRecords: {
      std::optional<Number> count = NumberOf(base_.CountRecords(derived.records, nullptr));
      if (!count) return std::nullopt;
      result = count;
      break;
    }
  }
  return result;
}

Evaluation Evaluate(const RuleEdition& edition, const MetricSource& source, Detail detail) {
  DerivedMetricSource derived(edition, source);
  Evaluation evaluation;
  evaluation.program = edition.program;
  evaluation.edition = edition.edition;
  evaluation.provisional = edition.AnyProvisional();
  std::vector<CriterionResult> results;
  bool explain = detail == Detail::kExplained;
  Evaluator evaluator(edition, derived, explain, results);
  // The root (all-of) is evaluated but not reported: its children are the top-level criteria.
  evaluation.outcome = evaluator.Node(edition.root, -1);
  results.erase(results.begin());
  evaluation.results = std::move(results);
  evaluation.eligible = evaluation.outcome == Outcome::kPass;
  if (explain) {
    for (const InputViolation& v : CheckInputs(edition, source)) evaluation.notes.push_back(v.message);
  }
  return evaluation;
}

std::vector<InputViolation> CheckInputs(const RuleEdition& edition, const MetricSource& source) {
  std::vector<InputViolation> violations;
  for (const InputCap& cap : edition.inputs) {
    std::optional<Value> value = source.Get(cap.metric);
    if (!value) continue;
    std::string label = cap.description.empty() ? cap.metric : absl::StrCat(cap.description, "（", cap.metric, "）");
    std::optional<Number> number = NumberOf(value);
    if (!number || !number->exact()) {
      violations.push_back({cap.metric, absl::StrCat(label, "应为数字")});
      continue;
    }
    const Rational& v = number->low;
    if (v < cap.min || v > cap.max) {
      violations.push_back(
          {cap.metric, absl::StrCat(label, "为", FormatValue(v, Unit::kNumber), "，超出范围 ",
                                    FormatValue(cap.min, Unit::kNumber), "–", FormatValue(cap.max, Unit::kNumber))});
    } else if (cap.integer && !v.IsInteger()) {
      violations.push_back({cap.metric, absl::StrCat(label, "须为整数分")});
    }
  }
  // A recorded expert score must lie inside the band the data puts it in (工作指引: experts score within it).
  DerivedMetricSource derived(edition, source);
  for (const DerivedMetric& metric : edition.derived) {
    if (metric.expert.empty()) continue;
    std::optional<Number> expert = NumberOf(source.Get(metric.expert));
    std::optional<Number> band = derived.Computed(metric);
    if (!expert || !band || (expert->low >= band->low && expert->high <= band->high)) continue;
    violations.push_back(
        {metric.expert, absl::StrCat(derived.Describe(metric.name).label, "录入为", FormatValue(*expert, metric.unit),
                                     "，超出按数据计算的区间", FormatValue(*band, metric.unit), "，未采用")});
  }
  return violations;
}

}  // namespace stip::rules
