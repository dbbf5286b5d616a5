// The gRPC face of the cultivation service: converts protos, authorises (park accounts see and write only
// their own org unit), calls the store and the engine, and publishes change notices after commits.
#ifndef STIP_SERVICES_CULTIVATION_CULTIVATION_SERVICE_H_
#define STIP_SERVICES_CULTIVATION_CULTIVATION_SERVICE_H_

#include <map>
#include <string>

#include "common/auth.h"
#include "common/change_notifier.h"
#include "common/rpc.h"
#include "common/rules/edition_registry.h"
#include "services/cultivation/csv.h"
#include "services/cultivation/cultivation_engine.h"
#include "services/cultivation/cultivation_store.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"

namespace stip {
class Metrics;
}

namespace stip::cultivation {

namespace pb = ::stip::cultivation::v1;

class CultivationServiceImpl final : public pb::CultivationService::CallbackService {
 public:
  CultivationServiceImpl(CultivationStore* store, rules::EditionRegistry* registry,
                         std::map<std::string, std::string> org_units, ChangeNotifier* notifier,
                         const RpcRuntime* runtime, const TokenVerifier* verifier, Metrics* metrics);

  grpc::ServerUnaryReactor* CreateEnterprise(grpc::CallbackServerContext* context, const pb::CreateEnterpriseRequest* request,
                                             pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* GetEnterprise(grpc::CallbackServerContext* context, const pb::GetEnterpriseRequest* request,
                                          pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* ListEnterprises(grpc::CallbackServerContext* context, const pb::ListEnterprisesRequest* request,
                                            pb::ListEnterprisesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEnterprise(grpc::CallbackServerContext* context, const pb::UpdateEnterpriseRequest* request,
                                             pb::Enterprise* response) override;
  grpc::ServerUnaryReactor* CreateFiling(grpc::CallbackServerContext* context, const pb::CreateFilingRequest* request,
                                         pb::Filing* response) override;
  grpc::ServerUnaryReactor* GetFiling(grpc::CallbackServerContext* context, const pb::GetFilingRequest* request,
                                      pb::Filing* response) override;
  grpc::ServerUnaryReactor* ListFilings(grpc::CallbackServerContext* context, const pb::ListFilingsRequest* request,
                                        pb::ListFilingsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateFiling(grpc::CallbackServerContext* context, const pb::UpdateFilingRequest* request,
                                         pb::Filing* response) override;
  grpc::ServerUnaryReactor* GetCsvTemplate(grpc::CallbackServerContext* context, const pb::GetCsvTemplateRequest* request,
                                           pb::CsvChunk* response) override;
  grpc::ServerReadReactor<pb::ImportCsvRequest>* ImportCsv(grpc::CallbackServerContext* context,
                                                           pb::ImportCsvResponse* response) override;
  grpc::ServerWriteReactor<pb::CsvChunk>* ExportCsv(grpc::CallbackServerContext* context,
                                                    const pb::ExportCsvRequest* request) override;
  grpc::ServerUnaryReactor* ListRuleEditions(grpc::CallbackServerContext* context, const pb::ListRuleEditionsRequest* request,
                                             pb::ListRuleEditionsResponse* response) override;
  grpc::ServerUnaryReactor* GetRuleEdition(grpc::CallbackServerContext* context, const pb::GetRuleEditionRequest* request,
                                           pb::RuleEdition* response) override;
  grpc::ServerUnaryReactor* CreateRuleEdition(grpc::CallbackServerContext* context,
                                              const pb::CreateRuleEditionRequest* request, pb::RuleEdition* response) override;
  grpc::ServerUnaryReactor* EvaluateEnterprise(grpc::CallbackServerContext* context,
                                               const pb::EvaluateEnterpriseRequest* request, pb::Evaluation* response) override;
  grpc::ServerUnaryReactor* AnalyzeGap(grpc::CallbackServerContext* context, const pb::AnalyzeGapRequest* request,
                                       pb::GapAnalysis* response) override;
  grpc::ServerUnaryReactor* GetPipeline(grpc::CallbackServerContext* context, const pb::GetPipelineRequest* request,
                                        pb::Pipeline* response) override;
  grpc::ServerUnaryReactor* ListPipelines(grpc::CallbackServerContext* context, const pb::ListPipelinesRequest* request,
                                          pb::ListPipelinesResponse* response) override;
  grpc::ServerUnaryReactor* TransitionPipeline(grpc::CallbackServerContext* context,
                                               const pb::TransitionPipelineRequest* request, pb::Pipeline* response) override;
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

  // For the streaming reactors.
  CultivationStore* store() const { return store_; }
  const std::map<std::string, std::string>& org_units() const { return org_units_; }
  const TokenVerifier* verifier() const { return verifier_; }
  Metrics* metrics() const { return metrics_; }
  ChangeNotifier* notifier() const { return notifier_; }
  CsvImport::FilingCheck FilingChecker() const;

 private:
  absl::StatusOr<EnterpriseRecord> VisibleEnterprise(const Caller& caller, const std::string& uscc) const;
  absl::Status ValidateEnterprise(const EnterpriseRecord& record) const;
  absl::Status ValidateFiling(int year, const FilingData& data) const;
  void Published() const;
  // Pipeline.validity_provisional / validity_note from the edition used at certification.
  void LabelValidity(const PipelineRecord& p, pb::Pipeline* out) const;

  CultivationStore* store_;
  rules::EditionRegistry* registry_;
  CultivationEngine engine_;
  std::map<std::string, std::string> org_units_;
  ChangeNotifier* notifier_;
  const RpcRuntime* runtime_;
  const TokenVerifier* verifier_;
  Metrics* metrics_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_CULTIVATION_SERVICE_H_
