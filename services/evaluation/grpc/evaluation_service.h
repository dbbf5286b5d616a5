// The gRPC face of the evaluation service: each handler converts the request, calls one use case of the domain
// (CarrierRegistry, DocumentLibrary, AssessmentDesk, PerformanceEvaluator) and converts the answer back.
#ifndef STIP_SERVICES_EVALUATION_GRPC_EVALUATION_SERVICE_H_
#define STIP_SERVICES_EVALUATION_GRPC_EVALUATION_SERVICE_H_

#include <set>
#include <string>

#include "common/change_notifier.h"
#include "common/rpc.h"
#include "common/rules/edition_registry.h"
#include "common/year_range.h"
#include "services/evaluation/domain/assessment_desk.h"
#include "services/evaluation/domain/carrier_registry.h"
#include "services/evaluation/domain/document_library.h"
#include "services/evaluation/domain/performance_evaluator.h"
#include "services/evaluation/store/evaluation_store.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"

namespace stip::evaluation {

namespace pb = ::stip::evaluation::v1;

class EvaluationServiceImpl final : public pb::EvaluationService::CallbackService {
 public:
  EvaluationServiceImpl(EvaluationStore* store, const rules::EditionRegistry* editions, std::set<std::string> org_units,
                        ChangeNotifier* notifier, const RpcRuntime* runtime, YearRange years = {});

  // The versioned documents of data/ (rubrics, performance schemes), kept when already stored.
  absl::Status SeedDocuments(const std::string& seed_dir) { return documents_.Seed(seed_dir); }

  grpc::ServerUnaryReactor* ListCarriers(grpc::CallbackServerContext* context, const pb::ListCarriersRequest* request,
                                         pb::ListCarriersResponse* response) override;
  grpc::ServerUnaryReactor* GetCarrier(grpc::CallbackServerContext* context, const pb::GetCarrierRequest* request,
                                       pb::Carrier* response) override;
  grpc::ServerUnaryReactor* CreateCarrier(grpc::CallbackServerContext* context, const pb::CreateCarrierRequest* request,
                                          pb::Carrier* response) override;
  grpc::ServerUnaryReactor* UpdateCarrier(grpc::CallbackServerContext* context, const pb::UpdateCarrierRequest* request,
                                          pb::Carrier* response) override;
  grpc::ServerUnaryReactor* CreateAnnualReport(grpc::CallbackServerContext* context,
                                               const pb::CreateAnnualReportRequest* request,
                                               pb::AnnualReport* response) override;
  grpc::ServerUnaryReactor* UpdateAnnualReport(grpc::CallbackServerContext* context,
                                               const pb::UpdateAnnualReportRequest* request,
                                               pb::AnnualReport* response) override;
  grpc::ServerUnaryReactor* GetAnnualReport(grpc::CallbackServerContext* context,
                                            const pb::GetAnnualReportRequest* request,
                                            pb::AnnualReport* response) override;
  grpc::ServerUnaryReactor* ListAnnualReports(grpc::CallbackServerContext* context,
                                              const pb::ListAnnualReportsRequest* request,
                                              pb::ListAnnualReportsResponse* response) override;
  grpc::ServerUnaryReactor* CheckRecognition(grpc::CallbackServerContext* context,
                                             const pb::CheckRecognitionRequest* request,
                                             pb::CheckRecognitionResponse* response) override;
  grpc::ServerUnaryReactor* ListRuleEditions(grpc::CallbackServerContext* context,
                                             const pb::ListRuleEditionsRequest* request,
                                             pb::ListRuleEditionsResponse* response) override;
  grpc::ServerUnaryReactor* ListRubricVersions(grpc::CallbackServerContext* context,
                                               const pb::ListRubricVersionsRequest* request,
                                               pb::ListRubricVersionsResponse* response) override;
  grpc::ServerUnaryReactor* GetRubricVersion(grpc::CallbackServerContext* context,
                                             const pb::GetRubricVersionRequest* request,
                                             pb::RubricVersion* response) override;
  grpc::ServerUnaryReactor* CreateRubricVersion(grpc::CallbackServerContext* context,
                                                const pb::CreateRubricVersionRequest* request,
                                                pb::RubricVersion* response) override;
  grpc::ServerUnaryReactor* CreateAssessment(grpc::CallbackServerContext* context,
                                             const pb::CreateAssessmentRequest* request,
                                             pb::Assessment* response) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* context, const pb::GetAssessmentRequest* request,
                                          pb::Assessment* response) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* context,
                                            const pb::ListAssessmentsRequest* request,
                                            pb::ListAssessmentsResponse* response) override;
  grpc::ServerUnaryReactor* EvaluatePerformance(grpc::CallbackServerContext* context,
                                                const pb::EvaluatePerformanceRequest* request,
                                                pb::PerformanceEvaluation* response) override;
  grpc::ServerUnaryReactor* GetPerformanceEvaluation(grpc::CallbackServerContext* context,
                                                     const pb::GetPerformanceEvaluationRequest* request,
                                                     pb::PerformanceEvaluation* response) override;
  grpc::ServerUnaryReactor* ListPerformanceEvaluations(grpc::CallbackServerContext* context,
                                                       const pb::ListPerformanceEvaluationsRequest* request,
                                                       pb::ListPerformanceEvaluationsResponse* response) override;
  grpc::ServerUnaryReactor* ListPerformanceSchemeVersions(grpc::CallbackServerContext* context,
                                                          const pb::ListPerformanceSchemeVersionsRequest* request,
                                                          pb::ListPerformanceSchemeVersionsResponse* response) override;
  grpc::ServerUnaryReactor* CreatePerformanceSchemeVersion(grpc::CallbackServerContext* context,
                                                           const pb::CreatePerformanceSchemeVersionRequest* request,
                                                           pb::PerformanceSchemeVersion* response) override;
  grpc::ServerUnaryReactor* GetCarrierStatistics(grpc::CallbackServerContext* context,
                                                 const pb::GetCarrierStatisticsRequest* request,
                                                 pb::CarrierStatistics* response) override;

 private:
  const RpcRuntime* runtime_;
  CarrierRegistry carriers_;
  DocumentLibrary documents_;
  AssessmentDesk assessments_;
  PerformanceEvaluator performance_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_GRPC_EVALUATION_SERVICE_H_
