// An enterprise's dated records: certificates, awards, contests, standards, plan projects, R&D institutions,
// venture investments and violation events. The rule editions count them with their own windows and levels;
// an officer enters what happened, never "has a national award in the last five years: yes" (criteria.md,
// conventions for encoding, 4 and 5). Plain C++.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_DATED_RECORD_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_DATED_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/rules/rule_edition.h"

namespace stip::cultivation {

enum class RecordKind {
  kUnspecified = 0,
  kCertificate = 1,        // 证书: 高企（国家/天津）、软件企业、软件产品
  kAward = 2,              // 科技奖励
  kContest = 3,            // 创新创业大赛获奖
  kStandard = 4,           // 标准制定
  kPlanProject = 5,        // 科技计划项目（课题）
  kRdInstitution = 6,      // 研发机构
  kVentureInvestment = 7,  // 创业投资
  kViolation = 8,          // 违法失信、事故等事件
};

struct DatedRecord {
  std::string uscc;
  std::string id;  // assigned by the store
  RecordKind kind = RecordKind::kUnspecified;
  std::string type;        // certificate: hte_national, hte_tianjin, software_enterprise, software_product;
                           // violation: serious_research_misconduct, abnormal_operation_list,
                           // serious_dishonest_list, major_accident
  std::string level;       // international, national, provincial (省部级, incl. 天津市), industry, local, group,
                           // enterprise, district
  int year = 0;            // award, contest, standard, plan project: the year it was given or approved
  int rank = 0;            // award: the enterprise's rank among the winning units (1 = first)
  std::string prize;       // contest: first, second, third, excellence, finalist
  std::string role;        // standard: lead (主导/牵头), participant (参与)
  std::string number;      // certificate number
  std::string start_date;  // issue / recognised / investment / event start, YYYY-MM-DD
  std::string end_date;    // expiry / event end; "" = open (a listing not yet lifted)
  int64_t amount = 0;      // venture investment, yuan
  std::string investor;    // venture investment: the institution (单家)
  std::string title;       // name of the award, standard, project or institution
  int64_t create_micros = 0;
};

std::string RecordKindCode(RecordKind kind);                        // "certificate", "award", …
std::string RecordKindName(RecordKind kind);                        // zh
std::optional<RecordKind> ParseRecordKind(absl::string_view text);  // code or zh

// The field-level problems of a record, as (field, zh reason) pairs; empty when it can be stored.
std::vector<std::pair<std::string, std::string>> CheckRecord(const DatedRecord& record);

// The year a record counts in for "近N年" windows: its year, or the year of its start date.
int RecordYear(const DatedRecord& record);

// CSV columns of records (key, zh header), after 统一社会信用代码: 记录类别, 类型, 级别, 年份, 排名, 奖项, 角色,
// 证书编号, 开始日期, 截止日期, 金额(元), 投资机构, 名称.
const std::vector<std::pair<const char*, const char*>>& RecordColumns();
// Sets the field `key` from a cell, reading the Chinese names too (科技奖励, 省部级, 三等奖, 主导, 软件产品证书 …);
// an error is a zh reason. An empty cell leaves the field empty.
absl::Status SetRecordCell(DatedRecord& record, absl::string_view key, absl::string_view text);
// The cells of a record in RecordColumns() order, with Chinese names where the field has them.
std::vector<std::string> RecordCells(const DatedRecord& record);

// Storage codec (JSON of every field but uscc, id and version).
std::string RecordToJson(const DatedRecord& record);
absl::StatusOr<DatedRecord> RecordFromJson(absl::string_view json);

// Whether `record` satisfies `query` for application year `year` on `as_of`. A certificate without an expiry
// date lasts `validity_years` from its issue date (高企: three years).
bool Matches(const DatedRecord& record, const rules::RecordQuery& query, int year, absl::CivilDay as_of,
             int validity_years);
// One line an officer reads: "2020年 省部级 科技奖励 排名第2：天津市科学技术进步奖".
std::string RecordText(const DatedRecord& record);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_DATED_RECORD_H_
