// The gRPC face of the indicators service: each handler converts the request, calls one use case of the
// domain (ValueReporting, ProgressReport, the PlanCatalog) and converts the answer back.
#ifndef STIP_SERVICES_INDICATORS_GRPC_INDICATOR_SERVICE_H_
#define STIP_SERVICES_INDICATORS_GRPC_INDICATOR_SERVICE_H_

#include "common/change_notifier.h"
#include "common/rpc.h"
#include "services/indicators/domain/external_sources.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/progress_report.h"
#include "services/indicators/domain/value_reporting.h"
#include "services/indicators/store/indicator_store.h"
#include "stip/indicators/v1/indicators.grpc.pb.h"

namespace stip::indicators {

namespace pb = ::stip::indicators::v1;

class IndicatorServiceImpl final : public pb::IndicatorService::CallbackService {
 public:
  IndicatorServiceImpl(const PlanCatalog* catalog, IndicatorStore* store, ExternalSources* external,
                       ChangeNotifier* notifier, const RpcRuntime* runtime)
      : catalog_(catalog), runtime_(runtime), values_(catalog, store, notifier), progress_(catalog, store, external) {}

  grpc::ServerUnaryReactor* ListOrgUnits(grpc::CallbackServerContext* context, const pb::ListOrgUnitsRequest* request,
                                         pb::ListOrgUnitsResponse* response) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* context, const pb::ListPlansRequest* request,
                                      pb::ListPlansResponse* response) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* context, const pb::GetPlanRequest* request,
                                    pb::Plan* response) override;
  grpc::ServerUnaryReactor* ListIndicators(grpc::CallbackServerContext* context,
                                           const pb::ListIndicatorsRequest* request,
                                           pb::ListIndicatorsResponse* response) override;
  grpc::ServerUnaryReactor* GetIndicator(grpc::CallbackServerContext* context, const pb::GetIndicatorRequest* request,
                                         pb::Indicator* response) override;
  grpc::ServerUnaryReactor* ListKeyTasks(grpc::CallbackServerContext* context, const pb::ListKeyTasksRequest* request,
                                         pb::ListKeyTasksResponse* response) override;
  grpc::ServerUnaryReactor* ReportValue(grpc::CallbackServerContext* context, const pb::ReportValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* UpdateValue(grpc::CallbackServerContext* context, const pb::UpdateValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* GetValue(grpc::CallbackServerContext* context, const pb::GetValueRequest* request,
                                     pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* DeleteValue(grpc::CallbackServerContext* context, const pb::DeleteValueRequest* request,
                                        google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* ListValues(grpc::CallbackServerContext* context, const pb::ListValuesRequest* request,
                                       pb::ListValuesResponse* response) override;
  grpc::ServerUnaryReactor* SubmitValue(grpc::CallbackServerContext* context, const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ApproveValue(grpc::CallbackServerContext* context,
                                         const pb::TransitionValueRequest* request,
                                         pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* RejectValue(grpc::CallbackServerContext* context, const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ReopenValue(grpc::CallbackServerContext* context, const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ListValueRevisions(grpc::CallbackServerContext* context,
                                               const pb::ListValueRevisionsRequest* request,
                                               pb::ListValueRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* AggregateIndicator(grpc::CallbackServerContext* context,
                                               const pb::AggregateIndicatorRequest* request,
                                               pb::Aggregate* response) override;
  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* context, const pb::GetProgressRequest* request,
                                        pb::PlanProgress* response) override;
  grpc::ServerWriteReactor<google::api::HttpBody>* DownloadProgress(
      grpc::CallbackServerContext* context, const pb::DownloadProgressRequest* request) override;

 private:
  grpc::ServerUnaryReactor* Transition(grpc::CallbackServerContext* context, absl::string_view method,
                                       ValueAction action, const pb::TransitionValueRequest* request,
                                       pb::ReportedValue* response);

  const PlanCatalog* catalog_;
  const RpcRuntime* runtime_;
  ValueReporting values_;
  ProgressReport progress_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_GRPC_INDICATOR_SERVICE_H_
