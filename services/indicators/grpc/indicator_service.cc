#include "services/indicators/grpc/indicator_service.h"

#include "common/file_download.h"
#include "services/indicators/domain/progress_table.h"

#include "absl/strings/str_cat.h"
#include "common/paging.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/indicators/grpc/indicator_convert.h"

namespace stip::indicators {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

ServerUnaryReactor* IndicatorServiceImpl::ListOrgUnits(CallbackServerContext* context,
                                                       const pb::ListOrgUnitsRequest* request,
                                                       pb::ListOrgUnitsResponse* response) {
  return runtime_->Unary(context, "ListOrgUnits", *request, [&](const Caller&) -> absl::Status {
    std::string query = absl::StrCat(request->kind());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    std::vector<const OrgUnitDef*> units;
    for (const OrgUnitDef& unit : catalog_->org_units()) {
      if (request->kind() == pb::ORG_UNIT_KIND_UNSPECIFIED || request->kind() == ToProto(unit.kind)) {
        units.push_back(&unit);
      }
    }
    response->set_next_page_token(FillPage(static_cast<int>(units.size()), page, query,
                                           [&](int i) { ToProto(*units[i], response->add_org_units()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::ListPlans(CallbackServerContext* context, const pb::ListPlansRequest* request,
                                                    pb::ListPlansResponse* response) {
  return runtime_->Unary(context, "ListPlans", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), ""));
    const auto& plans = catalog_->plans();
    response->set_next_page_token(
        FillPage(static_cast<int>(plans.size()), page, "", [&](int i) { ToProto(plans[i], response->add_plans()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::GetPlan(CallbackServerContext* context, const pb::GetPlanRequest* request,
                                                  pb::Plan* response) {
  return runtime_->Unary(context, "GetPlan", *request, [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->name());
    if (plan == nullptr) return NotFound("计划 plan", request->name());
    ToProto(*plan, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::ListIndicators(CallbackServerContext* context,
                                                         const pb::ListIndicatorsRequest* request,
                                                         pb::ListIndicatorsResponse* response) {
  return runtime_->Unary(context, "ListIndicators", *request, [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->parent());
    if (plan == nullptr) return NotFound("计划 plan", request->parent());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    response->set_next_page_token(
        FillPage(static_cast<int>(plan->indicators.size()), page, request->parent(),
                 [&](int i) { ToProto(*catalog_->FindMeasure(plan->indicators[i]), response->add_indicators()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::GetIndicator(CallbackServerContext* context,
                                                       const pb::GetIndicatorRequest* request,
                                                       pb::Indicator* response) {
  return runtime_->Unary(context, "GetIndicator", *request, [&](const Caller&) -> absl::Status {
    const MeasureDef* measure = catalog_->FindMeasure(request->name());
    if (measure == nullptr || measure->is_milestone) return NotFound("指标 indicator", request->name());
    ToProto(*measure, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::ListKeyTasks(CallbackServerContext* context,
                                                       const pb::ListKeyTasksRequest* request,
                                                       pb::ListKeyTasksResponse* response) {
  return runtime_->Unary(context, "ListKeyTasks", *request, [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->parent());
    if (plan == nullptr) return NotFound("计划 plan", request->parent());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    response->set_next_page_token(
        FillPage(static_cast<int>(plan->key_tasks.size()), page, request->parent(),
                 [&](int i) { ToProto(*plan, plan->key_tasks[i], *catalog_, response->add_key_tasks()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::ReportValue(CallbackServerContext* context,
                                                      const pb::ReportValueRequest* request,
                                                      pb::ReportedValue* response) {
  return runtime_->Create(context, "ReportValue", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(StoredValue saved, values_.Report(caller, FromProto(*request)));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::UpdateValue(CallbackServerContext* context,
                                                      const pb::UpdateValueRequest* request,
                                                      pb::ReportedValue* response) {
  return runtime_->Unary(context, "UpdateValue", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(ValueKey key, ParseValueName(request->value().name(), "value.name"));
    STIP_ASSIGN_OR_RETURN(StoredValue saved, values_.Edit(caller, key, FromProto(*request)));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::GetValue(CallbackServerContext* context, const pb::GetValueRequest* request,
                                                   pb::ReportedValue* response) {
  return runtime_->Unary(context, "GetValue", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(ValueKey key, ParseValueName(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(StoredValue value, values_.Get(caller, key));
    ToProto(value, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::DeleteValue(CallbackServerContext* context,
                                                      const pb::DeleteValueRequest* request,
                                                      google::protobuf::Empty* /*response*/) {
  return runtime_->Unary(context, "DeleteValue", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(ValueKey key, ParseValueName(request->name(), "name"));
    return values_.Delete(caller, key, request->etag());
  });
}

ServerUnaryReactor* IndicatorServiceImpl::ListValues(CallbackServerContext* context,
                                                     const pb::ListValuesRequest* request,
                                                     pb::ListValuesResponse* response) {
  return runtime_->Unary(context, "ListValues", *request, [&](const Caller& caller) -> absl::Status {
    ValueFilter filter{request->parent(), request->year(), OrgUnitCode(request->org_unit()), {}};
    STIP_ASSIGN_OR_RETURN(filter.states, StatesFromProto(request->states()));
    std::string states;
    for (int state : request->states()) absl::StrAppend(&states, state, ",");
    std::string org_unit = caller.role == Role::kPark && filter.org_unit.empty() ? caller.org_unit : filter.org_unit;
    std::string query = PageQuery({request->parent(), absl::StrCat(request->year()), org_unit, states});
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(std::vector<StoredValue> values, values_.List(caller, filter, page.offset, page.size));
    for (const StoredValue& value : values) ToProto(value, response->add_values());
    response->set_next_page_token(NextPageToken(page, static_cast<int>(values.size()), query));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::Transition(CallbackServerContext* context, absl::string_view method,
                                                     ValueAction action, const pb::TransitionValueRequest* request,
                                                     pb::ReportedValue* response) {
  return runtime_->Unary(context, method, *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(ValueKey key, ParseValueName(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(StoredValue saved,
                          values_.Transition(caller, key, action, request->comment(), request->etag()));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::SubmitValue(CallbackServerContext* context,
                                                      const pb::TransitionValueRequest* request,
                                                      pb::ReportedValue* response) {
  return Transition(context, "SubmitValue", ValueAction::kSubmit, request, response);
}

ServerUnaryReactor* IndicatorServiceImpl::ApproveValue(CallbackServerContext* context,
                                                       const pb::TransitionValueRequest* request,
                                                       pb::ReportedValue* response) {
  return Transition(context, "ApproveValue", ValueAction::kApprove, request, response);
}

ServerUnaryReactor* IndicatorServiceImpl::RejectValue(CallbackServerContext* context,
                                                      const pb::TransitionValueRequest* request,
                                                      pb::ReportedValue* response) {
  return Transition(context, "RejectValue", ValueAction::kReject, request, response);
}

ServerUnaryReactor* IndicatorServiceImpl::ReopenValue(CallbackServerContext* context,
                                                      const pb::TransitionValueRequest* request,
                                                      pb::ReportedValue* response) {
  return Transition(context, "ReopenValue", ValueAction::kReopen, request, response);
}

ServerUnaryReactor* IndicatorServiceImpl::ListValueRevisions(CallbackServerContext* context,
                                                             const pb::ListValueRevisionsRequest* request,
                                                             pb::ListValueRevisionsResponse* response) {
  return runtime_->Unary(context, "ListValueRevisions", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(ValueKey key, ParseValueName(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    STIP_ASSIGN_OR_RETURN(std::vector<ValueRevisionRecord> revisions,
                          values_.Revisions(caller, key, page.offset, page.size));
    for (const ValueRevisionRecord& record : revisions) ToProto(request->parent(), record, response->add_revisions());
    response->set_next_page_token(NextPageToken(page, static_cast<int>(revisions.size()), request->parent()));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::AggregateIndicator(CallbackServerContext* context,
                                                             const pb::AggregateIndicatorRequest* request,
                                                             pb::Aggregate* response) {
  return runtime_->Unary(context, "AggregateIndicator", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(AggregateView view,
                          progress_.Aggregate(request->name(), request->year(), request->include_submitted()));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* IndicatorServiceImpl::GetProgress(CallbackServerContext* context,
                                                      const pb::GetProgressRequest* request,
                                                      pb::PlanProgress* response) {
  return runtime_->Unary(context, "GetProgress", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(PlanProgressView view,
                          progress_.Progress(request->plan(), request->year(), request->include_submitted()));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<google::api::HttpBody>* IndicatorServiceImpl::DownloadProgress(
    CallbackServerContext* context, const pb::DownloadProgressRequest* request) {
  return NewFileDownload(
      runtime_, context, "DownloadProgress", [this, request](const Caller&) -> absl::StatusOr<TableBytes> {
        STIP_RETURN_IF_ERROR(CheckRequiredFields(*request));
        STIP_ASSIGN_OR_RETURN(PlanProgressView view,
                              progress_.Progress(request->plan(), request->year(), request->include_submitted()));
        bool xlsx = request->format() == type::v1::XLSX;
        return RenderTable(ProgressTable(view, *catalog_), xlsx ? TableFormat::kXlsx : TableFormat::kCsv);
      });
}

}  // namespace stip::indicators
