// 进度: the plan's progress for a year (every indicator's actual, attainment, status, trend and forecast, and
// the key-task milestones) and one indicator's district aggregate. Values owned by cultivation and evaluation
// come from those services when they answer, else from approved reports.
#ifndef STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_REPORT_H_
#define STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/indicators/domain/aggregation.h"
#include "services/indicators/domain/external_sources.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/progress.h"
#include "services/indicators/store/indicator_store.h"

namespace stip::indicators {

// One year of a measure's district series.
struct YearValue {
  int year = 0;
  bool has_value = false;
  double value = 0;
  ValueSource source = ValueSource::kReported;
  std::string detail;
};

struct IndicatorProgressView {
  const MeasureDef* measure = nullptr;
  const TargetDef* target = nullptr;  // the year's target; null when the plan sets none
  YearValue current;
  std::optional<double> attainment;
  ProgressStatus status = ProgressStatus::kNoData;
  std::optional<double> previous;
  std::optional<Trend> trend;
  std::optional<ForecastResult> forecast;
  double final_target = 0;
};

struct MilestoneProgressView {
  const MeasureDef* milestone = nullptr;
  int key_task = 0;
  std::optional<double> cumulative;
  double attainment = 0;
  ProgressStatus status = ProgressStatus::kNoData;
};

struct PlanProgressView {
  const PlanDef* plan = nullptr;
  int year = 0;
  std::vector<IndicatorProgressView> indicators;
  std::vector<MilestoneProgressView> milestones;
  std::map<ProgressStatus, int> by_status;
};

struct AggregateView {
  const MeasureDef* measure = nullptr;
  int year = 0;
  YearValue value;
  std::vector<StoredValue> contributions;  // the reports it was formed from (reported sources only)
};

class ProgressReport {
 public:
  ProgressReport(const PlanCatalog* catalog, IndicatorStore* store, ExternalSources* external)
      : catalog_(catalog), store_(store), external_(external) {}

  absl::StatusOr<PlanProgressView> Progress(absl::string_view plan_name, int year, bool include_submitted);
  absl::StatusOr<AggregateView> Aggregate(absl::string_view measure_name, int year, bool include_submitted);

 private:
  // Approved (and optionally submitted) values of `measures` for the plan years up to `year`.
  absl::StatusOr<std::vector<StoredValue>> CountedValues(std::vector<std::string> measures, int year,
                                                         bool include_submitted);
  // The district value of `measure` per year from the plan's first year to `year`, from the owning service or
  // else from `values` (that measure's reported values).
  std::vector<YearValue> DistrictSeries(const PlanDef& plan, const MeasureDef& measure, int year,
                                        const std::vector<UnitValue>& values, RequestSources& sources) const;
  std::vector<YearValue> ExternalSeries(const PlanDef& plan, const MeasureDef& measure, int year,
                                        RequestSources& sources, std::string& fallback_detail) const;
  IndicatorProgressView IndicatorProgress(const PlanDef& plan, const MeasureDef& measure, int year,
                                          const std::vector<YearValue>& series) const;
  MilestoneProgressView MilestoneProgress(const PlanDef& plan, const MeasureDef& milestone, int task, int year,
                                          const std::vector<YearValue>& series) const;

  const PlanCatalog* catalog_;
  IndicatorStore* store_;
  ExternalSources* external_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_REPORT_H_
