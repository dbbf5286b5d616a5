// Evaluates a rule edition against a source of metric values and explains every criterion.
// Missing data is never counted as zero: it is its own outcome, and it propagates through groups. Numbers are
// exact rationals; a number an expert picks inside a band is an interval, and a threshold on it can depend on
// the expert's scoring (criteria.md, conventions for encoding, 2 and 6).
#ifndef STIP_COMMON_RULES_RULE_ENGINE_H_
#define STIP_COMMON_RULES_RULE_ENGINE_H_

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/rules/rational.h"
#include "common/rules/rule_edition.h"

namespace stip::rules {

// A numeric value: exact (low == high), or the interval an expert's score will fall in.
struct Number {
  Rational low;
  Rational high;

  Number() = default;
  Number(Rational value) : low(value), high(value) {}  // NOLINT(google-explicit-constructor)
  Number(Rational l, Rational h) : low(l), high(h) {}
  bool exact() const { return low == high; }
  bool valid() const { return low.valid() && high.valid(); }
};

// A metric value: a number (booleans are 1/0) or a text (codes such as a technology field).
using Value = std::variant<Number, std::string>;

// A figure that went into a value, shown to the officer so the arithmetic can be followed:
// ("rd_expense_3y", "近三年研发费用合计", "1,234万元").
struct Figure {
  std::string metric;
  std::string label;  // zh
  std::string text;   // formatted
  std::optional<Number> value;
};

struct MetricInfo {
  std::string label;
  Unit unit = Unit::kNumber;
};

class MetricSource {
 public:
  virtual ~MetricSource() = default;
  // nullopt = the data is missing (not zero).
  virtual std::optional<Value> Get(absl::string_view metric) const = 0;
  // The inputs of a computed metric (sums, years used, the records that counted); empty when it is a raw fact.
  virtual std::vector<Figure> Explain(absl::string_view metric) const { return {}; }
  // How many of the subject's records match (kRecords metrics), with a figure per matching record; nullopt when
  // the source has no records of that kind to look at.
  virtual std::optional<Value> CountRecords(const RecordQuery& query, std::vector<Figure>* matched) const {
    return std::nullopt;
  }
  // How a metric is named and shown to a person (zh label, unit); the metric's own name when unknown.
  virtual MetricInfo Describe(absl::string_view metric) const { return {std::string(metric), Unit::kNumber}; }
};

// A MetricSource over a map; for tests and simple callers.
class MapMetricSource : public MetricSource {
 public:
  MapMetricSource() = default;
  void Set(const std::string& metric, Value value) { values_[metric] = std::move(value); }
  void Set(const std::string& metric, Rational value) { values_[metric] = Number(value); }
  void Set(const std::string& metric, int64_t value) { values_[metric] = Number(Rational(value)); }
  void Set(const std::string& metric, int value) { values_[metric] = Number(Rational(value)); }
  // A decimal literal of a test or a JSON file, read as the decimal it was written as (0.15 = 3/20).
  void Set(const std::string& metric, double value) { values_[metric] = Number(Rational::FromDouble(value)); }
  void Set(const std::string& metric, const char* text) { values_[metric] = std::string(text); }
  void SetRange(const std::string& metric, Rational low, Rational high) { values_[metric] = Number(low, high); }
  void SetBool(const std::string& metric, bool value) { Set(metric, Rational(value ? 1 : 0)); }
  void Erase(const std::string& metric) { values_.erase(metric); }
  void AddExplanation(const std::string& metric, Figure figure) { explain_[metric].push_back(std::move(figure)); }
  std::optional<Value> Get(absl::string_view metric) const override;
  std::vector<Figure> Explain(absl::string_view metric) const override;
  MetricInfo Describe(absl::string_view metric) const override;
  void SetInfo(const std::string& metric, MetricInfo info) { info_[metric] = std::move(info); }

