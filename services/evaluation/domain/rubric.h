// The "六有" characteristic rubric as versioned data, and the scoring of one assessment against it.
// criteria.md §5.1: the six items are [MISSING] in public sources; the shipped version is provisional.
#ifndef STIP_SERVICES_EVALUATION_RUBRIC_H_
#define STIP_SERVICES_EVALUATION_RUBRIC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/evaluation/domain/carrier.h"

namespace stip::evaluation {

struct RubricItem {
  std::string id;
  std::string title;
  std::string description;
  std::string evidence;
  double max_score = 0;
  double pass_score = 0;
  std::string source;
  bool provisional = false;
};

struct Rubric {
  std::string rubric;  // liuyou
  int version = 0;
  std::string title;
  int effective_year = 0;
  bool provisional = false;
  double pass_total = 0;
  std::vector<RubricItem> items;
  std::vector<std::string> notes;
};

inline constexpr absl::string_view kLiuyou = "liuyou";

// {"format": "stip.rubric/v1", ...}; see data/rubrics/.
absl::StatusOr<Rubric> ParseRubric(absl::string_view json);
std::string RubricToJson(const Rubric& rubric);
// Checks a rubric an administrator publishes; fields are named "rubric_version.<field>".
std::vector<Violation> ValidateRubric(const Rubric& rubric);
// The version an assessment of `year` uses by default: the highest version whose effective_year ≤ year, else
// the lowest version. nullptr when there is none.
const Rubric* DefaultRubric(const std::vector<Rubric>& versions, int year);

struct ItemScore {
  std::string item_id;
  double score = 0;
  std::string evidence;
  std::string comment;
  bool met = false;  // computed
};

struct AssessmentResult {
  std::vector<ItemScore> items;  // in rubric order, with `met`
  double total = 0;
  double max_total = 0;
  int items_met = 0;
  bool passed = false;
  std::string result;  // zh explanation
};

// Scores `scores` against `rubric`: every item exactly once, 0 ≤ score ≤ max, evidence for a score above 0.
// Violations name "assessment.items[i].<field>".
absl::StatusOr<AssessmentResult> ScoreAssessment(const Rubric& rubric, const std::vector<ItemScore>& scores,
                                                 std::vector<Violation>* violations);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_RUBRIC_H_
