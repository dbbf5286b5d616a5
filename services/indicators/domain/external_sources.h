// Indicator values owned by other services: tier counts (cultivation) and university science parks (evaluation).
#ifndef STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_
#define STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_

#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "services/indicators/domain/plan_catalog.h"

namespace stip::indicators {

struct ExternalValue {
  double value = 0;
  std::string detail;  // which call and which statistic, shown beside the number
};

// Indicator code → value, everything one service answers for one year.
using ExternalValues = std::map<std::string, ExternalValue>;

class ExternalSources {
 public:
  virtual ~ExternalSources() = default;
  // Every value the service owning `source` (CULTIVATION or EVALUATION) has for `year`. NOT_FOUND when that
  // service is not deployed here; other errors when it failed. Callers fall back to reported values.
  virtual absl::StatusOr<ExternalValues> FetchAll(ValueSource source, int year) = 0;
};

// The sources as one request sees them: each (service, year) is asked once per request, and never reused
// across requests, so a read that follows a write always sees it.
class RequestSources {
 public:
  explicit RequestSources(ExternalSources* sources) : sources_(sources) {}
  // NOT_FOUND also when the service has no value for this indicator.
  absl::StatusOr<ExternalValue> Fetch(const MeasureDef& measure, int year);

 private:
  ExternalSources* sources_;
  std::map<std::pair<ValueSource, int>, absl::StatusOr<ExternalValues>> memo_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_EXTERNAL_SOURCES_H_
