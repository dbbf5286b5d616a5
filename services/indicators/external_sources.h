// Indicator values owned by other services: tier counts (cultivation) and university science parks (evaluation).
#ifndef STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_
#define STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/indicators/plan_catalog.h"

namespace stip::indicators {

struct ExternalValue {
  double value = 0;
  std::string detail;  // which call and which statistic, shown beside the number
};

class ExternalSources {
 public:
  virtual ~ExternalSources() = default;
  // The value of `measure` (whose source is CULTIVATION or EVALUATION) for `year`. NOT_FOUND when that
  // service is not deployed here; other errors when it failed. Callers fall back to reported values.
  virtual absl::StatusOr<ExternalValue> Fetch(const MeasureDef& measure, int year) = 0;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_
