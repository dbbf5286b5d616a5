// The gRPC face of the cultivation service: each handler converts the request, calls one use case of the
// domain (EnterpriseRegistry, PipelineService, RuleEditionCatalog, CultivationEngine) and converts back.
#ifndef STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_SERVICE_H_
#define STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_SERVICE_H_

#include <map>
#include <string>

#include "common/change_notifier.h"
#include "common/rpc.h"
#include "common/rules/edition_registry.h"
#include "common/year_range.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/domain/pipeline_service.h"
#include "services/cultivation/domain/record_book.h"
#include "services/cultivation/domain/rule_edition_catalog.h"
#include "services/cultivation/domain/tier_review.h"
#include "services/cultivation/grpc/report_queries.h"
#include "services/cultivation/store/cultivation_store.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"

namespace stip::cultivation {

namespace pb = ::stip::cultivation::v1;

class CultivationServiceImpl final : public pb::CultivationService::CallbackService {
 public:
  CultivationServiceImpl(CultivationStore* store, rules::EditionRegistry* registry,
                         std::map<std::string, std::string> org_units, ChangeNotifier* notifier,
                         const RpcRuntime* runtime, YearRange years = {});

  grpc::ServerUnaryReactor* CreateEnterprise(grpc::CallbackServerContext* context,
                                             const pb::CreateEnterpriseRequest* request,
                                             pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context, const pb::GetEnterpriseRequest* request,
                                          pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* ListEnterprises(grpc::CallbackServerContext* context,
                                            const pb::ListEnterprisesRequest* request,
                                            pb::ListEnterprisesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEnterprise(grpc::CallbackServerContext* context,
                                             const pb::UpdateEnterpriseRequest* request,
                                             pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* CreateFiling(grpc::CallbackServerContext* context, const pb::CreateFilingRequest* request,
                                         pb::Filing* response) override;
  grpc::ServerUnaryReactor* CreateRecord(grpc::CallbackServerContext* context, const pb::CreateRecordRequest* request,
                                         pb::Record* response) override;
  grpc::ServerUnaryReactor* ListRecords(grpc::CallbackServerContext* context, const pb::ListRecordsRequest* request,
                                        pb::ListRecordsResponse* response) override;
  grpc::ServerUnaryReactor* DeleteRecord(grpc::CallbackServerContext* context, const pb::DeleteRecordRequest* request,
                                         google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* ReviewTier(grpc::CallbackServerContext* context, const pb::ReviewTierRequest* request,
                                       pb::ReviewTierResponse* response) override;
  grpc::ServerUnaryReactor* ListTierEvaluations(grpc::CallbackServerContext* context,
                                                const pb::ListTierEvaluationsRequest* request,
                                                pb::ListTierEvaluationsResponse* response) override;
  grpc::ServerUnaryReactor* GetFiling(grpc::CallbackServerContext* context, const pb::GetFilingRequest* request,
                                      pb::Filing* response) override;
  grpc::ServerUnaryReactor* ListFilings(grpc::CallbackServerContext* context, const pb::ListFilingsRequest* request,
                                        pb::ListFilingsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateFiling(grpc::CallbackServerContext* context, const pb::UpdateFilingRequest* request,
                                         pb::Filing* response) override;
  grpc::ServerUnaryReactor* GetCsvTemplate(grpc::CallbackServerContext* context,
                                           const pb::GetCsvTemplateRequest* request, pb::CsvChunk* response) override;
  grpc::ServerReadReactor<pb::ImportCsvRequest>* ImportCsv(grpc::CallbackServerContext* context,
                                                           pb::ImportCsvResponse* response) override;
  grpc::ServerWriteReactor<pb::CsvChunk>* ExportCsv(grpc::CallbackServerContext* context,
                                                    const pb::ExportCsvRequest* request) override;
  grpc::ServerWriteReactor<google::api::HttpBody>* DownloadCsv(grpc::CallbackServerContext* context,
                                                               const pb::DownloadCsvRequest* request) override;
  grpc::ServerWriteReactor<google::api::HttpBody>* DownloadReport(grpc::CallbackServerContext* context,
                                                                  const pb::DownloadReportRequest* request) override;
  grpc::ServerUnaryReactor* ListRuleEditions(grpc::CallbackServerContext* context,
                                             const pb::ListRuleEditionsRequest* request,
                                             pb::ListRuleEditionsResponse* response) override;
  grpc::ServerUnaryReactor* GetRuleEdition(grpc::CallbackServerContext* context,
                                           const pb::GetRuleEditionRequest* request,
                                           pb::RuleEdition* response) override;
  grpc::ServerUnaryReactor* CreateRuleEdition(grpc::CallbackServerContext* context,
                                              const pb::CreateRuleEditionRequest* request,
                                              pb::RuleEdition* response) override;
  grpc::ServerUnaryReactor* EvaluateEnterprise(grpc::CallbackServerContext* context,
                                               const pb::EvaluateEnterpriseRequest* request,
                                               pb::Evaluation* response) override;
  grpc::ServerUnaryReactor* AnalyzeGap(grpc::CallbackServerContext* context, const pb::AnalyzeGapRequest* request,
                                       pb::GapAnalysis* response) override;
  grpc::ServerUnaryReactor* GetPipeline(grpc::CallbackServerContext* context, const pb::GetPipelineRequest* request,
                                        pb::Pipeline* response) override;
  grpc::ServerUnaryReactor* ListPipelines(grpc::CallbackServerContext* context, const pb::ListPipelinesRequest* request,
                                          pb::ListPipelinesResponse* response) override;
  grpc::ServerUnaryReactor* TransitionPipeline(grpc::CallbackServerContext* context,
                                               const pb::TransitionPipelineRequest* request,
                                               pb::Pipeline* response) override;
  grpc::ServerUnaryReactor* ListPipelineEvents(grpc::CallbackServerContext* context,
                                               const pb::ListPipelineEventsRequest* request,
                                               pb::ListPipelineEventsResponse* response) override;
  grpc::ServerUnaryReactor* ScreenEnterprises(grpc::CallbackServerContext* context,
                                              const pb::ScreenEnterprisesRequest* request,
                                              pb::ScreenEnterprisesResponse* response) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* context, const pb::ListAlertsRequest* request,
                                       pb::ListAlertsResponse* response) override;
  grpc::ServerUnaryReactor* GetPipelineStatistics(grpc::CallbackServerContext* context,
                                                  const pb::GetPipelineStatisticsRequest* request,
                                                  pb::PipelineStatistics* response) override;
  grpc::ServerUnaryReactor* GetTierStatistics(grpc::CallbackServerContext* context,
                                              const pb::GetTierStatisticsRequest* request,
                                              pb::TierStatistics* response) override;

 private:
  CultivationStore* store_;
  std::map<std::string, std::string> org_units_;
  ChangeNotifier* notifier_;
  const RpcRuntime* runtime_;
  CultivationEngine engine_;
  EnterpriseRegistry registry_;
  PipelineService pipelines_;
  RuleEditionCatalog editions_;
  RecordBook records_;
  TierReview reviews_;
  ReportQueries queries_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_GRPC_CULTIVATION_SERVICE_H_
