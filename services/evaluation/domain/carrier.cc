#include "services/evaluation/domain/carrier.h"

#include "common/org_units.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace stip::evaluation {
namespace {

using Json = nlohmann::json;

struct KindRow {
  CarrierKind kind;
  const char* code;
  const char* zh;
  const char* proto;
};
constexpr KindRow kKinds[] = {
    {CarrierKind::kComprehensiveIncubator, "comprehensive_incubator", "综合孵化器", "COMPREHENSIVE_INCUBATOR"},
    {CarrierKind::kSpecializedIncubator, "specialized_incubator", "专业孵化器", "SPECIALIZED_INCUBATOR"},
    {CarrierKind::kMakerspace, "makerspace", "众创空间", "MAKERSPACE"},
    {CarrierKind::kUniversityPark, "university_science_park", "大学科技园", "UNIVERSITY_SCIENCE_PARK"},
};

struct LevelRow {
  CarrierLevel level;
  const char* code;
  const char* zh;
  const char* proto;
};
constexpr LevelRow kLevels[] = {
    {CarrierLevel::kDistrict, "district", "区级", "DISTRICT"},
    {CarrierLevel::kMunicipal, "municipal", "市级", "MUNICIPAL"},
    {CarrierLevel::kNational, "national", "国家级", "NATIONAL"},
};

std::string StringOr(const Json& json, const char* key, const std::string& fallback = "") {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool BoolOr(const Json& json, const char* key, bool fallback) {
  auto it = json.find(key);
  return it != json.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace

std::string KindCode(CarrierKind kind) {
  for (const KindRow& row : kKinds) {
    if (row.kind == kind) return row.code;
  }
  return "unspecified";
}

std::string KindName(CarrierKind kind) {
  for (const KindRow& row : kKinds) {
    if (row.kind == kind) return row.zh;
  }
  return "未指定";
}

std::optional<CarrierKind> ParseKind(absl::string_view text) {
  for (const KindRow& row : kKinds) {
    if (text == row.code || text == row.zh || text == row.proto) return row.kind;
  }
  return std::nullopt;
}

std::string LevelCode(CarrierLevel level) {
  for (const LevelRow& row : kLevels) {
    if (row.level == level) return row.code;
  }
  return "none";
}

std::string LevelName(CarrierLevel level) {
  for (const LevelRow& row : kLevels) {
    if (row.level == level) return row.zh;
  }
  return "未认定";
}

std::optional<CarrierLevel> ParseLevel(absl::string_view text) {
  for (const LevelRow& row : kLevels) {
    if (text == row.code || text == row.zh || text == row.proto) return row.level;
  }
  return std::nullopt;
}

bool IsIncubator(CarrierKind kind) {
  return kind == CarrierKind::kComprehensiveIncubator || kind == CarrierKind::kSpecializedIncubator;
}

CarrierLevel LevelAt(const Carrier& carrier, int year) {
  CarrierLevel best = CarrierLevel::kNone;
  for (const LevelGrant& grant : carrier.levels) {
    if (grant.year > year) continue;
    if (grant.revoked_year != 0 && grant.revoked_year <= year) continue;
    if (static_cast<int>(grant.level) > static_cast<int>(best)) best = grant.level;
  }
  return best;
}

CarrierLevel CurrentLevel(const Carrier& carrier) {
  CarrierLevel best = CarrierLevel::kNone;
  for (const LevelGrant& grant : carrier.levels) {
    if (grant.revoked_year != 0) continue;
    if (static_cast<int>(grant.level) > static_cast<int>(best)) best = grant.level;
  }
  return best;
}

std::optional<int> GrantYear(const Carrier& carrier, CarrierLevel level) {
  std::optional<int> year;
  for (const LevelGrant& grant : carrier.levels) {
    if (grant.level == level && (!year || grant.year < *year)) year = grant.year;
  }
  return year;
}

bool IsCarrierId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return id.front() != '-' && id.back() != '-';
}

bool IsDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(text.substr(0, 4), &year) || !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::vector<Violation> ValidateCarrier(const Carrier& carrier, const std::set<std::string>& org_units) {
  std::vector<Violation> out;
  if (!IsCarrierId(carrier.id)) {
    out.push_back({"carrier.id", "载体编号须为小写字母、数字和连字符，如 cauc-park (id must match [a-z0-9-]+)"});
  }
  if (carrier.display_name.empty())
    out.push_back({"carrier.display_name", "请填写载体名称 (display_name is required)"});
  if (carrier.kind == CarrierKind::kUnspecified) {
    out.push_back({"carrier.kind", "请选择载体类型：综合孵化器、专业孵化器、众创空间或大学科技园 (kind is required)"});
  }
  if (carrier.org_unit.empty() || org_units.count(carrier.org_unit) == 0) {
    out.push_back({"carrier.org_unit", absl::StrCat("未知的所属街道园区 '", carrier.org_unit,
                                                    "' (org_unit must be a street or park code, e.g. linkong)")});
  }
  if (!carrier.established_date.empty() && !IsDate(carrier.established_date)) {
    out.push_back({"carrier.established_date", "日期格式应为 YYYY-MM-DD (established_date must be YYYY-MM-DD)"});
  }
  std::set<int> levels_seen;
  for (size_t i = 0; i < carrier.levels.size(); ++i) {
    const LevelGrant& grant = carrier.levels[i];
    std::string field = absl::StrCat("carrier.levels[", i, "]");
    if (grant.level == CarrierLevel::kNone)
      out.push_back({field + ".level", "请选择级别：区级、市级或国家级 (level is required)"});
    if (grant.year < 1980 || grant.year > 2100)
      out.push_back({field + ".year", "认定年份不合理 (year must be 1980–2100)"});
    if (grant.revoked_year != 0 && grant.revoked_year < grant.year) {
      out.push_back({field + ".revoked_year", "撤销年份不能早于认定年份 (revoked_year must not precede year)"});
    }
    if (!levels_seen.insert(static_cast<int>(grant.level)).second) {
      out.push_back({field + ".level", "同一级别只能登记一次 (each level once)"});
    }
  }
  for (size_t i = 0; i < carrier.contacts.size(); ++i) {
    if (carrier.contacts[i].name.empty()) {
      out.push_back({absl::StrCat("carrier.contacts[", i, "].name"), "联系人姓名不能为空 (name is required)"});
    }
  }
  return out;
}

absl::StatusOr<std::vector<Carrier>> ParseCarriers(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return absl::InvalidArgumentError("carriers file: not a JSON object");
  if (StringOr(json, "format") != "stip.carriers/v1") {
    return absl::InvalidArgumentError("carriers file: format must be \"stip.carriers/v1\"");
  }
  auto list = json.find("carriers");
  if (list == json.end() || !list->is_array())
    return absl::InvalidArgumentError("carriers file: \"carriers\" must be a list");
  std::vector<Carrier> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    if (!item.is_object()) return absl::InvalidArgumentError(absl::StrCat("carriers[", i, "] must be an object"));
    Carrier carrier;
    carrier.id = StringOr(item, "id");
    carrier.display_name = StringOr(item, "display_name");
    std::optional<CarrierKind> kind = ParseKind(StringOr(item, "kind"));
    if (!kind) return absl::InvalidArgumentError(absl::StrCat("carriers[", i, "] (", carrier.id, "): unknown kind"));
    carrier.kind = *kind;
    carrier.operator_name = StringOr(item, "operator");
    carrier.org_unit = StringOr(item, "org_unit");
    carrier.university = StringOr(item, "university");
    carrier.established_date = StringOr(item, "established_date");
    carrier.independent_legal_person = BoolOr(item, "independent_legal_person", true);
    carrier.registered_in_tianjin = BoolOr(item, "registered_in_tianjin", true);
    carrier.in_dongli = BoolOr(item, "in_dongli", true);
    carrier.note = StringOr(item, "note");
    carrier.plan_task = StringOr(item, "plan_task");
    if (auto levels = item.find("levels"); levels != item.end()) carrier.levels = LevelsFromJson(levels->dump());
    if (auto contacts = item.find("contacts"); contacts != item.end())
      carrier.contacts = ContactsFromJson(contacts->dump());
    out.push_back(std::move(carrier));
  }
  return out;
}

std::string LevelsToJson(const std::vector<LevelGrant>& levels) {
  Json out = Json::array();
  for (const LevelGrant& grant : levels) {
    Json item = {{"level", LevelCode(grant.level)}, {"year", grant.year}, {"document", grant.document}};
    if (grant.revoked_year != 0) item["revoked_year"] = grant.revoked_year;
    out.push_back(item);
  }
  return out.dump();
}

std::vector<LevelGrant> LevelsFromJson(absl::string_view text) {
  std::vector<LevelGrant> out;
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (!json.is_array()) return out;
  for (const Json& item : json) {
    if (!item.is_object()) continue;
    LevelGrant grant;
    grant.level = ParseLevel(StringOr(item, "level")).value_or(CarrierLevel::kNone);
    if (item.contains("year") && item["year"].is_number_integer()) grant.year = item["year"].get<int>();
    grant.document = StringOr(item, "document");
    if (item.contains("revoked_year") && item["revoked_year"].is_number_integer()) {
      grant.revoked_year = item["revoked_year"].get<int>();
    }
    out.push_back(grant);
  }
  return out;
}

std::string ContactsToJson(const std::vector<Contact>& contacts) {
  Json out = Json::array();
  for (const Contact& c : contacts) {
    out.push_back({{"name", c.name}, {"role", c.role}, {"phone", c.phone}, {"email", c.email}});
  }
  return out.dump();
}

std::vector<Contact> ContactsFromJson(absl::string_view text) {
  std::vector<Contact> out;
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (!json.is_array()) return out;
  for (const Json& item : json) {
    if (!item.is_object()) continue;
    out.push_back({StringOr(item, "name"), StringOr(item, "role"), StringOr(item, "phone"), StringOr(item, "email")});
  }
  return out;
}

absl::StatusOr<std::set<std::string>> LoadOrgUnitCodes(const std::string& plans_dir) {
  absl::StatusOr<std::vector<OrgUnitRecord>> units = LoadOrgUnits(plans_dir);
  if (!units.ok()) return units.status();
  std::set<std::string> codes;
  for (const OrgUnitRecord& unit : *units) {
    if (unit.kind == "STREET" || unit.kind == "PARK" || unit.kind == "DISTRICT") codes.insert(unit.code);
  }
  return codes;
}

}  // namespace stip::evaluation
