#include "services/cultivation/domain/dated_record.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {
namespace {

struct KindInfo {
  RecordKind kind;
  const char* code;
  const char* zh;
};
constexpr KindInfo kKinds[] = {
    {RecordKind::kCertificate, "certificate", "证书"},
    {RecordKind::kAward, "award", "科技奖励"},
    {RecordKind::kContest, "contest", "创新创业大赛"},
    {RecordKind::kStandard, "standard", "标准"},
    {RecordKind::kPlanProject, "plan_project", "科技计划项目"},
    {RecordKind::kRdInstitution, "rd_institution", "研发机构"},
    {RecordKind::kVentureInvestment, "venture_investment", "创业投资"},
    {RecordKind::kViolation, "violation", "违法失信事件"},
};

const std::vector<std::pair<std::string, std::string>>& Levels() {
  static const auto* levels = new std::vector<std::pair<std::string, std::string>>{
      {"international", "国际"}, {"national", "国家级"}, {"provincial", "省部级"}, {"industry", "行业"},
      {"local", "地方"},         {"group", "团体"},      {"enterprise", "企业"},   {"district", "区级"}};
  return *levels;
}

const std::vector<std::string>& TypesOf(RecordKind kind) {
  static const auto* certificates =
      new std::vector<std::string>{"hte_national", "hte_tianjin", "software_enterprise", "software_product"};
  static const auto* violations = new std::vector<std::string>{"serious_research_misconduct", "abnormal_operation_list",
                                                               "serious_dishonest_list", "major_accident"};
  static const auto* none = new std::vector<std::string>{};
  if (kind == RecordKind::kCertificate) return *certificates;
  if (kind == RecordKind::kViolation) return *violations;
  return *none;
}

// Prizes from the highest down: "≥ 三等奖" means first, second or third.
const std::vector<std::string>& Prizes() {
  static const auto* prizes = new std::vector<std::string>{"first", "second", "third", "excellence", "finalist"};
  return *prizes;
}

int PrizeRank(const std::string& prize) {
  const auto& prizes = Prizes();
  auto it = std::find(prizes.begin(), prizes.end(), prize);
  return it == prizes.end() ? 1000 : static_cast<int>(it - prizes.begin());
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool NeedsYear(RecordKind kind) {
  return kind == RecordKind::kAward || kind == RecordKind::kContest || kind == RecordKind::kStandard ||
         kind == RecordKind::kPlanProject;
}

// Whether the record is in force on `day`: from its start date, until its end date (exclusive).
bool InForce(const DatedRecord& r, absl::CivilDay day, int validity_years) {
  std::optional<absl::CivilDay> start = ParseDate(r.start_date);
  if (start && *start > day) return false;
  if (std::optional<absl::CivilDay> end = ParseDate(r.end_date)) return day < *end;
  if (r.kind == RecordKind::kCertificate && start) return day < AddYears(*start, validity_years);
  return true;
}

// Codes and their Chinese names for the fields that have both, as the CSV template shows them.
const std::vector<std::pair<std::string, std::string>>& TypeNames() {
  static const auto* names = new std::vector<std::pair<std::string, std::string>>{
      {"hte_national", "国家高新技术企业证书"},        {"hte_tianjin", "天津市高新技术企业证书"},
      {"software_enterprise", "软件企业证书"},         {"software_product", "软件产品证书"},
      {"serious_research_misconduct", "科研严重失信"}, {"abnormal_operation_list", "经营异常名录"},
      {"serious_dishonest_list", "严重违法失信名单"},  {"major_accident", "重大安全质量事故或严重环境违法"}};
  return *names;
}

const std::vector<std::pair<std::string, std::string>>& PrizeNames() {
  static const auto* names = new std::vector<std::pair<std::string, std::string>>{{"first", "一等奖"},
                                                                                  {"second", "二等奖"},
                                                                                  {"third", "三等奖"},
                                                                                  {"excellence", "优秀奖"},
                                                                                  {"finalist", "入围决赛"}};
  return *names;
}

const std::vector<std::pair<std::string, std::string>>& RoleNames() {
  static const auto* names =
      new std::vector<std::pair<std::string, std::string>>{{"lead", "主导"}, {"participant", "参与"}};
  return *names;
}

// The code for a code or its Chinese name; the text itself when it is neither (CheckRecord then says why).
std::string CodeOf(const std::vector<std::pair<std::string, std::string>>& names, absl::string_view text) {
  for (const auto& [code, zh] : names) {
    if (text == code || text == zh) return code;
  }
  return std::string(text);
}

std::string NameOf(const std::vector<std::pair<std::string, std::string>>& names, const std::string& code) {
  for (const auto& [c, zh] : names) {
    if (c == code) return zh;
  }
  return code;
}

}  // namespace

const std::vector<std::pair<const char*, const char*>>& RecordColumns() {
  static const auto* columns = new std::vector<std::pair<const char*, const char*>>{
      {"kind", "记录类别"},       {"type", "类型"},         {"level", "级别"},      {"year", "年份"},
      {"rank", "排名"},           {"prize", "奖项"},        {"role", "角色"},       {"number", "证书编号"},
      {"start_date", "开始日期"}, {"end_date", "截止日期"}, {"amount", "金额(元)"}, {"investor", "投资机构"},
      {"title", "名称"}};
  return *columns;
}

absl::Status SetRecordCell(DatedRecord& r, absl::string_view key, absl::string_view text) {
  if (text.empty()) return absl::OkStatus();
  auto integer = [&](auto* out, const char* what) {
    int64_t value = 0;
    if (!absl::SimpleAtoi(text, &value) || value < 0) return absl::InvalidArgumentError(absl::StrCat(what, "应为整数"));
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(value);
    return absl::OkStatus();
  };
  if (key == "kind") {
    std::optional<RecordKind> kind = ParseRecordKind(text);
    if (!kind)
      return absl::InvalidArgumentError(
          "记录类别应为证书、科技奖励、创新创业大赛、标准、科技计划项目、研发机构、创业投资或违法失信事件");
    r.kind = *kind;
  } else if (key == "type") {
    r.type = CodeOf(TypeNames(), text);
  } else if (key == "level") {
    r.level = CodeOf(Levels(), text);
  } else if (key == "year") {
    return integer(&r.year, "年份");
  } else if (key == "rank") {
    return integer(&r.rank, "排名");
  } else if (key == "prize") {
    r.prize = CodeOf(PrizeNames(), text);
  } else if (key == "role") {
    r.role = CodeOf(RoleNames(), text);
  } else if (key == "amount") {
    return integer(&r.amount, "金额（整数元）");
  } else {
    std::string value(text);
    if (key == "number") r.number = value;
    if (key == "start_date") r.start_date = value;
    if (key == "end_date") r.end_date = value;
    if (key == "investor") r.investor = value;
    if (key == "title") r.title = value;
  }
  return absl::OkStatus();
}

std::vector<std::string> RecordCells(const DatedRecord& r) {
  auto number = [](int64_t v) { return v == 0 ? std::string() : absl::StrCat(v); };
  return {RecordKindName(r.kind),
          NameOf(TypeNames(), r.type),
          NameOf(Levels(), r.level),
          number(r.year),
          number(r.rank),
          NameOf(PrizeNames(), r.prize),
          NameOf(RoleNames(), r.role),
          r.number,
          r.start_date,
          r.end_date,
          number(r.amount),
          r.investor,
          r.title};
}

std::string RecordKindCode(RecordKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.code;
  }
  return "unspecified";
}

