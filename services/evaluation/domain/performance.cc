#include "services/evaluation/domain/performance.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace stip::evaluation {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("performance scheme: ", what));
}

std::string Str(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<double> Num(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

std::string GradeLetter(Grade grade) {
  switch (grade) {
    case Grade::kA: return "A";
    case Grade::kB: return "B";
    case Grade::kC: return "C";
    case Grade::kD: return "D";
    case Grade::kNone: break;
  }
  return "";
}

std::string GradeName(Grade grade) {
  switch (grade) {
    case Grade::kA: return "优秀";
    case Grade::kB: return "良好";
    case Grade::kC: return "合格";
    case Grade::kD: return "不合格";
    case Grade::kNone: break;
  }
  return "未评价";
}

std::optional<Grade> ParseGrade(absl::string_view letter) {
  if (letter == "A") return Grade::kA;
  if (letter == "B") return Grade::kB;
  if (letter == "C") return Grade::kC;
  if (letter == "D") return Grade::kD;
  return std::nullopt;
}

absl::StatusOr<PerformanceScheme> ParsePerformanceScheme(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return Bad("not a JSON object");
  if (Str(json, "format") != "stip.performance/v1") return Bad("format must be \"stip.performance/v1\"");
  PerformanceScheme scheme;
  scheme.scheme = Str(json, "scheme");
  if (!IsCarrierId(scheme.scheme)) return Bad("\"scheme\" must be [a-z0-9-]+ (e.g. incubator)");
  scheme.version = static_cast<int>(Num(json, "version").value_or(0));
  scheme.title = Str(json, "title");
  if (scheme.title.empty()) return Bad("\"title\" is required");
  scheme.provisional = json.value("provisional", false);
  if (auto notes = json.find("notes"); notes != json.end() && notes->is_array()) {
    for (const Json& note : *notes) {
      if (note.is_string()) scheme.notes.push_back(note.get<std::string>());
    }
  }
  auto kinds = json.find("kinds");
  if (kinds == json.end() || !kinds->is_array() || kinds->empty()) return Bad("\"kinds\" must list carrier kinds");
  for (const Json& kind : *kinds) {
    std::optional<CarrierKind> parsed = kind.is_string() ? ParseKind(kind.get<std::string>()) : std::nullopt;
    if (!parsed) return Bad(absl::StrCat("unknown kind ", kind.dump()));
    scheme.kinds.push_back(*parsed);
  }
  auto grades = json.find("grades");
  if (grades == json.end() || !grades->is_array() || grades->empty()) return Bad("\"grades\" must list the cut-offs");
  for (const Json& g : *grades) {
    std::optional<Grade> grade = ParseGrade(Str(g, "grade"));
    std::optional<double> min = Num(g, "min");
    if (!grade || !min) return Bad("every grade needs \"grade\" (A–D) and \"min\"");
    if (!scheme.grades.empty() && (*min >= scheme.grades.back().min ||
                                   static_cast<int>(*grade) <= static_cast<int>(scheme.grades.back().grade))) {
      return Bad("grades must go from A down with strictly decreasing \"min\"");
    }
    scheme.grades.push_back({*grade, *min});
  }
  if (scheme.grades.back().min > 0) return Bad("the lowest grade must start at 0 so every total gets a grade");
  if (auto loss = json.find("national_loss"); loss != json.end() && loss->is_object()) {
    std::optional<Grade> grade = ParseGrade(Str(*loss, "grade"));
    if (!grade) return Bad("national_loss.grade must be A–D");
    scheme.loss_grade = *grade;
    scheme.loss_consecutive_years = static_cast<int>(Num(*loss, "consecutive_years").value_or(2));
    if (scheme.loss_consecutive_years < 1 || scheme.loss_consecutive_years > 10) {
      return Bad("national_loss.consecutive_years must be 1–10");
    }
  }
  auto categories = json.find("categories");
  if (categories == json.end() || !categories->is_array() || categories->empty())
    return Bad("\"categories\" must be a list");
  std::set<std::string> ids;
  for (const Json& c : *categories) {
    PerformanceCategory category;
    category.id = Str(c, "id");
    category.title = Str(c, "zh");
    category.weight = Num(c, "weight").value_or(0);
    if (category.id.empty() || !(category.weight > 0)) return Bad("every category needs an id and a weight > 0");
    auto indicators = c.find("indicators");
    if (indicators == c.end() || !indicators->is_array() || indicators->empty()) {
      return Bad(absl::StrCat("category ", category.id, " needs indicators"));
    }
    for (const Json& i : *indicators) {
      PerformanceIndicator indicator;
      indicator.id = Str(i, "id");
      indicator.title = Str(i, "zh");
      indicator.weight = Num(i, "weight").value_or(0);
      indicator.expert = i.value("expert", false);
      indicator.metric = Str(i, "metric");
      indicator.full_at = Num(i, "full_at").value_or(0);
      if (indicator.id.empty() || !ids.insert(indicator.id).second)
        return Bad("indicator ids must be unique and non-empty");
      if (!(indicator.weight > 0)) return Bad(absl::StrCat("indicator ", indicator.id, " needs a weight > 0"));
      if (!indicator.expert && (indicator.metric.empty() || !(indicator.full_at > 0))) {
        return Bad(
            absl::StrCat("indicator ", indicator.id, " needs \"metric\" and \"full_at\" > 0, or \"expert\": true"));
      }
      category.indicators.push_back(std::move(indicator));
    }
    scheme.categories.push_back(std::move(category));
  }
  return scheme;
}

const PerformanceScheme* SchemeForKind(const std::vector<PerformanceScheme>& schemes, CarrierKind kind) {
  for (const PerformanceScheme& scheme : schemes) {
    if (std::find(scheme.kinds.begin(), scheme.kinds.end(), kind) != scheme.kinds.end()) return &scheme;
  }
  return nullptr;
}

Grade GradeFor(const PerformanceScheme& scheme, double total) {
  for (const GradeCutoff& cutoff : scheme.grades) {
    if (total >= cutoff.min) return cutoff.grade;
  }
  return scheme.grades.empty() ? Grade::kNone : scheme.grades.back().grade;
}

absl::StatusOr<PerformanceResult> ComputePerformance(const PerformanceScheme& scheme,
                                                     const rules::MetricSource& metrics,
                                                     const std::map<std::string, double>& expert_scores,
                                                     std::vector<Violation>* violations) {
  std::set<std::string> expert_ids;
  for (const PerformanceCategory& category : scheme.categories) {
    for (const PerformanceIndicator& indicator : category.indicators) {
      if (!indicator.expert) continue;
      expert_ids.insert(indicator.id);
      auto it = expert_scores.find(indicator.id);
      if (it == expert_scores.end()) {
        violations->push_back(
            {absl::StrCat("expert_scores[", indicator.id, "]"),
             absl::StrCat("缺少专家评分：", indicator.title, " (an expert score 0–100 is required)")});
      } else if (!std::isfinite(it->second) || it->second < 0 || it->second > 100) {
        violations->push_back({absl::StrCat("expert_scores[", indicator.id, "]"),
                               absl::StrCat(indicator.title, "的专家评分须在0–100之间 (must be 0–100)")});
      }
    }
  }
  for (const auto& [id, score] : expert_scores) {
    if (expert_ids.count(id) == 0) {
      violations->push_back({absl::StrCat("expert_scores[", id, "]"),
                             absl::StrCat("评价方案", scheme.scheme, "第", scheme.version, "版没有专家评分项 ", id,
                                          " (not an expert indicator of this scheme)")});
    }
  }
  if (!violations->empty()) return absl::InvalidArgumentError("invalid expert scores");

  PerformanceResult result;
  double weighted = 0, weights = 0;
  for (const PerformanceCategory& category : scheme.categories) {
    double c_weighted = 0, c_weights = 0;
    for (const PerformanceIndicator& indicator : category.indicators) {
      IndicatorResult r;
      r.id = indicator.id;
      r.title = indicator.title;
      r.category = category.id;
      r.weight = indicator.weight;
      if (indicator.expert) {
        r.basis = "expert";
        r.actual = expert_scores.at(indicator.id);
        r.score = r.actual;
      } else {
        r.basis = absl::StrCat("report:", indicator.metric);
        std::optional<rules::Value> value = metrics.Get(indicator.metric);
        if (!value || !std::holds_alternative<rules::Number>(*value) || !std::get<rules::Number>(*value).valid()) {
          r.missing = true;
        } else {
          // A weighted score, not a threshold: a double is what the scheme's arithmetic is defined in.
          r.actual = std::get<rules::Number>(*value).low.ToDouble();
          r.score = std::clamp(r.actual / indicator.full_at, 0.0, 1.0) * 100;
        }
      }
      c_weighted += r.score * indicator.weight;
      c_weights += indicator.weight;
      result.indicators.push_back(std::move(r));
    }
    CategoryResult c{category.id, category.title, category.weight, c_weights > 0 ? c_weighted / c_weights : 0};
    weighted += c.score * category.weight;
    weights += category.weight;
    result.categories.push_back(std::move(c));
  }
  result.total = std::round((weights > 0 ? weighted / weights : 0) * 100) / 100;
  result.grade = GradeFor(scheme, result.total);
  for (const GradeCutoff& cutoff : scheme.grades) {
    result.cutoffs.push_back(
        absl::StrFormat("%s（%s）≥ %g", GradeLetter(cutoff.grade), GradeName(cutoff.grade), cutoff.min));
  }
  return result;
}

bool LosesNationalStatus(const PerformanceScheme& scheme, bool national, int year, Grade current,
                         const std::map<int, Grade>& history) {
  if (!national || current != scheme.loss_grade) return false;
  for (int k = 1; k < scheme.loss_consecutive_years; ++k) {
    auto it = history.find(year - k);
    if (it == history.end() || it->second != scheme.loss_grade) return false;
  }
  return true;
}

}  // namespace stip::evaluation
