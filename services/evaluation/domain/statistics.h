// Carrier statistics for a year: the university science parks of plan indicators 8 and 9, and carriers by
// kind, level and performance grade. Plain C++.
#ifndef STIP_SERVICES_EVALUATION_STATISTICS_H_
#define STIP_SERVICES_EVALUATION_STATISTICS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/evaluation/domain/carrier.h"
#include "services/evaluation/domain/performance.h"

namespace stip::evaluation {

inline constexpr int kPlanStartYear = 2020;

struct CarrierStats {
  int year = 0;
  int since_year = kPlanStartYear;
  int municipal_parks = 0;  // indicator 8
  int national_parks = 0;   // indicator 9
  int municipal_parks_all_time = 0;
  int national_parks_all_time = 0;
  std::vector<std::string> municipal_park_ids;
  std::vector<std::string> national_park_ids;
  std::map<CarrierKind, int> by_kind;
  std::map<CarrierLevel, int> by_level;
  std::map<Grade, int> by_grade;  // Grade::kNone = not evaluated that year
  int carriers = 0;
  int national_status_at_risk = 0;
};

// Counts over `carriers` in Dongli (in_dongli). A university science park counts for indicator 8 when it has a
// 市级 grant with since_year ≤ grant year ≤ year, and for indicator 9 likewise with a 国家级 grant.
// `grades`: carrier id → performance grade of `year`; `at_risk`: carriers flagged for loss of national status.
CarrierStats ComputeStatistics(const std::vector<Carrier>& carriers, const std::map<std::string, Grade>& grades,
                               const std::set<std::string>& at_risk, int year, int since_year);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_STATISTICS_H_