std::string RecordKindName(RecordKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.zh;
  }
  return "未指定";
}

std::optional<RecordKind> ParseRecordKind(absl::string_view text) {
  for (const KindInfo& info : kKinds) {
    if (text == info.code || text == info.zh) return info.kind;
  }
  return std::nullopt;
}

int RecordYear(const DatedRecord& record) {
  if (record.year > 0) return record.year;
  std::optional<absl::CivilDay> start = ParseDate(record.start_date);
  return start ? static_cast<int>(start->year()) : 0;
}

std::vector<std::pair<std::string, std::string>> CheckRecord(const DatedRecord& r) {
  std::vector<std::pair<std::string, std::string>> problems;
  auto add = [&](const char* field, std::string reason) { problems.emplace_back(field, std::move(reason)); };
  if (r.kind == RecordKind::kUnspecified) {
    add("kind", "记录类别应为证书、科技奖励、创新创业大赛、标准、科技计划项目、研发机构、创业投资或违法失信事件");
    return problems;
  }
  const std::vector<std::string>& types = TypesOf(r.kind);
  if (!types.empty() && !Contains(types, r.type))
    add("type", absl::StrCat(RecordKindName(r.kind), "的类型不正确：", r.type));
  bool level_known = std::any_of(Levels().begin(), Levels().end(), [&](const auto& l) { return l.first == r.level; });
  bool needs_level = r.kind != RecordKind::kCertificate && r.kind != RecordKind::kViolation &&
                     r.kind != RecordKind::kVentureInvestment;
  if (needs_level && !level_known) add("level", "级别应为国际、国家级、省部级、行业、地方、团体、企业或区级");
  if (NeedsYear(r.kind) && (r.year < 1949 || r.year > 2100)) add("year", "应填写获奖、立项或发布的年份（如 2020）");
  if (r.kind == RecordKind::kAward && r.rank < 1) add("rank", "应填写企业在获奖单位中的排名（1 为第一完成单位）");
  if (r.kind == RecordKind::kContest && PrizeRank(r.prize) >= 1000) {
    add("prize", "奖项应为一等奖、二等奖、三等奖、优秀奖或入围决赛（first/second/third/excellence/finalist）");
  }
  if (r.kind == RecordKind::kStandard && r.role != "lead" && r.role != "participant") {
    add("role", "应为主导（lead）或参与（participant）");
  }
  bool needs_start = r.kind == RecordKind::kCertificate || r.kind == RecordKind::kRdInstitution ||
                     r.kind == RecordKind::kVentureInvestment || r.kind == RecordKind::kViolation;
  std::optional<absl::CivilDay> start = ParseDate(r.start_date), end = ParseDate(r.end_date);
  if (needs_start && !start) add("start_date", "应填写日期（发证、认定、投资或事件开始），格式 YYYY-MM-DD");
  if (!r.start_date.empty() && !start) add("start_date", "日期格式应为 YYYY-MM-DD");
  if (!r.end_date.empty() && !end) add("end_date", "日期格式应为 YYYY-MM-DD");
  if (start && end && *end < *start) add("end_date", "截止日期不能早于开始日期");
  if (r.kind == RecordKind::kVentureInvestment) {
    if (r.amount <= 0) add("amount", "投资金额应为正整数元");
    if (r.investor.empty()) add("investor", "应填写投资机构名称（单笔单家）");
  }
  return problems;
}

