// Annual performance evaluation of a carrier: a weighted indicator system as versioned data (categories
// 服务能力 / 孵化绩效 / 可持续发展 / 社会贡献), computed from the annual report plus expert scores, graded A–D with
// configurable cut-offs; and the "two D grades in a row" loss of national status (criteria.md §5.3, §5.4).
#ifndef STIP_SERVICES_EVALUATION_PERFORMANCE_H_
#define STIP_SERVICES_EVALUATION_PERFORMANCE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rules/rule_engine.h"
#include "services/evaluation/domain/carrier.h"

namespace stip::evaluation {

enum class Grade { kNone = 0, kA = 1, kB = 2, kC = 3, kD = 4 };
std::string GradeLetter(Grade grade);  // A B C D, "" for none
std::string GradeName(Grade grade);    // 优秀 良好 合格 不合格, 未评价
std::optional<Grade> ParseGrade(absl::string_view letter);

struct PerformanceIndicator {
  std::string id;
  std::string title;
  double weight = 0;    // within its category
  bool expert = false;  // scored 0–100 by experts
  std::string metric;   // report metric (CarrierMetrics) when not expert
  double full_at = 0;   // the metric value that earns 100; linear below, capped at 100
};

struct PerformanceCategory {
  std::string id;
  std::string title;
  double weight = 0;
  std::vector<PerformanceIndicator> indicators;
};

struct GradeCutoff {
  Grade grade = Grade::kNone;
  double min = 0;  // total ≥ min earns this grade (cut-offs from the highest down)
};

struct PerformanceScheme {
  std::string scheme;  // incubator, specialized_incubator, general
  int version = 0;
  std::string title;
  bool provisional = false;
  std::vector<CarrierKind> kinds;
  std::vector<std::string> notes;
  std::vector<GradeCutoff> grades;
  Grade loss_grade = Grade::kD;
  int loss_consecutive_years = 2;
  std::vector<PerformanceCategory> categories;
};

// {"format": "stip.performance/v1", ...}; see data/performance/. `version` comes from the file or the store.
absl::StatusOr<PerformanceScheme> ParsePerformanceScheme(absl::string_view json);
// The scheme for a kind among the latest versions: the one listing the kind.
const PerformanceScheme* SchemeForKind(const std::vector<PerformanceScheme>& schemes, CarrierKind kind);

struct IndicatorResult {
  std::string id;
  std::string title;
  std::string category;
  double weight = 0;
  std::string basis;  // report:<metric> or expert
  double actual = 0;
  bool missing = false;
  double score = 0;
};
struct CategoryResult {
  std::string id;
  std::string title;
  double weight = 0;
  double score = 0;
};
struct PerformanceResult {
  double total = 0;  // 0–100, rounded to 2 decimals before grading
  Grade grade = Grade::kNone;
  std::vector<CategoryResult> categories;
  std::vector<IndicatorResult> indicators;
  std::vector<std::string> cutoffs;  // "A ≥ 85" …
};

// Every expert indicator needs a score 0–100 in `expert_scores`; unknown ids are violations
// ("expert_scores[<id>]").
absl::StatusOr<PerformanceResult> ComputePerformance(const PerformanceScheme& scheme,
                                                     const rules::MetricSource& metrics,
                                                     const std::map<std::string, double>& expert_scores,
                                                     std::vector<Violation>* violations);
Grade GradeFor(const PerformanceScheme& scheme, double total);

// True when a carrier holding national level graded `current` in `year` has had the scheme's loss grade in
// each of the loss_consecutive_years years ending with `year` (`history`: year → grade of earlier years).
bool LosesNationalStatus(const PerformanceScheme& scheme, bool national, int year, Grade current,
                         const std::map<int, Grade>& history);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_PERFORMANCE_H_
