// Domain ↔ API messages of the evaluation service, resource names and enum tables; nothing else.
#ifndef STIP_SERVICES_EVALUATION_GRPC_EVALUATION_CONVERT_H_
#define STIP_SERVICES_EVALUATION_GRPC_EVALUATION_CONVERT_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/evaluation/domain/assessment_desk.h"
#include "services/evaluation/domain/carrier_registry.h"
#include "services/evaluation/domain/document_library.h"
#include "services/evaluation/domain/evaluation_records.h"
#include "services/evaluation/domain/recognition.h"
#include "services/evaluation/domain/statistics.h"
#include "stip/evaluation/v1/evaluation.pb.h"

namespace stip::evaluation {

namespace pb = ::stip::evaluation::v1;

// "carriers/{id}/<collection>/{key}" → (id, key).
absl::StatusOr<std::pair<std::string, std::string>> ChildName(absl::string_view name, absl::string_view collection,
                                                              absl::string_view field);
// "carriers/{id}/<collection>/{year}" → (id, year).
absl::StatusOr<std::pair<std::string, int>> YearChild(absl::string_view name, absl::string_view collection,
                                                      absl::string_view field);

// INVALID_ARGUMENT on `field` for values the API does not define.
absl::StatusOr<Carrier> FromProto(const pb::Carrier& carrier);
absl::StatusOr<CarrierFilter> FromProto(const pb::ListCarriersRequest& request);
AnnualReport FromProto(const pb::AnnualReport& report);
Rubric FromProto(const pb::RubricVersion& version, absl::string_view rubric_id);
AssessmentInput FromProto(const pb::Assessment& assessment);

void ToProto(const CarrierView& view, pb::Carrier* out);
void ToProto(const AnnualReport& report, pb::AnnualReport* out);
// The stored report with the figures `mask` names taken from `patch` (PATCH means partial): "*" takes every
// figure; an empty mask takes the figures set (non-zero) in `patch` (AIP-134). name, year, etag and output-only
// fields are never taken. An unknown path is INVALID_ARGUMENT on update_mask.
absl::StatusOr<pb::AnnualReport> ApplyReportMask(const pb::AnnualReport& stored, const pb::AnnualReport& patch,
                                                 const google::protobuf::FieldMask& mask);
void ToProto(const RecognitionResult& result, pb::RecognitionCheck* out);
void ToProto(const RubricVersion& version, pb::RubricVersion* out);
void ToProto(const SchemeVersion& version, pb::PerformanceSchemeVersion* out);
void ToProto(const AssessmentRecord& record, pb::Assessment* out);
void ToProto(const PerformanceRecord& record, pb::PerformanceEvaluation* out);
void ToProto(const CarrierStats& stats, pb::CarrierStatistics* out);
pb::CarrierLevel ToProto(CarrierLevel level);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_GRPC_EVALUATION_CONVERT_H_
