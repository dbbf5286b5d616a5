#include "services/indicators/domain/progress_report.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/year_range.h"

namespace stip::indicators {
namespace {

std::map<std::string, std::vector<UnitValue>> ByMeasure(const std::vector<StoredValue>& stored) {
  std::map<std::string, std::vector<UnitValue>> values;
  for (const StoredValue& value : stored) {
    values[value.measure].push_back({value.org_unit, value.year, value.value, value.numerator, value.denominator});
  }
  return values;
}

absl::Status CheckYear(const PlanDef& plan, int year) {
  return PlanYears(plan.start_year, plan.end_year).Check(year, "year", absl::StrCat("?year=", plan.start_year));
}

}  // namespace

absl::StatusOr<std::vector<StoredValue>> ProgressReport::CountedValues(std::vector<std::string> measures, int year,
                                                                       bool include_submitted) {
  ValueQuery query;
  query.measures = std::move(measures);
  query.max_year = year;
  query.states = {ValueState::kApproved};
  if (include_submitted) query.states.push_back(ValueState::kSubmitted);
  return store_->ListValues(query);
}

std::vector<YearValue> ProgressReport::ExternalSeries(const PlanDef& plan, const MeasureDef& measure, int year,
                                                      RequestSources& sources, std::string& fallback_detail) const {
  std::vector<YearValue> series;
  for (int y = plan.start_year; y <= year; ++y) {
    absl::StatusOr<ExternalValue> fetched = sources.Fetch(measure, y);
    if (!fetched.ok()) {
      fallback_detail =
          absl::StrCat(fetched.status().code() == absl::StatusCode::kNotFound ? "" : "source service unavailable: ",
                       fetched.status().message(), "; using approved reports");
      return {};
    }
    series.push_back({y, true, fetched->value, measure.source, fetched->detail});
  }
  return series;
}

std::vector<YearValue> ProgressReport::DistrictSeries(const PlanDef& plan, const MeasureDef& measure, int year,
                                                      const std::vector<UnitValue>& values,
                                                      RequestSources& sources) const {
  std::string fallback_detail;
  if (measure.source != ValueSource::kReported && external_ != nullptr) {
    std::vector<YearValue> series = ExternalSeries(plan, measure, year, sources, fallback_detail);
    if (!series.empty()) return series;
  }
  std::vector<YearValue> series;
  for (int y = plan.start_year; y <= year; ++y) {
    AggregateResult result = indicators::Aggregate(*catalog_, measure, plan.district, y, plan.start_year, values);
    series.push_back(
        {y, result.has_value, result.value, ValueSource::kReported,
         fallback_detail.empty() ? result.method : absl::StrCat(result.method, " (", fallback_detail, ")")});
  }
  return series;
}

IndicatorProgressView ProgressReport::IndicatorProgress(const PlanDef& plan, const MeasureDef& measure, int year,
                                                        const std::vector<YearValue>& series) const {
  IndicatorProgressView view;
  view.measure = &measure;
  auto target = measure.targets.find(year);
  if (target != measure.targets.end()) view.target = &target->second;
  view.current = series.back();
  if (view.current.has_value && view.target != nullptr) {
    view.attainment = Attainment(measure.polarity, view.current.value, view.target->value);
  }
  view.status = StatusOf(view.attainment, plan.thresholds);
  if (series.size() >= 2 && series[series.size() - 2].has_value) {
    view.previous = series[series.size() - 2].value;
    if (view.current.has_value) view.trend = TrendOf(*view.previous, view.current.value);
  }
  std::vector<YearPoint> points;
  for (const YearValue& point : series) {
    if (point.has_value) points.push_back({point.year, point.value});
  }
  auto final_target = measure.targets.find(plan.end_year);
  view.final_target = final_target == measure.targets.end() ? 0 : final_target->second.value;
  view.forecast = ForecastFinalYear(points, plan.end_year, view.final_target);
  return view;
}

MilestoneProgressView ProgressReport::MilestoneProgress(const PlanDef& plan, const MeasureDef& milestone, int task,
                                                        int year, const std::vector<YearValue>& series) const {
  MilestoneProgressView view;
  view.milestone = &milestone;
  view.key_task = task;
  for (const YearValue& point : series) {
    if (point.has_value) view.cumulative = view.cumulative.value_or(0) + point.value;
  }
  if (view.cumulative) {
    view.attainment = milestone.period_target > 0 ? *view.cumulative / milestone.period_target : 1.0;
  }
  view.status =
      MilestoneStatus(view.cumulative, milestone.period_target, year, plan.start_year, plan.end_year, plan.thresholds);
  return view;
}

absl::StatusOr<PlanProgressView> ProgressReport::Progress(absl::string_view plan_name, int year,
                                                          bool include_submitted) {
  const PlanDef* plan = catalog_->FindPlan(plan_name);
  if (plan == nullptr) return NotFound("计划 plan", plan_name);
  STIP_RETURN_IF_ERROR(CheckYear(*plan, year));
  // One query for every indicator and milestone of the plan, not one per measure.
  std::vector<std::string> measures = plan->indicators;
  for (const KeyTaskDef& task : plan->key_tasks) {
    measures.insert(measures.end(), task.milestones.begin(), task.milestones.end());
  }
  STIP_ASSIGN_OR_RETURN(std::vector<StoredValue> stored, CountedValues(std::move(measures), year, include_submitted));
  std::map<std::string, std::vector<UnitValue>> values = ByMeasure(stored);
  RequestSources sources(external_);
  PlanProgressView view{plan, year, {}, {}, {}};
  for (const std::string& name : plan->indicators) {
    const MeasureDef& measure = *catalog_->FindMeasure(name);
    view.indicators.push_back(
        IndicatorProgress(*plan, measure, year, DistrictSeries(*plan, measure, year, values[name], sources)));
    ++view.by_status[view.indicators.back().status];
  }
  for (const KeyTaskDef& task : plan->key_tasks) {
    for (const std::string& name : task.milestones) {
      const MeasureDef& milestone = *catalog_->FindMeasure(name);
      view.milestones.push_back(MilestoneProgress(*plan, milestone, task.number, year,
                                                  DistrictSeries(*plan, milestone, year, values[name], sources)));
    }
  }
  return view;
}

absl::StatusOr<AggregateView> ProgressReport::Aggregate(absl::string_view measure_name, int year,
                                                        bool include_submitted) {
  const MeasureDef* measure = catalog_->FindMeasure(measure_name);
  if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", measure_name);
  const PlanDef* plan = catalog_->PlanOf(*measure);
  STIP_RETURN_IF_ERROR(CheckYear(*plan, year));
  STIP_ASSIGN_OR_RETURN(std::vector<StoredValue> stored, CountedValues({measure->name}, year, include_submitted));
  RequestSources sources(external_);
  AggregateView view{measure, year, {}, {}};
  view.value = DistrictSeries(*plan, *measure, year, ByMeasure(stored)[measure->name], sources).back();
  if (view.value.source != ValueSource::kReported) return view;
  for (StoredValue& value : stored) {
    // A cumulative count is formed from every plan year so far; the others from the year itself.
    if (measure->kind != IndicatorKind::kCumulativeCount && value.year != year) continue;
    view.contributions.push_back(std::move(value));
  }
  return view;
}

}  // namespace stip::indicators
