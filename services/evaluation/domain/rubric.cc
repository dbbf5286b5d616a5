#include "services/evaluation/domain/rubric.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace stip::evaluation {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

double Num(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_number() ? it->get<double>() : 0;
}

std::string Points(double v) {
  return absl::StrFormat("%g分", v);
}

}  // namespace

absl::StatusOr<Rubric> ParseRubric(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return absl::InvalidArgumentError("rubric: not a JSON object");
  if (Str(json, "format") != "stip.rubric/v1")
    return absl::InvalidArgumentError("rubric: format must be \"stip.rubric/v1\"");
  Rubric rubric;
  rubric.rubric = Str(json, "rubric");
  rubric.version = static_cast<int>(Num(json, "version"));
  rubric.title = Str(json, "title");
  rubric.effective_year = static_cast<int>(Num(json, "effective_year"));
  rubric.provisional = json.value("provisional", false);
  rubric.pass_total = Num(json, "pass_total");
  if (auto notes = json.find("notes"); notes != json.end() && notes->is_array()) {
    for (const Json& note : *notes) {
      if (note.is_string()) rubric.notes.push_back(note.get<std::string>());
    }
  }
  auto items = json.find("items");
  if (items == json.end() || !items->is_array()) return absl::InvalidArgumentError("rubric: \"items\" must be a list");
  for (const Json& item : *items) {
    if (!item.is_object()) return absl::InvalidArgumentError("rubric: every item must be an object");
    RubricItem parsed;
    parsed.id = Str(item, "id");
    parsed.title = Str(item, "title");
    parsed.description = Str(item, "description");
    parsed.evidence = Str(item, "evidence");
    parsed.max_score = Num(item, "max_score");
    parsed.pass_score = Num(item, "pass_score");
    parsed.source = Str(item, "source");
    parsed.provisional = item.value("provisional", rubric.provisional);
    rubric.items.push_back(std::move(parsed));
  }
  std::vector<Violation> violations = ValidateRubric(rubric);
  if (!violations.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("rubric ", rubric.rubric, " v", rubric.version, ": ",
                                                   violations.front().field, ": ", violations.front().message));
  }
  return rubric;
}

std::string RubricToJson(const Rubric& rubric) {
  Json items = Json::array();
  for (const RubricItem& item : rubric.items) {
    items.push_back({{"id", item.id},
                     {"title", item.title},
                     {"description", item.description},
                     {"evidence", item.evidence},
                     {"max_score", item.max_score},
                     {"pass_score", item.pass_score},
                     {"source", item.source},
                     {"provisional", item.provisional}});
  }
  Json out = {{"format", "stip.rubric/v1"},
              {"rubric", rubric.rubric},
              {"version", rubric.version},
              {"title", rubric.title},
              {"effective_year", rubric.effective_year},
              {"provisional", rubric.provisional},
              {"pass_total", rubric.pass_total},
              {"notes", rubric.notes},
              {"items", items}};
  return out.dump(2);
}

std::vector<Violation> ValidateRubric(const Rubric& rubric) {
  std::vector<Violation> out;
  const std::string p = "rubric_version.";
  if (!IsCarrierId(rubric.rubric))
    out.push_back({p + "rubric", "评价标准编号须为小写字母、数字和连字符 (rubric id [a-z0-9-])"});
  if (rubric.version < 1) out.push_back({p + "version", "版本号须为正整数 (version must be ≥ 1)"});
  if (rubric.title.empty()) out.push_back({p + "title", "请填写标题 (title is required)"});
  if (rubric.effective_year < 2000 || rubric.effective_year > 2100) {
    out.push_back({p + "effective_year", "请填写适用起始年度 (effective_year must be 2000–2100)"});
  }
  if (rubric.rubric == kLiuyou && rubric.items.size() != 6) {
    out.push_back({p + "items",
                   absl::StrCat("“六有”标准须有6项，现有", rubric.items.size(), "项 (the 六有 rubric has six items)")});
  }
  if (rubric.items.empty()) out.push_back({p + "items", "至少需要一项 (at least one item)"});
  std::set<std::string> ids;
  double max_total = 0;
  for (size_t i = 0; i < rubric.items.size(); ++i) {
    const RubricItem& item = rubric.items[i];
    std::string f = absl::StrCat(p, "items[", i, "].");
    if (item.id.empty() || !ids.insert(item.id).second)
      out.push_back({f + "id", "编号不能为空或重复 (id empty or repeated)"});
    if (item.title.empty()) out.push_back({f + "title", "请填写名称 (title is required)"});
    if (!(item.max_score > 0) || !std::isfinite(item.max_score))
      out.push_back({f + "max_score", "满分须大于0 (max_score must be > 0)"});
    if (item.pass_score < 0 || item.pass_score > item.max_score) {
      out.push_back({f + "pass_score", "达标分须在0与满分之间 (0 ≤ pass_score ≤ max_score)"});
    }
    max_total += item.max_score;
  }
  if (rubric.pass_total < 0 || rubric.pass_total > max_total) {
    out.push_back({p + "pass_total", "达标总分须在0与总满分之间 (0 ≤ pass_total ≤ sum of max scores)"});
  }
  return out;
}

