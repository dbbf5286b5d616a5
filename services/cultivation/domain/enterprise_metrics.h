// The metrics the rule editions ask for, computed from an enterprise, its filings and its certificates for a
// data year Y (the application year is Y+1). Missing inputs give missing metrics, never zeros.
// The metric vocabulary is listed in services/cultivation/README.md.
#ifndef STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_
#define STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/rules/rule_edition.h"
#include "common/rules/rule_engine.h"
#include "services/cultivation/domain/filing.h"

namespace stip::cultivation {

struct EnterpriseFacts {
  std::string uscc;
  std::string registration_date;  // YYYY-MM-DD
  std::string tech_field;
  std::map<int, FilingData> filings;          // by fiscal year
  std::vector<std::string> hte_certificates;  // issue dates recorded by 认定 in the high_tech pipeline
};

// The growth rate of the 高企 工作指引 from up to three consecutive yearly values (oldest first):
// 1/2 × (v2/v1 + v3/v2) − 1. If v1 = 0 only the last two years count (v3/v2 − 1); if v2 = 0 the rate is 0
// (the sub-score is 0). Two values (operating < 3 years): v2/v1 − 1. One value: 0.
double GrowthRate(const std::vector<double>& values);

// Builds every metric for year `year` at date `as_of` (H1 and certificate validity).
rules::MapMetricSource ComputeMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of,
                                      int hte_validity_years);

// The latest 高企 certificate issue date (filings up to `year`, or 认定 records) valid at `as_of`.
std::optional<absl::CivilDay> ValidHteCertificate(const EnterpriseFacts& facts, int year, absl::CivilDay as_of,
                                                  int validity_years);

// Whether a certification's validity under `edition` is provisional and must be labelled so: no edition or no
// validity in it (the service then assumes 1 year), a placeholder edition, or a validity note that marks it
// 暂定 / [MISSING] / [R] / [INFERRED] (data/rules: 雏鹰, 瞪羚, 领军培育, 领军 "暂按逐年有效处理，属暂定").
bool ValidityProvisional(const rules::RuleEdition* edition);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_
