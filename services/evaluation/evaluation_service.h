// The gRPC face of the evaluation service: converts, validates, authorises, and calls the domain classes.
#ifndef STIP_SERVICES_EVALUATION_EVALUATION_SERVICE_H_
#define STIP_SERVICES_EVALUATION_EVALUATION_SERVICE_H_

#include <set>
#include <string>

#include "common/change_notifier.h"
#include "common/rpc.h"
#include "common/rules/edition_registry.h"
#include "services/evaluation/evaluation_store.h"
#include "services/evaluation/performance.h"
#include "services/evaluation/rubric.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"

namespace stip::evaluation {

namespace pb = ::stip::evaluation::v1;

// Loads the versioned documents of `seed_dir`/rubrics and /performance into the store (versions already stored
// are kept as they are).
absl::Status SeedDocuments(EvaluationStore& store, const std::string& seed_dir);

class EvaluationServiceImpl final : public pb::EvaluationService::CallbackService {
 public:
  EvaluationServiceImpl(EvaluationStore* store, const rules::EditionRegistry* editions, std::set<std::string> org_units,
                        ChangeNotifier* notifier, const RpcRuntime* runtime)
      : store_(store), editions_(editions), org_units_(std::move(org_units)), notifier_(notifier), runtime_(runtime) {}

#define STIP_RPC(Name, Request, Response)                                                                   \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* context, const pb::Request* request, \
                                 pb::Response* response) override
  STIP_RPC(ListCarriers, ListCarriersRequest, ListCarriersResponse);
  STIP_RPC(GetCarrier, GetCarrierRequest, Carrier);
  STIP_RPC(CreateCarrier, CreateCarrierRequest, Carrier);
  STIP_RPC(UpdateCarrier, UpdateCarrierRequest, Carrier);
  STIP_RPC(CreateAnnualReport, CreateAnnualReportRequest, AnnualReport);
  STIP_RPC(UpdateAnnualReport, UpdateAnnualReportRequest, AnnualReport);
  STIP_RPC(GetAnnualReport, GetAnnualReportRequest, AnnualReport);
  STIP_RPC(ListAnnualReports, ListAnnualReportsRequest, ListAnnualReportsResponse);
  STIP_RPC(CheckRecognition, CheckRecognitionRequest, CheckRecognitionResponse);
  STIP_RPC(ListRuleEditions, ListRuleEditionsRequest, ListRuleEditionsResponse);
  STIP_RPC(ListRubricVersions, ListRubricVersionsRequest, ListRubricVersionsResponse);
  STIP_RPC(GetRubricVersion, GetRubricVersionRequest, RubricVersion);
  STIP_RPC(CreateRubricVersion, CreateRubricVersionRequest, RubricVersion);
  STIP_RPC(CreateAssessment, CreateAssessmentRequest, Assessment);
  STIP_RPC(GetAssessment, GetAssessmentRequest, Assessment);
  STIP_RPC(ListAssessments, ListAssessmentsRequest, ListAssessmentsResponse);
  STIP_RPC(EvaluatePerformance, EvaluatePerformanceRequest, PerformanceEvaluation);
  STIP_RPC(GetPerformanceEvaluation, GetPerformanceEvaluationRequest, PerformanceEvaluation);
  STIP_RPC(ListPerformanceEvaluations, ListPerformanceEvaluationsRequest, ListPerformanceEvaluationsResponse);
  STIP_RPC(ListPerformanceSchemeVersions, ListPerformanceSchemeVersionsRequest, ListPerformanceSchemeVersionsResponse);
  STIP_RPC(CreatePerformanceSchemeVersion, CreatePerformanceSchemeVersionRequest, PerformanceSchemeVersion);
  STIP_RPC(GetCarrierStatistics, GetCarrierStatisticsRequest, CarrierStatistics);
#undef STIP_RPC

 private:
  absl::StatusOr<Carrier> ReadableCarrier(const Caller& caller, absl::string_view name);
  absl::StatusOr<std::vector<Rubric>> Rubrics(absl::string_view rubric);
  absl::StatusOr<std::vector<PerformanceScheme>> Schemes(absl::string_view scheme);  // "" = latest of each
  absl::Status DoUpdateCarrier(const Caller& caller, const pb::UpdateCarrierRequest& request, pb::Carrier* response);
  absl::Status DoSaveReport(const Caller& caller, const std::string& carrier_name, const pb::AnnualReport& report,
                            bool insert, pb::AnnualReport* response);
  absl::Status DoAssess(const Caller& caller, const pb::CreateAssessmentRequest& request, pb::Assessment* response);
  absl::Status DoPerformance(const Caller& caller, const pb::EvaluatePerformanceRequest& request,
                             pb::PerformanceEvaluation* response);
  absl::Status DoStatistics(const pb::GetCarrierStatisticsRequest& request, pb::CarrierStatistics* response);
  void Published() { notifier_->Publish("evaluation"); }

  EvaluationStore* store_;
  const rules::EditionRegistry* editions_;
  std::set<std::string> org_units_;
  ChangeNotifier* notifier_;
  const RpcRuntime* runtime_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_EVALUATION_SERVICE_H_
