// The JSON columns of the evaluation store: assessments and performance evaluations as the store keeps them.
// Field names are those rows written before this codec carried (the API's proto names), so old rows read as new.
#ifndef STIP_SERVICES_EVALUATION_STORE_SQLITE_EVALUATION_CODEC_H_
#define STIP_SERVICES_EVALUATION_STORE_SQLITE_EVALUATION_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/evaluation/domain/evaluation_records.h"

namespace stip::evaluation {

std::string AssessmentToJson(const AssessmentRecord& record);
// Fills the payload's fields of `record` (the key columns are the caller's).
absl::Status AssessmentFromJson(const std::string& json, AssessmentRecord& record);

std::string PerformanceToJson(const PerformanceRecord& record);
absl::Status PerformanceFromJson(const std::string& json, PerformanceRecord& record);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_STORE_SQLITE_EVALUATION_CODEC_H_
