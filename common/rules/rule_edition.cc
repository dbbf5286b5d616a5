#include "common/rules/rule_edition.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace stip::rules {
namespace {

using Json = nlohmann::json;

absl::Status Bad(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("rule edition: ", path, ": ", what));
}

std::optional<SourceStatus> ParseStatus(const std::string& tag) {
  if (tag == "V") return SourceStatus::kVerified;
  if (tag == "P") return SourceStatus::kPartial;
  if (tag == "R") return SourceStatus::kRecalled;
  if (tag == "INFERRED") return SourceStatus::kInferred;
  if (tag == "MISSING") return SourceStatus::kMissing;
  return std::nullopt;
}

std::optional<Unit> ParseUnit(const std::string& unit) {
  static const std::pair<const char*, Unit> kUnits[] = {
      {"number", Unit::kNumber}, {"yuan", Unit::kYuan},     {"ratio", Unit::kRatio},
      {"count", Unit::kCount},   {"bool", Unit::kBool},     {"days", Unit::kDays},
      {"years", Unit::kYears},   {"points", Unit::kPoints}, {"text", Unit::kText}};
  for (const auto& [name, value] : kUnits) {
    if (unit == name) return value;
  }
  return std::nullopt;
}

std::optional<Op> ParseOp(const std::string& op) {
  if (op == ">=") return Op::kGe;
  if (op == ">") return Op::kGt;
  if (op == "<=") return Op::kLe;
  if (op == "<") return Op::kLt;
  if (op == "==") return Op::kEq;
  if (op == "!=") return Op::kNe;
  if (op == "in") return Op::kIn;
  return std::nullopt;
}

absl::StatusOr<std::string> String(const Json& object, const char* key, const std::string& path, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return Bad(path, absl::StrCat("missing \"", key, "\""));
    return std::string();
  }
  if (!it->is_string()) return Bad(path, absl::StrCat("\"", key, "\" must be a string"));
  return it->get<std::string>();
}

// Exact: an integer as it is, a decimal as the decimal it was written as (0.15 = 3/20, never 0.1499…).
absl::StatusOr<Rational> Number(const Json& value, const std::string& path) {
  if (value.is_boolean()) return Rational(value.get<bool>() ? 1 : 0);
  if (value.is_number_integer()) return Rational(value.get<int64_t>());
  if (!value.is_number()) return Bad(path, "must be a number");
  Rational exact = Rational::FromDouble(value.get<double>());
  if (!exact.valid()) return Bad(path, "number out of range");
  return exact;
}

// "points": 9 or [9, 10] (a band an expert picks inside).
absl::Status Points(const Json& value, const std::string& path, Rational& low, Rational& high) {
  if (value.is_array()) {
    if (value.size() != 2) return Bad(path, "a points band is [low, high]");
    absl::StatusOr<Rational> l = Number(value[0], path), h = Number(value[1], path);
    if (!l.ok()) return l.status();
    if (!h.ok()) return h.status();
    if (*l > *h) return Bad(path, "points band low above high");
    low = *l;
    high = *h;
    return absl::OkStatus();
  }
  absl::StatusOr<Rational> exact = Number(value, path);
  if (!exact.ok()) return exact.status();
  low = high = *exact;
  return absl::OkStatus();
}

