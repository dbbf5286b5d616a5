#include "services/evaluation/store/sqlite/evaluation_codec.h"

#include "absl/strings/numbers.h"
#include "nlohmann/json.hpp"

namespace stip::evaluation {
namespace {

using nlohmann::json;

// Numbers as numbers; rows written through protobuf's JSON printer may hold 64-bit integers as strings.
double Number(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number()) return it->get<double>();
  double value = 0;
  if (it->is_string() && absl::SimpleAtod(it->get<std::string>(), &value)) return value;
  return 0;
}

std::string Text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Flag(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

const json& List(const json& object, const char* key) {
  static const json kEmpty = json::array();
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

json ItemToJson(const AssessedItem& item) {
  return {{"item_id", item.score.item_id}, {"score", item.score.score}, {"evidence", item.score.evidence},
          {"comment", item.score.comment}, {"title", item.title},       {"max_score", item.max_score},
          {"met", item.score.met}};
}

AssessedItem ItemFromJson(const json& j) {
  AssessedItem item;
  item.score = {Text(j, "item_id"), Number(j, "score"), Text(j, "evidence"), Text(j, "comment"), Flag(j, "met")};
  item.title = Text(j, "title");
  item.max_score = Number(j, "max_score");
  return item;
}

absl::StatusOr<json> Parse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return absl::DataLossError("stored evaluation record is not a JSON object");
  return j;
}

}  // namespace

std::string AssessmentToJson(const AssessmentRecord& r) {
  json items = json::array();
  for (const AssessedItem& item : r.items) items.push_back(ItemToJson(item));
  json j = {{"year", r.year},
            {"rubric", r.rubric},
            {"rubric_version", r.rubric_version},
            {"items", items},
            {"assessor", r.assessor},
            {"comment", r.comment},
            {"total", r.total},
            {"max_total", r.max_total},
            {"passed", r.passed},
            {"result", r.result},
            {"items_met", r.items_met},
            {"provisional", r.provisional},
            {"recorded_by", r.recorded_by}};
  return j.dump();
}

absl::Status AssessmentFromJson(const std::string& text, AssessmentRecord& r) {
  absl::StatusOr<json> parsed = Parse(text);
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  r.rubric = Text(j, "rubric");
  r.rubric_version = static_cast<int>(Number(j, "rubric_version"));
  for (const json& item : List(j, "items")) r.items.push_back(ItemFromJson(item));
  r.assessor = Text(j, "assessor");
  r.comment = Text(j, "comment");
  r.total = Number(j, "total");
  r.max_total = Number(j, "max_total");
  r.passed = Flag(j, "passed");
  r.result = Text(j, "result");
  r.items_met = static_cast<int>(Number(j, "items_met"));
  r.provisional = Flag(j, "provisional");
  r.recorded_by = Text(j, "recorded_by");
  return absl::OkStatus();
}

std::string PerformanceToJson(const PerformanceRecord& r) {
  json categories = json::array(), indicators = json::array();
  for (const CategoryResult& c : r.result.categories) {
    categories.push_back({{"id", c.id}, {"title", c.title}, {"weight", c.weight}, {"score", c.score}});
  }
  for (const IndicatorResult& i : r.result.indicators) {
    indicators.push_back({{"id", i.id},
                          {"title", i.title},
                          {"category", i.category},
                          {"weight", i.weight},
                          {"basis", i.basis},
                          {"actual", i.actual},
                          {"missing", i.missing},
                          {"score", i.score}});
  }
  json j = {{"year", r.year},
            {"scheme", r.scheme},
            {"scheme_version", r.scheme_version},
            {"provisional", r.provisional},
            {"total", r.result.total},
            {"categories", categories},
            {"indicators", indicators},
            {"cutoffs", r.result.cutoffs},
            {"loses_national_status", r.loses_national_status},
            {"national_status_note", r.national_status_note},
            {"evaluator", r.evaluator}};
  return j.dump();
}

absl::Status PerformanceFromJson(const std::string& text, PerformanceRecord& r) {
  absl::StatusOr<json> parsed = Parse(text);
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  r.scheme = Text(j, "scheme");
  r.scheme_version = static_cast<int>(Number(j, "scheme_version"));
  r.provisional = Flag(j, "provisional");
  r.result.total = Number(j, "total");
  for (const json& c : List(j, "categories")) {
    r.result.categories.push_back({Text(c, "id"), Text(c, "title"), Number(c, "weight"), Number(c, "score")});
  }
  for (const json& i : List(j, "indicators")) {
    r.result.indicators.push_back({Text(i, "id"), Text(i, "title"), Text(i, "category"), Number(i, "weight"),
                                   Text(i, "basis"), Number(i, "actual"), Flag(i, "missing"), Number(i, "score")});
  }
  for (const json& cutoff : List(j, "cutoffs")) {
    if (cutoff.is_string()) r.result.cutoffs.push_back(cutoff.get<std::string>());
  }
  r.loses_national_status = Flag(j, "loses_national_status");
  r.national_status_note = Text(j, "national_status_note");
  r.evaluator = Text(j, "evaluator");
  return absl::OkStatus();
}

}  // namespace stip::evaluation