 private:
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, MetricInfo, std::less<>> info_;
  std::map<std::string, std::vector<Figure>, std::less<>> explain_;
};

// kUnknown: the criterion's threshold is not published (a provisional placeholder), so no data can decide it.
enum class Outcome { kPass, kFail, kNotApplicable, kMissingData, kDependsOnExperts, kUnknown };

// "pass", "fail", "not_applicable", "missing_data", "depends_on_expert_scoring", "unknown"
absl::string_view OutcomeName(Outcome outcome);
// 符合 / 不符合 / 不适用 / 缺数据 / 取决于专家评分 / 规则暂缺
absl::string_view OutcomeText(Outcome outcome);

struct CriterionResult {
  std::string id;
  std::string description;
  int depth = 0;          // 0 for top-level criteria, 1 for their children, ...
  std::string actual;     // human-readable, "" when missing
  std::string threshold;  // human-readable requirement
  Outcome outcome = Outcome::kMissingData;
  bool provisional = false;
  SourceStatus status = SourceStatus::kVerified;
  std::string source;
  std::optional<Number> actual_number;
  std::optional<Rational> threshold_number;
  // How far from passing in the criterion's unit (for an interval, from its high end); 0 when passing.
  Rational shortfall;
  std::string margin;  // kDependsOnExperts: what the expert score must reach, in words
  std::string metric;
  std::vector<Figure> figures;     // every figure behind `actual` (derived parts, sums, years, records)
  std::vector<std::string> notes;  // e.g. a recorded expert score outside its band
};

struct Evaluation {
  std::string program;
  std::string edition;
  Outcome outcome = Outcome::kMissingData;  // of the whole edition (an all-of group)
  bool eligible = false;                    // outcome == kPass
  bool provisional = false;                 // some criterion or the edition is provisional
  std::vector<CriterionResult> results;     // depth first, groups before their children
  std::vector<std::string> notes;           // input problems (expert scores outside their band), zh
};

// A metric source that adds the edition's derived metrics (score tables, sums, expert ranges) on top of `base`.
class DerivedMetricSource : public MetricSource {
 public:
  DerivedMetricSource(const RuleEdition& edition, const MetricSource& base) : edition_(edition), base_(base) {}
  std::optional<Value> Get(absl::string_view metric) const override;
  std::vector<Figure> Explain(absl::string_view metric) const override;
  MetricInfo Describe(absl::string_view metric) const override;
  // The value a derived metric has from the data alone, before a recorded expert score replaces it.
  std::optional<Number> Computed(const DerivedMetric& derived) const;

 private:
  std::optional<Value> Compute(const DerivedMetric& derived, int depth, bool use_expert) const;
  std::optional<Number> ComputeFromData(const DerivedMetric& derived, int depth) const;
  std::optional<Value> GetAt(absl::string_view metric, int depth) const;
  std::optional<Number> NumberAt(const std::string& metric, int depth) const;
  const DerivedMetric* Find(absl::string_view metric) const;
  const RuleEdition& edition_;
  const MetricSource& base_;
};

// What Evaluate works out beyond the outcomes: the figures behind every value and the input notes. A screening of
// thousands of enterprises needs only the outcomes.
enum class Detail { kExplained, kOutcomesOnly };

Evaluation Evaluate(const RuleEdition& edition, const MetricSource& source, Detail detail = Detail::kExplained);

// A value entered by a person that breaks the edition's caps, or a recorded expert score outside the band the
// data puts it in; one entry per problem.
struct InputViolation {
  std::string metric;
  std::string message;
};
std::vector<InputViolation> CheckInputs(const RuleEdition& edition, const MetricSource& source);

// Formats a value in a unit the way a park officer reads it: 12.5万元, 5.00%, 是/否, 365天, 9–10分.
std::string FormatValue(const Value& value, Unit unit);
std::string FormatValue(const Rational& value, Unit unit);

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_RULE_ENGINE_H_
