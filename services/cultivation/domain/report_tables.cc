#include "services/cultivation/domain/report_tables.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {
namespace {

std::string UnitName(const OrgUnitNames& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

// 预警-huaming-2022 / alerts-huaming-2022: the scope and year in the file name, so downloads do not overwrite.
void Name(Table* table, const std::string& zh, const std::string& ascii, const std::string& org_unit, int year) {
  std::string suffix = org_unit.empty() ? "" : "-" + org_unit;
  if (year != 0) absl::StrAppend(&suffix, "-", year);
  table->title = zh + suffix;
  table->ascii_title = ascii + suffix;
}

std::string AlertKindName(AlertKindCode kind) {
  switch (kind) {
    case AlertKindCode::kCertificateExpiring: return "认定即将到期";
    case AlertKindCode::kFilingMissing: return "年报未填报";
    case AlertKindCode::kNoLongerEligible: return "不再符合条件";
    case AlertKindCode::kAll: break;
  }
  return "";
}

}  // namespace

Table ScreeningTable(const ScreenResult& result, const OrgUnitNames& names) {
  Table table;
  Name(&table, absl::StrCat("遴选结果-", ProgramTitle(result.program)), "screening-" + result.program, result.org_unit,
       result.application_year);
  table.header = {"统一社会信用代码", "企业名称", "所属街道园区", "评价结论", "未满足或待定的条件",
                  "培育阶段",         "规则版本", "申报年度",     "暂行规则"};
  for (const ScreenedEnterprise& row : result.rows) {
    // A download is a dry run: an enterprise it would put into 遴选 is said to be eligible for it, not in it.
    std::string stage = row.stage ? StageNameFor(result.program, *row.stage) : (row.screened ? "可遴选（未记录）" : "");
    table.rows.push_back({row.uscc, row.name, UnitName(names, row.org_unit),
                          std::string(rules::OutcomeText(row.outcome)), absl::StrJoin(row.open_criteria, "；"), stage,
                          result.edition, absl::StrCat(result.application_year), result.provisional ? "是" : "否"});
  }
  return table;
}

Table AlertsTable(const std::vector<AlertInfo>& alerts, int year, const std::string& org_unit,
                  const OrgUnitNames& names) {
  Table table;
  Name(&table, "预警", "alerts", org_unit, year);
  table.header = {"预警类型", "统一社会信用代码", "企业名称",     "所属街道园区", "培育项目", "说明",
                  "有效期至", "剩余天数",         "未满足的条件", "规则版本",     "暂行"};
  for (const AlertInfo& a : alerts) {
    bool expiring = a.kind == AlertKindCode::kCertificateExpiring;
    table.rows.push_back({AlertKindName(a.kind), a.uscc, a.enterprise_name, UnitName(names, a.org_unit),
                          a.program.empty() ? "" : ProgramTitle(a.program), a.message, a.valid_until,
                          expiring ? absl::StrCat(a.days_left) : "", absl::StrJoin(a.failing, "、"), a.edition,
                          a.provisional ? "是" : "否"});
  }
  return table;
}

Table TierStatisticsTable(const TierCounts& counts, int year, const std::string& org_unit, const OrgUnitNames& names) {
  Table table;
  Name(&table, "梯度培育统计", "tier-statistics", org_unit, year);
  table.header = {"统计项", "数量", "对应计划指标", "范围", "统计日"};
  std::string scope = org_unit.empty() ? "全区" : UnitName(names, org_unit);
  auto add = [&](const char* what, int n, const char* indicator) {
    table.rows.push_back({what, absl::StrCat(n), indicator, scope, counts.as_of});
  };
  add("高新技术企业（有效证书）", counts.high_tech, "指标3");
  add("科技型中小企业", counts.tech_sme, "");
  add("雏鹰企业", counts.chuying, "指标4");
  add("瞪羚企业", counts.dengling, "指标5");
  add("领军（培育）企业", counts.lingjun_peiyu, "");
  add("领军企业", counts.lingjun_only, "");
  add("领军企业（含培育，去重）", counts.lingjun, "指标6");
  add("上市科技型企业", counts.listed_tech, "指标13");
  add("在册企业（存续）", counts.enterprises, "");
  for (const std::string& note : counts.notes) table.rows.push_back({"说明", "", "", scope, note});
  return table;
}

Table PipelineStatisticsTable(const std::vector<StageCount>& counts, int year, const std::string& org_unit,
                              const OrgUnitNames& names) {
  Table table;
  Name(&table, "四个一批统计", "pipeline-statistics", org_unit, year);
  table.header = {"培育项目", "阶段", "年度", "所属街道园区", "企业数"};
  for (const StageCount& c : counts) {
    table.rows.push_back({ProgramTitle(c.program), StageNameFor(c.program, c.stage), absl::StrCat(c.year),
                          c.org_unit.empty() ? "全区" : UnitName(names, c.org_unit), absl::StrCat(c.count)});
  }
  return table;
}

}  // namespace stip::cultivation
