// The metrics the rule editions ask for, computed from an enterprise, its filings and its dated records for the
// fiscal year Y whose application year is Y+1 (criteria.md, conventions for encoding, 1). Exact arithmetic;
// missing inputs give missing metrics, never zeros; years before registration are not missing (the enterprise
// did not exist). The metric vocabulary is listed in services/cultivation/README.md.
#ifndef STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_
#define STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/rules/rule_edition.h"
#include "common/rules/rule_engine.h"
#include "services/cultivation/domain/dated_record.h"
#include "services/cultivation/domain/filing.h"

namespace stip::cultivation {

struct EnterpriseFacts {
  std::string uscc;
  std::string registration_date;  // YYYY-MM-DD
  std::string tech_field;
  std::map<int, FilingData> filings;          // by fiscal year
  std::vector<std::string> hte_certificates;  // issue dates recorded by 认定 in the high_tech pipeline
  std::vector<DatedRecord> records;           // certificates, awards, contests, … (dated_record.h)
  EnterpriseFactFlags flags;                  // the enterprise's own facts; they win over the filings' values
};

// The metrics of one enterprise for one application: a map of values, the enterprise's records for the
// editions' record counts, and the figures behind each computed value.
class EnterpriseMetrics : public rules::MapMetricSource {
 public:
  EnterpriseMetrics(std::vector<DatedRecord> records, int application_year, absl::CivilDay as_of, int validity_years)
      : records_(std::move(records)),
        application_year_(application_year),
        as_of_(as_of),
        validity_years_(validity_years) {}
  std::optional<rules::Value> CountRecords(const rules::RecordQuery& query,
                                           std::vector<rules::Figure>* matched) const override;
  rules::MetricInfo Describe(absl::string_view metric) const override;
  // The fiscal years whose filings went into the metrics, oldest first.
  const std::vector<int>& fiscal_years() const { return fiscal_years_; }
  void UseYear(int year);

 private:
  std::vector<DatedRecord> records_;
  int application_year_;
  absl::CivilDay as_of_;
  int validity_years_;
  std::vector<int> fiscal_years_;
};

// The growth rate of the 高企 工作指引 from up to three consecutive yearly values (oldest first), exactly:
// 1/2 × (v2/v1 + v3/v2) − 1. If v1 = 0 only the last two years count (v3/v2 − 1); if v2 = 0 the rate is 0
// (the sub-score is 0). Two values (operating < 3 years): v2/v1 − 1. One value: 0.
rules::Rational GrowthRate(const std::vector<int64_t>& values);

// Elapsed time from `from` to `to` in years, exactly: whole years plus the elapsed share of the next year.
// 2013-12-31 to 2021-12-31 is exactly 8; one day more is 8 + 1/365.
rules::Rational ExactYearsBetween(absl::CivilDay from, absl::CivilDay to);

// Builds every metric for fiscal year `year` (application year year+1) at date `as_of` (H1, certificate
// validity, violation windows).
EnterpriseMetrics ComputeMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of, int hte_validity_years);

// The latest 高企 certificate issue date (filings up to `year`, or 认定 records) valid at `as_of`.
std::optional<absl::CivilDay> ValidHteCertificate(const EnterpriseFacts& facts, int year, absl::CivilDay as_of,
                                                  int validity_years);

// Whether a certification's validity under `edition` is provisional and must be labelled so: no edition or no
// validity in it (the service then assumes 1 year), a placeholder edition, or a validity note that marks it
// 暂定 / [MISSING] / [R] / [INFERRED] (data/rules: 雏鹰, 瞪羚, 领军培育, 领军 "暂按逐年有效处理，属暂定").
bool ValidityProvisional(const rules::RuleEdition* edition);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_ENTERPRISE_METRICS_H_
