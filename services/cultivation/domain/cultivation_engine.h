// The cultivation domain operations over the store and the rule editions: evaluate, gap, screening (遴选),
// alerts and statistics. No gRPC here; the service converts and authorises.
#ifndef STIP_SERVICES_CULTIVATION_CULTIVATION_ENGINE_H_
#define STIP_SERVICES_CULTIVATION_CULTIVATION_ENGINE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/rules/edition_registry.h"
#include "common/rules/rule_engine.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

struct EvaluationResult {
  std::shared_ptr<const rules::RuleEdition> edition;
  rules::Evaluation evaluation;
  absl::CivilDay as_of;
  int application_year = 0;       // 申报年度 Y
  std::vector<int> fiscal_years;  // the filings' years the metrics read (Y−3..Y−1 at most)
};

// The as-of date of an application in year `application_year` when none is given: today within that year,
// else its last day (a past year) or its first (a future one).
absl::CivilDay DefaultAsOf(int application_year, absl::CivilDay today);
absl::CivilDay DefaultAsOf(int application_year);  // with today's date

struct GapResult {
  std::string current_program;
  std::string target_program;
  EvaluationResult result;
  std::vector<rules::CriterionResult> gaps;
};

// 遴选 of one programme over a unit's enterprises.
struct ScreenRequest {
  std::string program;
  int year = 0;  // the fiscal year Y−1 of application year Y
  std::string org_unit;
  std::string edition;
  std::string effective_date;  // empty = today
  bool dry_run = false;
  std::optional<absl::CivilDay> as_of;  // the dated rules' day; default DefaultAsOf(year + 1)
  // Only enterprises in these tiers (入库/培育/认定) are candidates. Empty: high_tech screens the 四个一批 pools
  // (科技型中小企业 and 雏鹰, the plan's task 3); the other programmes screen everyone. {"*"} = everyone.
  std::vector<std::string> from_programs;
  bool with_rows = false;  // also list every evaluated enterprise (the screening report)
};

// The pools a screening draws from, after the defaults above; empty = every enterprise.
std::vector<std::string> ScreeningPools(const ScreenRequest& request);

// One evaluated enterprise of a screening, for the report an officer downloads.
struct ScreenedEnterprise {
  std::string uscc;
  std::string name;
  std::string org_unit;
  rules::Outcome outcome = rules::Outcome::kMissingData;
  std::vector<std::string> open_criteria;  // top-level criteria not passed: "E5 不符合", "H7 取决于专家评分"
  std::optional<Stage> stage;              // already in this programme's pipeline at that stage
  bool screened = false;                   // eligible and not yet in the pipeline: this screening puts it into 遴选
};

struct ScreenResult {
  std::string program;
  std::string org_unit;  // the scope screened (the caller's unit for a park)
  std::string edition;
  bool provisional = false;
  int evaluated = 0;
  int eligible = 0;
  int screened = 0;
  int already_in_pipeline = 0;
  int missing_data = 0;
  int depends_on_experts = 0;  // eligible only if the experts score high enough
  int application_year = 0;
  absl::CivilDay as_of;
  int outside_pools = 0;  // not in any of the pools screened from
  std::vector<std::string> pools;
  std::vector<std::string> screened_usccs;
  std::vector<ScreenedEnterprise> rows;  // with_rows only
};

enum class AlertKindCode { kAll = 0, kCertificateExpiring = 1, kFilingMissing = 2, kNoLongerEligible = 3 };

struct AlertInfo {
  AlertKindCode kind;
  std::string uscc;
  std::string enterprise_name;
  std::string org_unit;
  std::string program;
  std::string message;
  std::string valid_until;
  int days_left = 0;
  std::vector<std::string> failing;
  std::string reason;        // ASCII code: "no longer meets" for the annual re-check
  int filing_year = 0;       // re-check: the filing (data year) evaluated
  std::string edition;       // re-check: program/edition used
  bool provisional = false;  // the edition or the certification validity is provisional
};

// The reason code of the annual re-check alert.
inline constexpr absl::string_view kNoLongerMeets = "no longer meets";

struct TierCounts {
  std::string as_of;
  int high_tech = 0;
  int tech_sme = 0;
  int chuying = 0;
  int dengling = 0;
  int lingjun_peiyu = 0;
  int lingjun_only = 0;
  int lingjun = 0;  // distinct enterprises in 领军 or 领军培育
  int listed_tech = 0;
  int enterprises = 0;  // active enterprises entered for the unit: 0 means nothing to count yet
  bool provisional = false;
  std::vector<std::string> notes;
};

struct StageCount {
  std::string program;
  Stage stage;
  int year;
  std::string org_unit;
  int count;
};

class CultivationEngine {
 public:
  CultivationEngine(CultivationStore* store, const rules::EditionRegistry* registry)
      : store_(store), registry_(registry) {}

  // How long a 高企 certificate is valid in `year` (from the high_tech edition in force; 3 if none).
  int HteValidityYears(int year) const;
  absl::StatusOr<EvaluationResult> Evaluate(const Cohort& cohort, const std::string& program,
                                            const std::string& edition, int year,
                                            std::optional<absl::CivilDay> as_of) const;
  absl::StatusOr<GapResult> Gap(const Cohort& cohort, int year, const std::string& target_program,
                                std::optional<absl::CivilDay> as_of = std::nullopt) const;
  // `request.org_unit` is already scoped to the caller; `effective_date` is set.
  absl::StatusOr<ScreenResult> Screen(const ScreenRequest& request, const std::string& actor) const;
  // Expiring certifications (labelled provisional when the validity is), missing filings of `year`, and the
  // annual re-check: every enterprise in a tier (入库/培育/认定) is evaluated on its latest filing up to `year`
  // under the tier's default edition for that data year; a FAIL gives NO_LONGER_ELIGIBLE with reason
  // "no longer meets" and the failing top-level criteria ids (missing data gives no alert).
  absl::StatusOr<std::vector<AlertInfo>> Alerts(int year, int within_days, const std::string& org_unit,
                                                absl::CivilDay as_of, AlertKindCode kind) const;
  absl::StatusOr<TierCounts> TierStatistics(int year, const std::string& org_unit) const;
  absl::StatusOr<std::vector<StageCount>> PipelineStatistics(int year, const std::string& org_unit,
                                                             const std::string& program) const;

 private:
  CultivationStore* store_;
  const rules::EditionRegistry* registry_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_CULTIVATION_ENGINE_H_
