#include "services/indicators/domain/progress.h"

#include <algorithm>
#include <cmath>

namespace stip::indicators {

double Attainment(Polarity polarity, double actual, double target) {
  if (polarity == Polarity::kHigherIsBetter) {
    if (target == 0) return actual >= 0 ? 1.0 : 0.0;
    return actual / target;
  }
  if (target == 0) return actual <= 0 ? 1.0 : 0.0;
  return 1.0 - (actual - target) / std::fabs(target);
}

ProgressStatus StatusOf(std::optional<double> attainment, const StatusThresholds& thresholds) {
  if (!attainment.has_value()) return ProgressStatus::kNoData;
  // A small tolerance so that 3.2 / 3.2 computed through sums is not 0.9999999.
  constexpr double kEpsilon = 1e-9;
  if (*attainment + kEpsilon >= thresholds.achieved) return ProgressStatus::kAchieved;
  if (*attainment + kEpsilon >= thresholds.on_track) return ProgressStatus::kOnTrack;
  return ProgressStatus::kAtRisk;
}

Trend TrendOf(double previous, double current) {
  double scale = std::max({std::fabs(previous), std::fabs(current), 1e-12});
  if (std::fabs(current - previous) / scale < 1e-9) return Trend::kFlat;
  return current > previous ? Trend::kUp : Trend::kDown;
}

std::optional<ForecastResult> ForecastFinalYear(const std::vector<YearPoint>& input, int final_year,
                                                double final_target) {
  if (input.empty()) return std::nullopt;
  std::vector<YearPoint> points = input;
  std::sort(points.begin(), points.end(), [](const YearPoint& a, const YearPoint& b) { return a.year < b.year; });
  double weight_sum = 0, x_mean = 0, y_mean = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    double weight = 1.0 + static_cast<double>(i);
    weight_sum += weight;
    x_mean += weight * points[i].year;
    y_mean += weight * points[i].value;
  }
  x_mean /= weight_sum;
  y_mean /= weight_sum;
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    double weight = 1.0 + static_cast<double>(i);
    sxy += weight * (points[i].year - x_mean) * (points[i].value - y_mean);
    sxx += weight * (points[i].year - x_mean) * (points[i].year - x_mean);
  }
  ForecastResult result;
  result.points = static_cast<int>(points.size());
  result.low_confidence = points.size() < 3;
  result.slope = sxx > 0 ? sxy / sxx : 0.0;
  result.value = y_mean + result.slope * (final_year - x_mean);
  const YearPoint& last = points.back();
  result.required_slope = final_year > last.year ? (final_target - last.value) / (final_year - last.year) : 0.0;
  return result;
}

ProgressStatus MilestoneStatus(std::optional<double> cumulative_actual, double period_target, int year, int start_year,
                               int end_year, const StatusThresholds& thresholds) {
  if (!cumulative_actual.has_value()) return ProgressStatus::kNoData;
  if (period_target <= 0 || *cumulative_actual >= period_target) return ProgressStatus::kAchieved;
  double years = std::max(1, end_year - start_year + 1);
  double elapsed = std::clamp(year - start_year + 1, 0, end_year - start_year + 1);
  double due = period_target * elapsed / years;
  // Short of the full target, a milestone is on track or at risk against what is due by now, never achieved.
  return StatusOf(due > 0 ? *cumulative_actual / due : 1.0, thresholds) == ProgressStatus::kAtRisk
             ? ProgressStatus::kAtRisk
             : ProgressStatus::kOnTrack;
}

}  // namespace stip::indicators
