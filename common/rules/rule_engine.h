// Evaluates a rule edition against a source of metric values and explains every criterion.
// Missing data is never counted as zero: it is its own outcome, and it propagates through groups.
#ifndef STIP_COMMON_RULES_RULE_ENGINE_H_
#define STIP_COMMON_RULES_RULE_ENGINE_H_

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/rules/rule_edition.h"

namespace stip::rules {

// A metric value: a number (booleans are 1/0) or a text (codes such as a technology field).
using Value = std::variant<double, std::string>;

class MetricSource {
 public:
  virtual ~MetricSource() = default;
  // nullopt = the data is missing (not zero).
  virtual std::optional<Value> Get(absl::string_view metric) const = 0;
};

// A MetricSource over a map; for tests and simple callers.
class MapMetricSource : public MetricSource {
 public:
  MapMetricSource() = default;
  explicit MapMetricSource(const std::map<std::string, Value>& values) : values_(values.begin(), values.end()) {}
  void Set(const std::string& metric, Value value) { values_[metric] = std::move(value); }
  void SetBool(const std::string& metric, bool value) { values_[metric] = value ? 1.0 : 0.0; }
  void Erase(const std::string& metric) { values_.erase(metric); }
  std::optional<Value> Get(absl::string_view metric) const override;

 private:
  std::map<std::string, Value, std::less<>> values_;
};

enum class Outcome { kPass, kFail, kNotApplicable, kMissingData };

absl::string_view OutcomeName(Outcome outcome);  // "pass", "fail", "not_applicable", "missing_data"

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
  std::optional<double> actual_value;
  std::optional<double> threshold_value;
  double shortfall = 0;  // how far from passing in the criterion's unit; 0 when passing or not numeric
  std::string metric;
};

struct Evaluation {
  std::string program;
  std::string edition;
  Outcome outcome = Outcome::kMissingData;  // of the whole edition (an all-of group)
  bool eligible = false;                    // outcome == kPass
  bool provisional = false;                 // some criterion or the edition is provisional
  std::vector<CriterionResult> results;     // depth first, groups before their children
};

// A metric source that adds the edition's derived metrics (score tables, sums) on top of `base`.
class DerivedMetricSource : public MetricSource {
 public:
  DerivedMetricSource(const RuleEdition& edition, const MetricSource& base) : edition_(edition), base_(base) {}
  std::optional<Value> Get(absl::string_view metric) const override;

 private:
  std::optional<Value> Compute(const DerivedMetric& derived, int depth) const;
  std::optional<Value> GetAt(absl::string_view metric, int depth) const;
  const RuleEdition& edition_;
  const MetricSource& base_;
};

Evaluation Evaluate(const RuleEdition& edition, const MetricSource& source);

// A value entered by a person that breaks the edition's caps (expert scores); one entry per problem.
struct InputViolation {
  std::string metric;
  std::string message;
};
std::vector<InputViolation> CheckInputs(const RuleEdition& edition, const MetricSource& source);

// Formats a value in a unit the way a park officer reads it: 12.5万元, 5.00%, 是/否, 365天.
std::string FormatValue(const Value& value, Unit unit);

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_RULE_ENGINE_H_
