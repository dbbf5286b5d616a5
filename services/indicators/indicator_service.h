// The gRPC face of the indicators service: converts, validates, authorises, and calls the domain classes.
#ifndef STIP_SERVICES_INDICATORS_INDICATOR_SERVICE_H_
#define STIP_SERVICES_INDICATORS_INDICATOR_SERVICE_H_

#include "common/change_notifier.h"
#include "common/rpc.h"
#include <map>
#include <string>
#include <vector>

#include "services/indicators/access_policy.h"
#include "services/indicators/aggregation.h"
#include "services/indicators/external_sources.h"
#include "services/indicators/indicator_store.h"
#include "services/indicators/plan_catalog.h"
#include "stip/indicators/v1/indicators.grpc.pb.h"

namespace stip::indicators {

namespace pb = ::stip::indicators::v1;

class IndicatorServiceImpl final : public pb::IndicatorService::CallbackService {
 public:
  IndicatorServiceImpl(const PlanCatalog* catalog, IndicatorStore* store, ExternalSources* external,
                       ChangeNotifier* notifier, const RpcRuntime* runtime)
      : catalog_(catalog), store_(store), external_(external), notifier_(notifier), runtime_(runtime),
        policy_(catalog) {}

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
  grpc::ServerUnaryReactor* ListValues(grpc::CallbackServerContext* context, const pb::ListValuesRequest* request,
                                       pb::ListValuesResponse* response) override;
  grpc::ServerUnaryReactor* SubmitValue(grpc::CallbackServerContext* context,
                                        const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ApproveValue(grpc::CallbackServerContext* context,
                                         const pb::TransitionValueRequest* request,
                                         pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* RejectValue(grpc::CallbackServerContext* context,
                                        const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ReopenValue(grpc::CallbackServerContext* context,
                                        const pb::TransitionValueRequest* request,
                                        pb::ReportedValue* response) override;
  grpc::ServerUnaryReactor* ListValueRevisions(grpc::CallbackServerContext* context,
                                               const pb::ListValueRevisionsRequest* request,
                                               pb::ListValueRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* AggregateIndicator(grpc::CallbackServerContext* context,
                                               const pb::AggregateIndicatorRequest* request,
                                               pb::Aggregate* response) override;
  grpc::ServerUnaryReactor* GetProgress(grpc::CallbackServerContext* context, const pb::GetProgressRequest* request,
                                        pb::PlanProgress* response) override;

 private:
  struct YearValue;
  // `action` names the revision ("update" when UpdateValue merges into a report); empty = report.
  absl::Status DoReport(const Caller& caller, const pb::ReportValueRequest& request, pb::ReportedValue* response,
                        absl::string_view action = "");
  absl::Status DoUpdate(const Caller& caller, const pb::UpdateValueRequest& request, pb::ReportedValue* response);
  absl::Status DoTransition(const Caller& caller, const pb::TransitionValueRequest& request, int action,
                            pb::ReportedValue* response);
  absl::Status DoProgress(const pb::GetProgressRequest& request, pb::PlanProgress* response);
  absl::Status DoAggregate(const pb::AggregateIndicatorRequest& request, pb::Aggregate* response);
  // Approved (and optionally submitted) values of `measures` for the plan years up to `year`.
  absl::StatusOr<std::vector<StoredValue>> CountedValues(std::vector<std::string> measures, int year,
                                                         bool include_submitted);
  // The district value of `measure` per year from the plan's first year to `year`, from the owning service or
  // else from `values` (that measure's reported values).
  std::vector<YearValue> DistrictSeries(const PlanDef& plan, const MeasureDef& measure, int year,
                                        const std::vector<UnitValue>& values, RequestSources& sources);

  const PlanCatalog* catalog_;
  IndicatorStore* store_;
  ExternalSources* external_;
  ChangeNotifier* notifier_;
  const RpcRuntime* runtime_;
  AccessPolicy policy_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_INDICATOR_SERVICE_H_
