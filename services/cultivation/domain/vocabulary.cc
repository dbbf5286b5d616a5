#include "services/cultivation/domain/vocabulary.h"

#include "common/org_units.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace stip::cultivation {

const std::vector<std::string>& Programs() {
  static const auto* programs =
      new std::vector<std::string>{std::string(kTechSme),      std::string(kChuying), std::string(kDengling),
                                   std::string(kLingjunPeiyu), std::string(kLingjun), std::string(kHighTech)};
  return *programs;
}

const std::vector<std::string>& ProgramLadder() {
  static const auto* ladder =
      new std::vector<std::string>{std::string(kTechSme), std::string(kChuying), std::string(kDengling),
                                   std::string(kLingjunPeiyu), std::string(kLingjun)};
  return *ladder;
}

bool IsProgram(absl::string_view program) {
  const auto& all = Programs();
  return std::find(all.begin(), all.end(), program) != all.end();
}

std::string ProgramTitle(absl::string_view program) {
  if (program == kTechSme) return "科技型中小企业";
  if (program == kChuying) return "雏鹰企业";
  if (program == kDengling) return "瞪羚企业";
  if (program == kLingjunPeiyu) return "科技领军培育企业";
  if (program == kLingjun) return "科技领军企业";
  if (program == kHighTech) return "高新技术企业";
  return std::string(program);
}

std::string NextProgram(absl::string_view program) {
  const auto& ladder = ProgramLadder();
  if (program.empty()) return ladder.front();
  auto it = std::find(ladder.begin(), ladder.end(), program);
  if (it == ladder.end() || it + 1 == ladder.end()) return "";
  return *(it + 1);
}

std::string StageName(Stage stage) {
  switch (stage) {
    case Stage::kNone: return "未进入";
    case Stage::kScreened: return "遴选";
    case Stage::kPooled: return "入库";
    case Stage::kCultivating: return "培育";
    case Stage::kCertified: return "认定";
    case Stage::kExpired: return "到期";
    case Stage::kWithdrawn: return "流失";
  }
  return "未知";
}

std::string StageNameFor(absl::string_view program, Stage stage) {
  // 四个一批 of the plan's task 3: 入库 puts an enterprise into the 高企后备 (reserve) pool; 认定 is the certificate.
  if (program == kHighTech && stage == Stage::kPooled) return "入库（高企后备）";
  if (program == kHighTech && stage == Stage::kCertified) return "认定（高新技术企业证书）";
  return StageName(stage);
}

std::string StageCode(Stage stage) {
  switch (stage) {
    case Stage::kNone: return "NONE";
    case Stage::kScreened: return "SCREENED";
    case Stage::kPooled: return "POOLED";
    case Stage::kCultivating: return "CULTIVATING";
    case Stage::kCertified: return "CERTIFIED";
    case Stage::kExpired: return "EXPIRED";
    case Stage::kWithdrawn: return "WITHDRAWN";
  }
  return "UNKNOWN";
}

bool InTier(Stage stage) {
  return stage == Stage::kPooled || stage == Stage::kCultivating || stage == Stage::kCertified;
}

std::string EnterpriseStatusName(EnterpriseStatus status) {
  switch (status) {
    case EnterpriseStatus::kActive: return "存续";
    case EnterpriseStatus::kMovedOut: return "迁出";
    case EnterpriseStatus::kDeregistered: return "注销";
    case EnterpriseStatus::kUnspecified: break;
  }
  return "";
}

std::optional<EnterpriseStatus> ParseEnterpriseStatus(absl::string_view text) {
  if (text == "存续" || text == "ACTIVE" || text == "active" || text.empty()) return EnterpriseStatus::kActive;
  if (text == "迁出" || text == "MOVED_OUT" || text == "moved_out") return EnterpriseStatus::kMovedOut;
  if (text == "注销" || text == "DEREGISTERED" || text == "deregistered") return EnterpriseStatus::kDeregistered;
  return std::nullopt;
}

const std::vector<std::string>& HighTechFields() {
  static const auto* fields = new std::vector<std::string>{
      "电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化"};
  return *fields;
}

const std::vector<std::string>& Industries() {
  // The Dongli plan's leading industries (三.(四) 9–12, 三.(一) 1) and 津科规〔2021〕3号 第三条's priority
  // sectors, then the 8 national high-tech fields.
  static const auto* industries = [] {
    auto* list =
        new std::vector<std::string>{"智能制造", "高端装备制造",   "医疗健康",     "医疗器械", "生物医药", "新材料",
                                     "新能源",   "新一代汽车技术", "智能网联汽车", "航空航天", "航空物流", "跨境电商",
                                     "临空商贸", "知识产权服务",   "科技服务业",   "科技金融", "后台服务", "健康医养",
                                     "商贸文旅", "现代都市农业",   "智能科技",     "石油化工", "现代冶金", "现代轻纺"};
    for (const std::string& field : HighTechFields()) {
      if (std::find(list->begin(), list->end(), field) == list->end()) list->push_back(field);
    }
    list->push_back("其他");
    return list;
  }();
  return *industries;
}

bool IsIndustry(absl::string_view industry) {
  const auto& all = Industries();
  return std::find(all.begin(), all.end(), industry) != all.end();
}

bool IsHighTechField(absl::string_view field) {
  const auto& all = HighTechFields();
  return std::find(all.begin(), all.end(), field) != all.end();
}

std::optional<absl::CivilDay> ParseDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return std::nullopt;
  if (FormatDate(day) != text) return std::nullopt;  // rejects 2021-02-30 (normalised to March)
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", static_cast<int>(day.year()), day.month(), day.day());
}

absl::CivilDay Today() {
  return absl::ToCivilDay(absl::Now(), absl::LocalTimeZone());
}

std::string TodayText() {
  return FormatDate(Today());
}

absl::CivilDay YearEnd(int year) {
  return absl::CivilDay(year, 12, 31);
}

absl::CivilDay AddYears(absl::CivilDay day, int years) {
  absl::CivilDay result(day.year() + years, day.month(), day.day());
  if (result.month() != day.month()) result = absl::CivilDay(day.year() + years, day.month() + 1, 0);  // last day
  return result;
}

double YearsBetween(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) return -YearsBetween(to, from);
  int whole = static_cast<int>(to.year() - from.year());
  while (whole > 0 && AddYears(from, whole) > to) --whole;
  absl::CivilDay anchor = AddYears(from, whole);
  absl::CivilDay next = AddYears(from, whole + 1);
  return whole + static_cast<double>(to - anchor) / static_cast<double>(next - anchor);
}

absl::StatusOr<std::map<std::string, std::string>> LoadOrgUnits(const std::string& plans_dir) {
  absl::StatusOr<std::vector<OrgUnitRecord>> all = stip::LoadOrgUnits(plans_dir);
  if (!all.ok()) return all.status();
  std::map<std::string, std::string> units;
  for (const OrgUnitRecord& unit : *all) {
    if (unit.kind == "STREET" || unit.kind == "PARK") units[unit.code] = unit.display_name;
  }
  if (units.empty()) return absl::NotFoundError(absl::StrCat("no STREET or PARK org units in ", plans_dir));
  return units;
}

}  // namespace stip::cultivation