const Rubric* DefaultRubric(const std::vector<Rubric>& versions, int year) {
  const Rubric* best = nullptr;
  const Rubric* lowest = nullptr;
  for (const Rubric& r : versions) {
    if (lowest == nullptr || r.version < lowest->version) lowest = &r;
    if (r.effective_year <= year && (best == nullptr || r.version > best->version)) best = &r;
  }
  return best != nullptr ? best : lowest;
}

absl::StatusOr<AssessmentResult> ScoreAssessment(const Rubric& rubric, const std::vector<ItemScore>& scores,
                                                 std::vector<Violation>* violations) {
  AssessmentResult result;
  std::vector<const ItemScore*> by_item(rubric.items.size(), nullptr);
  for (size_t i = 0; i < scores.size(); ++i) {
    const ItemScore& score = scores[i];
    std::string f = absl::StrCat("assessment.items[", i, "].");
    size_t index = rubric.items.size();
    for (size_t j = 0; j < rubric.items.size(); ++j) {
      if (rubric.items[j].id == score.item_id) index = j;
    }
    if (index == rubric.items.size()) {
      violations->push_back({f + "item_id", absl::StrCat("评价标准第", rubric.version, "版中没有此项 '", score.item_id,
                                                         "' (unknown item)")});
      continue;
    }
    const RubricItem& item = rubric.items[index];
    if (by_item[index] != nullptr) {
      violations->push_back({f + "item_id", absl::StrCat(item.title, "重复评分 (item scored twice)")});
      continue;
    }
    by_item[index] = &score;
    if (!std::isfinite(score.score) || score.score < 0 || score.score > item.max_score) {
      violations->push_back(
          {f + "score", absl::StrCat(item.title, "得分须在0–", Points(item.max_score), "之间 (score out of range)")});
    }
    if (score.score > 0 && score.evidence.empty()) {
      violations->push_back(
          {f + "evidence", absl::StrCat(item.title, "得分须注明佐证材料：", item.evidence, " (evidence is required)")});
    }
  }
  std::vector<std::string> unmet;
  for (size_t j = 0; j < rubric.items.size(); ++j) {
    const RubricItem& item = rubric.items[j];
    result.max_total += item.max_score;
    if (by_item[j] == nullptr) {
      violations->push_back({"assessment.items", absl::StrCat("缺少“", item.title, "”（", item.id,
                                                              "）的评分 (every item must be scored)")});
      continue;
    }
    ItemScore scored = *by_item[j];
    scored.met = scored.score >= item.pass_score;
    if (scored.met) {
      ++result.items_met;
    } else {
      unmet.push_back(absl::StrCat(item.title, " ", Points(scored.score), " < ", Points(item.pass_score)));
    }
    result.total += scored.score;
    result.items.push_back(std::move(scored));
  }
  if (!violations->empty()) return absl::InvalidArgumentError("assessment has invalid item scores");
  result.passed = unmet.empty() && result.total >= rubric.pass_total;
  if (result.passed) {
    result.result = absl::StrCat("达标：各项均达标，总分", Points(result.total), " ≥ ", Points(rubric.pass_total));
  } else {
    std::vector<std::string> reasons;
    if (!unmet.empty()) reasons.push_back(absl::StrCat("未达标项：", absl::StrJoin(unmet, "；")));
    if (result.total < rubric.pass_total) {
      reasons.push_back(absl::StrCat("总分", Points(result.total), " < ", Points(rubric.pass_total)));
    }
    result.result = absl::StrCat("未达标（", absl::StrJoin(reasons, "；"), "）");
  }
  if (rubric.provisional) absl::StrAppend(&result.result, "【暂定标准】");
  return result;
}

}  // namespace stip::evaluation
