// Domain ↔ API messages of the cultivation service, resource names, and the enum tables; nothing else.
#ifndef STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_CONVERT_H_
#define STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_CONVERT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/domain/pipeline_service.h"
#include "services/cultivation/domain/record_book.h"
#include "services/cultivation/domain/rule_edition_catalog.h"
#include "services/cultivation/domain/tier_review.h"
#include "stip/cultivation/v1/cultivation.pb.h"

namespace stip::cultivation {

namespace pb = ::stip::cultivation::v1;

// "enterprises/{uscc}" → the normalised, checked USCC.
absl::StatusOr<std::string> EnterpriseId(absl::string_view name, absl::string_view field = "name");
// "enterprises/{uscc}/filings/{year}".
absl::StatusOr<std::pair<std::string, int>> FilingId(absl::string_view name, absl::string_view field);
// "enterprises/{uscc}/pipelines/{program}".
absl::StatusOr<std::pair<std::string, std::string>> PipelineId(absl::string_view name, absl::string_view field);
// "enterprises/{uscc}/records/{id}".
absl::StatusOr<std::pair<std::string, std::string>> RecordId(absl::string_view name, absl::string_view field);
// "programs/{program}" and "programs/{program}/editions/{edition}".
absl::StatusOr<std::string> ProgramId(absl::string_view name, absl::string_view field);
absl::StatusOr<std::pair<std::string, std::string>> EditionId(absl::string_view name, absl::string_view field);

// The fiscal year Y−1 of an application year Y, or the deprecated fiscal `year` as given; they must agree when
// both are set.
absl::StatusOr<int> FiscalYearOf(int application_year, int year);

// INVALID_ARGUMENT on `field` for values the API does not define (no undefined code is ever stored).
absl::StatusOr<EnterpriseStatus> FromProto(pb::EnterpriseStatus status, absl::string_view field);
absl::StatusOr<Stage> FromProto(pb::Stage stage, absl::string_view field);
absl::StatusOr<WithdrawalReason> FromProto(pb::WithdrawalReason reason, absl::string_view field);
absl::StatusOr<CsvKindCode> FromProto(pb::CsvKind kind, absl::string_view field);
absl::StatusOr<AlertKindCode> FromProto(pb::AlertKind kind, absl::string_view field);
absl::StatusOr<RecordKind> FromProto(pb::RecordKind kind, absl::string_view field);
absl::StatusOr<DatedRecord> FromProto(const pb::Record& record);

absl::StatusOr<EnterpriseRecord> FromProto(const pb::Enterprise& enterprise);
// The fields set on `filing` (unset ones are absent: missing, never zero).
FilingData FilingDataOf(const pb::Filing& filing);
absl::StatusOr<TransitionRequest> FromProto(const pb::TransitionPipelineRequest& request);

void ToProto(const EnterpriseRecord& record, const std::map<std::string, std::string>& units, pb::Enterprise* out);
void ToProto(const FilingRecord& record, pb::Filing* out);
void ToProto(const DatedRecord& record, pb::Record* out);
void ToProto(const TierEvaluationView& view, pb::TierEvaluation* out);
void ToProto(const ReviewSummary& summary, pb::ReviewTierResponse* out);
void ToProto(const PipelineView& view, pb::Pipeline* out);
void ToProto(const PipelineEventRecord& event, pb::PipelineEvent* out);
void ToProto(const EditionView& view, pb::RuleEdition* out);
void ToProto(const EvaluationResult& result, const std::string& uscc, const std::string& program, int year,
             pb::Evaluation* out);
void ToProto(const GapResult& gap, const std::string& uscc, pb::GapAnalysis* out);
void ToProto(const ScreenResult& result, pb::ScreenEnterprisesResponse* out);
void ToProto(const AlertInfo& alert, pb::Alert* out);
void ToProto(const StageCount& count, pb::PipelineCount* out);
void ToProto(const TierCounts& counts, int year, const std::string& org_unit, pb::TierStatistics* out);
void ToProto(const ImportSummary& summary, pb::ImportCsvResponse* out);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_CONVERT_H_
