// Vocabulary of the cultivation domain: programmes (tiers) and their ladder, pipeline stages, enterprise
// status, industries, dates. Plain C++.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace stip::cultivation {

// Programme codes. The ladder of 梯度培育 is tech_sme → chuying → dengling → lingjun_peiyu → lingjun;
// high_tech (国家高新技术企业 certification) runs alongside.
inline constexpr absl::string_view kTechSme = "tech_sme";
inline constexpr absl::string_view kChuying = "chuying";
inline constexpr absl::string_view kDengling = "dengling";
inline constexpr absl::string_view kLingjunPeiyu = "lingjun_peiyu";
inline constexpr absl::string_view kLingjun = "lingjun";
inline constexpr absl::string_view kHighTech = "high_tech";

const std::vector<std::string>& Programs();       // all six
const std::vector<std::string>& ProgramLadder();  // the five ladder steps, lowest first
bool IsProgram(absl::string_view program);
std::string ProgramTitle(absl::string_view program);  // zh
// The next step up from `program` ("" → tech_sme; lingjun → ""; high_tech → "").
std::string NextProgram(absl::string_view program);

enum class Stage {
  kNone = 0,
  kScreened = 1,
  kPooled = 2,
  kCultivating = 3,
  kCertified = 4,
  kExpired = 5,
  kWithdrawn = 6
};
std::string StageName(Stage stage);  // zh: 遴选, 入库, 培育, 认定, 到期, 流失
std::string StageCode(Stage stage);
// The stage as named within a programme: for high_tech, 入库 is 入库（高企后备） (the plan's 四个一批).
std::string StageNameFor(absl::string_view program,
                         Stage stage);  // the API's code: SCREENED, POOLED, … (NONE before the first stage)
// A stage that counts as "in the tier" for statistics (入库 and after, still open).
bool InTier(Stage stage);

enum class EnterpriseStatus { kUnspecified = 0, kActive = 1, kMovedOut = 2, kDeregistered = 3 };
std::string EnterpriseStatusName(EnterpriseStatus status);                      // zh
std::optional<EnterpriseStatus> ParseEnterpriseStatus(absl::string_view text);  // zh or code

// 行业: the plan's priority industries, the 8 national high-tech fields, and 其他.
const std::vector<std::string>& Industries();
const std::vector<std::string>& HighTechFields();
bool IsIndustry(absl::string_view industry);
bool IsHighTechField(absl::string_view field);

// Dates as YYYY-MM-DD.
std::optional<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);
absl::CivilDay YearEnd(int year);
// Today in the local time zone, and as YYYY-MM-DD.
absl::CivilDay Today();
std::string TodayText();
// `years` calendar years after `day` (29 February → 28 February in common years).
absl::CivilDay AddYears(absl::CivilDay day, int years);
// Elapsed time from `from` to `to` in years: whole years plus the fraction of the next year. 2013-12-31 to
// 2021-12-31 is exactly 8; one day more is 8.0027.
double YearsBetween(absl::CivilDay from, absl::CivilDay to);

// Street and park org units from data/plans/*.json (kind STREET or PARK): code → zh name.
absl::StatusOr<std::map<std::string, std::string>> LoadOrgUnits(const std::string& plans_dir);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_H_