bool Matches(const DatedRecord& r, const rules::RecordQuery& q, int year, absl::CivilDay as_of, int validity_years) {
  if (RecordKindCode(r.kind) != q.kind) return false;
  if (!q.types.empty() && !Contains(q.types, r.type)) return false;
  if (!q.levels.empty() && !Contains(q.levels, r.level)) return false;
  if (!q.roles.empty() && !Contains(q.roles, r.role)) return false;
  int record_year = RecordYear(r);
  if (record_year > year) return false;  // after the application year: it cannot count yet
  if (std::optional<absl::CivilDay> start = ParseDate(r.start_date); start && *start > as_of) return false;
  if (q.within_years && year - record_year > *q.within_years) return false;
  if (q.max_rank && (r.rank < 1 || r.rank > *q.max_rank)) return false;
  if (!q.min_prize.empty() && PrizeRank(r.prize) > PrizeRank(q.min_prize)) return false;
  if (q.min_amount && rules::Rational(r.amount) < *q.min_amount) return false;
  if (q.valid_on_as_of && !InForce(r, as_of, validity_years)) return false;
  return true;
}

std::string RecordText(const DatedRecord& r) {
  std::string level;
  for (const auto& [code, zh] : Levels()) {
    if (code == r.level) level = zh;
  }
  std::string when = r.year > 0 ? absl::StrCat(r.year, "年") : r.start_date;
  std::string detail;
  if (r.kind == RecordKind::kAward) detail = absl::StrCat("排名第", r.rank);
  if (r.kind == RecordKind::kContest) detail = r.prize;
  if (r.kind == RecordKind::kStandard) detail = r.role == "lead" ? "主导" : "参与";
  if (r.kind == RecordKind::kVentureInvestment) detail = absl::StrCat(r.amount, "元，", r.investor);
  if (!r.end_date.empty()) detail = absl::StrCat(detail, detail.empty() ? "" : "，", "至", r.end_date);
  return absl::StrCat(when, " ", level, level.empty() ? "" : " ", RecordKindName(r.kind), r.type.empty() ? "" : "/",
                      r.type, detail.empty() ? "" : "（" + detail + "）", r.title.empty() ? "" : "：" + r.title);
}

std::string RecordToJson(const DatedRecord& r) {
  nlohmann::json json = {{"kind", RecordKindCode(r.kind)},
                         {"type", r.type},
                         {"level", r.level},
                         {"year", r.year},
                         {"rank", r.rank},
                         {"prize", r.prize},
                         {"role", r.role},
                         {"number", r.number},
                         {"start_date", r.start_date},
                         {"end_date", r.end_date},
                         {"amount", r.amount},
                         {"investor", r.investor},
                         {"title", r.title}};
  return json.dump();
}

absl::StatusOr<DatedRecord> RecordFromJson(absl::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return absl::DataLossError("stored record is not a JSON object");
  DatedRecord r;
  r.kind = ParseRecordKind(json.value("kind", "")).value_or(RecordKind::kUnspecified);
  r.type = json.value("type", "");
  r.level = json.value("level", "");
  r.year = json.value("year", 0);
  r.rank = json.value("rank", 0);
  r.prize = json.value("prize", "");
  r.role = json.value("role", "");
  r.number = json.value("number", "");
  r.start_date = json.value("start_date", "");
  r.end_date = json.value("end_date", "");
  r.amount = json.value("amount", int64_t{0});
  r.investor = json.value("investor", "");
  r.title = json.value("title", "");
  return r;
}

}  // namespace stip::cultivation