absl::Status ParseCriterion(const Json& json, const std::string& path, bool edition_provisional,
                            std::set<std::string>& ids, Criterion& out) {
  if (!json.is_object()) return Bad(path, "a criterion must be an object");
  absl::StatusOr<std::string> id = String(json, "id", path, true);
  if (!id.ok()) return id.status();
  out.id = *id;
  if (out.id.empty()) return Bad(path, "empty id");
  if (!ids.insert(out.id).second) return Bad(path, absl::StrCat("duplicate criterion id ", out.id));
  std::string here = absl::StrCat(path, "(", out.id, ")");
  absl::StatusOr<std::string> zh = String(json, "zh", here, true);
  if (!zh.ok()) return zh.status();
  out.description = *zh;
  absl::StatusOr<std::string> source = String(json, "source", here, false);
  if (!source.ok()) return source.status();
  out.source = *source;
  absl::StatusOr<std::string> status = String(json, "status", here, true);
  if (!status.ok()) return status.status();
  std::optional<SourceStatus> parsed_status = ParseStatus(*status);
  if (!parsed_status) return Bad(here, "status must be one of V, P, R, INFERRED, MISSING");
  out.status = *parsed_status;
  out.provisional = edition_provisional || out.status == SourceStatus::kRecalled ||
                    out.status == SourceStatus::kInferred || out.status == SourceStatus::kMissing;
  if (auto it = json.find("provisional"); it != json.end()) {
    if (!it->is_boolean()) return Bad(here, "\"provisional\" must be true or false");
    if (!it->get<bool>() && out.provisional) {
      return Bad(here, "an [R]/[INFERRED]/[MISSING] criterion cannot be marked non-provisional");
    }
    out.provisional = out.provisional || it->get<bool>();
  }

  const Json* children = nullptr;
  if (auto it = json.find("all_of"); it != json.end()) {
    out.kind = Criterion::Kind::kAllOf;
    children = &*it;
  } else if (auto any = json.find("any_of"); any != json.end()) {
    out.kind = Criterion::Kind::kAnyOf;
    children = &*any;
  } else if (auto least = json.find("at_least"); least != json.end()) {
    out.kind = Criterion::Kind::kAtLeast;
    if (!least->is_object() || !least->contains("n") || !least->contains("of") || !(*least)["n"].is_number_integer()) {
      return Bad(here, "\"at_least\" must be {\"n\": <int>, \"of\": [...]}");
    }
    out.at_least = (*least)["n"].get<int>();
    children = &(*least)["of"];
  }
  if (children != nullptr) {
    if (!children->is_array() || children->empty()) return Bad(here, "a group needs a non-empty list");
    for (size_t i = 0; i < children->size(); ++i) {
      Criterion child;
      absl::Status s = ParseCriterion((*children)[i], absl::StrCat(here, "[", i, "]"), edition_provisional, ids, child);
      if (!s.ok()) return s;
      out.children.push_back(std::move(child));
    }
    if (out.kind == Criterion::Kind::kAtLeast &&
        (out.at_least < 1 || out.at_least > static_cast<int>(out.children.size()))) {
      return Bad(here, "\"at_least.n\" must be between 1 and the number of children");
    }
    return absl::OkStatus();
  }

  out.kind = Criterion::Kind::kCompare;
  absl::StatusOr<std::string> metric = String(json, "metric", here, true);
  if (!metric.ok()) return metric.status();
  out.metric = *metric;
  absl::StatusOr<std::string> op = String(json, "op", here, true);
  if (!op.ok()) return op.status();
  std::optional<Op> parsed_op = ParseOp(*op);
  if (!parsed_op) return Bad(here, "op must be one of >= > <= < == != in");
  out.op = *parsed_op;
  absl::StatusOr<std::string> unit = String(json, "unit", here, false);
  if (!unit.ok()) return unit.status();
  if (!unit->empty()) {
    std::optional<Unit> parsed_unit = ParseUnit(*unit);
    if (!parsed_unit) return Bad(here, "unknown unit");
    out.unit = *parsed_unit;
  }
  if (out.op == Op::kIn) {
    auto it = json.find("values");
    if (it == json.end() || !it->is_array() || it->empty())
      return Bad(here, "\"in\" needs a non-empty \"values\" list");
    for (const Json& value : *it) {
      if (!value.is_string()) return Bad(here, "\"values\" must be strings");
      out.values.push_back(value.get<std::string>());
    }
    if (unit->empty()) out.unit = Unit::kText;
    return absl::OkStatus();
  }
  if (auto it = json.find("threshold"); it != json.end()) {
    if (it->is_null()) {
      if (!out.provisional) return Bad(here, "only a provisional criterion may have no threshold (null)");
    } else {
      absl::StatusOr<Rational> value = Number(*it, here + ".threshold");
      if (!value.ok()) return value.status();
      out.threshold = *value;
      if (it->is_boolean() && unit->empty()) out.unit = Unit::kBool;
    }
  } else if (auto bands = json.find("bands"); bands != json.end()) {
    if (!bands->is_object()) return Bad(here, "\"bands\" must be an object");
    absl::StatusOr<std::string> band_metric = String(*bands, "metric", here + ".bands", true);
    if (!band_metric.ok()) return band_metric.status();
    out.band_metric = *band_metric;
    absl::StatusOr<std::string> band_unit = String(*bands, "unit", here + ".bands", false);
    if (!band_unit.ok()) return band_unit.status();
    if (!band_unit->empty()) {
      std::optional<Unit> parsed = ParseUnit(*band_unit);
      if (!parsed) return Bad(here, "unknown band unit");
      out.band_unit = *parsed;
    }
    auto ranges = bands->find("ranges");
    if (ranges == bands->end() || !ranges->is_array() || ranges->empty())
      return Bad(here, "\"bands.ranges\" must be a non-empty list");
    for (size_t i = 0; i < ranges->size(); ++i) {
      const Json& range = (*ranges)[i];
      std::string range_path = absl::StrCat(here, ".bands.ranges[", i, "]");
      if (!range.is_object() || !range.contains("threshold")) return Bad(range_path, "needs \"threshold\"");
      Band band;
      absl::StatusOr<Rational> threshold = Number(range["threshold"], range_path);
      if (!threshold.ok()) return threshold.status();
      band.threshold = *threshold;
      if (range.contains("max")) {
        absl::StatusOr<Rational> max = Number(range["max"], range_path + ".max");
        if (!max.ok()) return max.status();
        band.max = *max;
      } else if (i + 1 != ranges->size()) {
        return Bad(range_path, "only the last band may be unbounded");
      }
      if (range.contains("inclusive")) band.max_inclusive = range["inclusive"].get<bool>();
      if (range.contains("label")) band.label = range["label"].get<std::string>();
      if (i > 0 && out.bands.back().max && band.max && *band.max <= *out.bands.back().max) {
        return Bad(range_path, "bands must be in increasing order of max");
      }
      out.bands.push_back(band);
    }
    if (out.bands.back().max) return Bad(here, "the last band must be unbounded (no \"max\")");
  } else {
    return Bad(here, "a comparison needs \"threshold\" or \"bands\"");
  }
  return absl::OkStatus();
}

