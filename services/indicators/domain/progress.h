// Target attainment, gap, status, trend and forecast: the arithmetic behind a plan's progress report.
#ifndef STIP_SERVICES_INDICATORS_PROGRESS_H_
#define STIP_SERVICES_INDICATORS_PROGRESS_H_

#include <optional>
#include <utility>
#include <vector>

#include "services/indicators/domain/plan_catalog.h"

namespace stip::indicators {

enum class ProgressStatus { kAchieved, kOnTrack, kAtRisk, kNoData };
enum class Trend { kUp, kDown, kFlat };

// actual / target for higher-is-better; 1 − (actual − target) / |target| for lower-is-better.
// A zero target is met by any actual on the right side of it (attainment 1) and missed otherwise (0).
double Attainment(Polarity polarity, double actual, double target);

ProgressStatus StatusOf(std::optional<double> attainment, const StatusThresholds& thresholds);

Trend TrendOf(double previous, double current);

struct YearPoint {
  int year = 0;
  double value = 0;
};

struct ForecastResult {
  double value = 0;
  double slope = 0;           // per year
  double required_slope = 0;  // per year from the last point to the final target
  int points = 0;
  bool low_confidence = true;
};

// Time-weighted least squares over the reported years (the latest year weighs most: weight = 1 + rank),
// projected to `final_year`. With one point the projection is that value (slope 0). Fewer than 3 points
// are flagged low-confidence. Empty input → nullopt.
std::optional<ForecastResult> ForecastFinalYear(const std::vector<YearPoint>& points, int final_year,
                                                double final_target);

// A milestone's target is for the whole plan period: by `year` a share (years elapsed / plan years) of it
// is due. Status compares the cumulative actual with that share.
ProgressStatus MilestoneStatus(std::optional<double> cumulative_actual, double period_target, int year, int start_year,
                               int end_year, const StatusThresholds& thresholds);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_PROGRESS_H_