absl::Status ParseStrings(const Json& json, const char* key, const std::string& path, std::vector<std::string>& out) {
  auto it = json.find(key);
  if (it == json.end()) return absl::OkStatus();
  if (!it->is_array()) return Bad(path, absl::StrCat("\"", key, "\" must be a list of strings"));
  for (const Json& item : *it) {
    if (!item.is_string()) return Bad(path, absl::StrCat("\"", key, "\" must be a list of strings"));
    out.push_back(item.get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ParseRecordQuery(const Json& json, const std::string& path, RecordQuery& out) {
  if (!json.is_object()) return Bad(path, "must be an object");
  absl::StatusOr<std::string> kind = String(json, "kind", path, true);
  if (!kind.ok()) return kind.status();
  out.kind = *kind;
  for (auto [key, list] :
       {std::pair{"types", &out.types}, std::pair{"levels", &out.levels}, std::pair{"roles", &out.roles}}) {
    if (absl::Status s = ParseStrings(json, key, path, *list); !s.ok()) return s;
  }
  for (auto [key, field] : {std::pair{"within_years", &out.within_years}, std::pair{"max_rank", &out.max_rank}}) {
    auto it = json.find(key);
    if (it == json.end()) continue;
    if (!it->is_number_integer() || it->get<int>() < 0) return Bad(path, absl::StrCat(key, " must be an integer ≥ 0"));
    *field = it->get<int>();
  }
  absl::StatusOr<std::string> prize = String(json, "min_prize", path, false);
  if (!prize.ok()) return prize.status();
  out.min_prize = *prize;
  if (auto it = json.find("min_amount"); it != json.end()) {
    absl::StatusOr<Rational> amount = Number(*it, path + ".min_amount");
    if (!amount.ok()) return amount.status();
    out.min_amount = *amount;
  }
  if (auto it = json.find("valid_on_as_of"); it != json.end()) out.valid_on_as_of = it->get<bool>();
  return absl::OkStatus();
}

absl::Status ParseDerived(const Json& json, const std::string& path, DerivedMetric& out) {
  if (!json.is_object()) return Bad(path, "must be an object");
  absl::StatusOr<std::string> name = String(json, "name", path, true);
  if (!name.ok()) return name.status();
  out.name = *name;
  absl::StatusOr<std::string> zh = String(json, "zh", path, false);
  if (!zh.ok()) return zh.status();
  out.description = *zh;
  auto list = [&](const char* key, DerivedMetric::Kind kind) -> std::optional<absl::Status> {
    auto it = json.find(key);
    if (it == json.end()) return std::nullopt;
    out.kind = kind;
    if (!it->is_array() || it->empty()) return Bad(path, absl::StrCat("\"", key, "\" must be a non-empty list"));
    for (const Json& input : *it) {
      if (!input.is_string()) return Bad(path, "inputs must be metric names");
      out.inputs.push_back(input.get<std::string>());
    }
    return absl::OkStatus();
  };
  absl::StatusOr<std::string> unit = String(json, "unit", path, false);
  if (!unit.ok()) return unit.status();
  if (!unit->empty()) {
    std::optional<Unit> parsed = ParseUnit(*unit);
    if (!parsed) return Bad(path, "unknown unit");
    out.unit = *parsed;
  }
  absl::StatusOr<std::string> expert = String(json, "expert", path, false);
  if (!expert.ok()) return expert.status();
  out.expert = *expert;
  if (auto cap = json.find("cap"); cap != json.end()) {
    absl::StatusOr<Rational> value = Number(*cap, path + ".cap");
    if (!value.ok()) return value.status();
    out.cap = *value;
  }
  for (auto [key, kind] : {std::pair{"sum", DerivedMetric::Kind::kSum}, std::pair{"max", DerivedMetric::Kind::kMax},
                           std::pair{"min", DerivedMetric::Kind::kMin}}) {
    if (std::optional<absl::Status> s = list(key, kind)) return *s;
  }
  if (auto records = json.find("records"); records != json.end()) {
    out.kind = DerivedMetric::Kind::kRecords;
    out.unit = Unit::kCount;
    return ParseRecordQuery(*records, path + ".records", out.records);
  }
  if (auto range = json.find("range"); range != json.end()) {
    out.kind = DerivedMetric::Kind::kRange;
    return Points(*range, path + ".range", out.range_low, out.range_high);
  }
  auto step = json.find("step");
  if (step == json.end() || !step->is_object()) {
    return Bad(path, "needs one of \"step\", \"sum\", \"max\", \"min\", \"range\"");
  }
  out.kind = DerivedMetric::Kind::kStep;
  absl::StatusOr<std::string> input = String(*step, "input", path + ".step", true);
  if (!input.ok()) return input.status();
  out.input = *input;
  if (step->contains("otherwise")) {
    absl::StatusOr<Rational> otherwise = Number((*step)["otherwise"], path + ".step.otherwise");
    if (!otherwise.ok()) return otherwise.status();
    out.otherwise = *otherwise;
  }
  auto steps = step->find("steps");
  if (steps == step->end() || !steps->is_array() || steps->empty())
    return Bad(path, "\"step.steps\" must be a non-empty list");
  for (size_t i = 0; i < steps->size(); ++i) {
    const Json& entry = (*steps)[i];
    std::string entry_path = absl::StrCat(path, ".step.steps[", i, "]");
    if (!entry.is_object() || !entry.contains("min") || !entry.contains("points"))
      return Bad(entry_path, "needs min and points");
    Step parsed;
    absl::StatusOr<Rational> min = Number(entry["min"], entry_path);
    if (!min.ok()) return min.status();
    parsed.min = *min;
    absl::Status points = Points(entry["points"], entry_path + ".points", parsed.points_low, parsed.points_high);
    if (!points.ok()) return points;
    if (entry.contains("exclusive")) parsed.exclusive = entry["exclusive"].get<bool>();
    if (!out.steps.empty() && parsed.min > out.steps.back().min)
      return Bad(entry_path, "steps must go from the highest min down");
    out.steps.push_back(parsed);
  }
  return absl::OkStatus();
}

void FlattenInto(const Criterion& criterion, std::vector<const Criterion*>& out) {
  out.push_back(&criterion);
  for (const Criterion& child : criterion.children) FlattenInto(child, out);
}

}  // namespace

absl::string_view SourceStatusTag(SourceStatus status) {
  switch (status) {
    case SourceStatus::kVerified: return "V";
    case SourceStatus::kPartial: return "P";
    case SourceStatus::kRecalled: return "R";
    case SourceStatus::kInferred: return "INFERRED";
    case SourceStatus::kMissing: return "MISSING";
  }
  return "MISSING";
}

std::string EditionKey(absl::string_view program, absl::string_view edition) {
  return absl::StrCat(program, "/", edition);
}

std::vector<const Criterion*> RuleEdition::Flatten() const {
  std::vector<const Criterion*> out;
  for (const Criterion& child : root.children) FlattenInto(child, out);
  return out;
}

bool RuleEdition::AnyProvisional() const {
  if (provisional) return true;
  for (const Criterion* criterion : Flatten()) {
    if (criterion->provisional) return true;
  }
  return false;
}

absl::StatusOr<RuleEdition> ParseRuleEdition(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Bad("$", "not valid JSON");
  if (!json.is_object()) return Bad("$", "must be an object");
  RuleEdition edition;
  absl::StatusOr<std::string> format = String(json, "format", "$", true);
  if (!format.ok()) return format.status();
  if (*format != "stip.rules/v1") return Bad("$.format", "must be \"stip.rules/v1\"");
  for (auto [key, field, required] :
       {std::tuple{"program", &edition.program, true}, std::tuple{"edition", &edition.edition, true},
        std::tuple{"title", &edition.title, true}, std::tuple{"document", &edition.document, true},
        std::tuple{"effective_from", &edition.effective_from, true}}) {
    absl::StatusOr<std::string> value = String(json, key, "$", required);
    if (!value.ok()) return value.status();
    *field = *value;
  }
  auto code_ok = [](const std::string& code) {
    if (code.empty() || code.size() > 40) return false;
    for (char c : code) {
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
            c == '_'))
        return false;
    }
    return true;
  };
  if (!code_ok(edition.program)) return Bad("$.program", "must be lower-case letters, digits, - or _");
  if (!code_ok(edition.edition)) return Bad("$.edition", "must be lower-case letters, digits, - or _");
  if (edition.effective_from.size() != 10 || edition.effective_from[4] != '-' || edition.effective_from[7] != '-') {
    return Bad("$.effective_from", "must be YYYY-MM-DD");
  }
  if (json.contains("provisional")) edition.provisional = json["provisional"].get<bool>();
  if (json.contains("requires_site_visit")) edition.requires_site_visit = json["requires_site_visit"].get<bool>();
  if (auto it = json.find("validity"); it != json.end()) {
    if (!it->is_object()) return Bad("$.validity", "must be an object");
    if (it->contains("years")) edition.validity_years = (*it)["years"].get<int>();
    if (it->contains("note")) edition.validity_note = (*it)["note"].get<std::string>();
  }
  if (auto it = json.find("notes"); it != json.end()) {
    for (const Json& note : *it) edition.notes.push_back(note.get<std::string>());
  }
  std::set<std::string> derived_names;
  if (auto it = json.find("derived"); it != json.end()) {
    if (!it->is_array()) return Bad("$.derived", "must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      DerivedMetric derived;
      absl::Status s = ParseDerived((*it)[i], absl::StrCat("$.derived[", i, "]"), derived);
      if (!s.ok()) return s;
      if (!derived_names.insert(derived.name).second) return Bad("$.derived", "duplicate name " + derived.name);
      edition.derived.push_back(std::move(derived));
    }
  }
  if (auto it = json.find("inputs"); it != json.end()) {
    if (!it->is_array()) return Bad("$.inputs", "must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& entry = (*it)[i];
      std::string path = absl::StrCat("$.inputs[", i, "]");
      if (!entry.is_object() || !entry.contains("metric") || !entry.contains("max"))
        return Bad(path, "needs metric and max");
      InputCap cap;
      cap.metric = entry["metric"].get<std::string>();
      absl::StatusOr<Rational> max = Number(entry["max"], path + ".max");
      if (!max.ok()) return max.status();
      cap.max = *max;
      if (entry.contains("min")) {
        absl::StatusOr<Rational> min = Number(entry["min"], path + ".min");
        if (!min.ok()) return min.status();
        cap.min = *min;
      }
      if (entry.contains("integer")) cap.integer = entry["integer"].get<bool>();
      if (entry.contains("zh")) cap.description = entry["zh"].get<std::string>();
      if (cap.min > cap.max) return Bad(path, "min above max");
      edition.inputs.push_back(std::move(cap));
    }
  }
  auto criteria = json.find("criteria");
  if (criteria == json.end() || !criteria->is_array() || criteria->empty()) {
    return Bad("$.criteria", "must be a non-empty list");
  }
  edition.root.id = "ALL";
  edition.root.description = edition.title;
  edition.root.kind = Criterion::Kind::kAllOf;
  edition.root.provisional = edition.provisional;
  std::set<std::string> ids;
  for (size_t i = 0; i < criteria->size(); ++i) {
    Criterion criterion;
    absl::Status s =
        ParseCriterion((*criteria)[i], absl::StrCat("$.criteria[", i, "]"), edition.provisional, ids, criterion);
    if (!s.ok()) return s;
    edition.root.children.push_back(std::move(criterion));
  }
  return edition;
}

}  // namespace stip::rules
