#include "services/cultivation/grpc/cultivation_service.h"

#include "absl/strings/str_cat.h"
#include "common/file_download.h"
#include "common/paging.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/grpc/csv_stream.h"
#include "services/cultivation/grpc/cultivation_convert.h"
#include "services/cultivation/grpc/report_queries.h"

namespace stip::cultivation {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

CultivationServiceImpl::CultivationServiceImpl(CultivationStore* store, rules::EditionRegistry* registry,
                                               std::map<std::string, std::string> org_units, ChangeNotifier* notifier,
                                               const RpcRuntime* runtime, YearRange years)
    : store_(store),
      org_units_(std::move(org_units)),
      notifier_(notifier),
      runtime_(runtime),
      engine_(store, registry),
      registry_(store, registry, &org_units_, notifier, years),
      pipelines_(store, registry, &registry_, &engine_, notifier),
      editions_(registry, store, notifier),
      records_(store, &registry_, notifier),
      reviews_(store, registry, &registry_, notifier),
      queries_(&registry_, &engine_, &pipelines_) {}

// ------------------------------------------------------------------------------------------------ enterprises
ServerUnaryReactor* CultivationServiceImpl::CreateEnterprise(CallbackServerContext* context,
                                                             const pb::CreateEnterpriseRequest* request,
                                                             pb::Enterprise* response) {
  return runtime_->Unary(context, "CreateEnterprise", *request, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord record, FromProto(request->enterprise()));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord created, registry_.Create(caller, record, request->request_id()));
    ToProto(created, org_units_, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::GetEnterprise(CallbackServerContext* context,
                                                          const pb::GetEnterpriseRequest* request,
                                                          pb::Enterprise* response) {
  return runtime_->Unary(context, "GetEnterprise", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord record, registry_.Get(caller, uscc));
    ToProto(record, org_units_, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListEnterprises(CallbackServerContext* context,
                                                            const pb::ListEnterprisesRequest* request,
                                                            pb::ListEnterprisesResponse* response) {
  return runtime_->Unary(context, "ListEnterprises", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string org_unit, CultivationAccess::ScopedOrgUnit(caller, request->org_unit()));
    STIP_ASSIGN_OR_RETURN(EnterpriseStatus status, FromProto(request->status(), "status"));
    std::string query = absl::StrCat(org_unit, "|", request->status());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(EnterprisePage found, registry_.List(caller, org_unit, status, page.offset, page.size));
    for (const EnterpriseRecord& r : found.records) ToProto(r, org_units_, response->add_enterprises());
    response->set_total_size(found.total);
    response->set_next_page_token(NextPageToken(page, static_cast<int>(found.records.size()), query));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::UpdateEnterprise(CallbackServerContext* context,
                                                             const pb::UpdateEnterpriseRequest* request,
                                                             pb::Enterprise* response) {
  return runtime_->Unary(context, "UpdateEnterprise", *request, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->enterprise().name(), "enterprise.name"));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord incoming, FromProto(request->enterprise()));
    incoming.uscc = uscc;
    std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
    STIP_ASSIGN_OR_RETURN(
        EnterpriseRecord written,
        registry_.Update(caller, incoming, paths, request->enterprise().etag(), request->status_effective_date()));
    ToProto(written, org_units_, response);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------------------------------- filings
ServerUnaryReactor* CultivationServiceImpl::CreateFiling(CallbackServerContext* context,
                                                         const pb::CreateFilingRequest* request, pb::Filing* response) {
  return runtime_->Create(context, "CreateFiling", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(FilingRecord written, registry_.CreateFiling(caller, uscc, request->filing().year(),
                                                                       FilingDataOf(request->filing())));
    ToProto(written, response);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------------------------------- records
ServerUnaryReactor* CultivationServiceImpl::CreateRecord(CallbackServerContext* context,
                                                         const pb::CreateRecordRequest* request, pb::Record* response) {
  return runtime_->Create(context, "CreateRecord", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(DatedRecord record, FromProto(request->record()));
    STIP_ASSIGN_OR_RETURN(DatedRecord stored, records_.Create(caller, uscc, std::move(record)));
    ToProto(stored, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListRecords(CallbackServerContext* context,
                                                        const pb::ListRecordsRequest* request,
                                                        pb::ListRecordsResponse* response) {
  return runtime_->Unary(context, "ListRecords", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(RecordKind kind, FromProto(request->kind(), "kind"));
    STIP_ASSIGN_OR_RETURN(RecordList list, records_.List(caller, uscc, kind));
    for (const DatedRecord& r : list.records) ToProto(r, response->add_records());
    for (const std::string& flag : list.legacy_flags) response->add_legacy_flags(flag);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::DeleteRecord(CallbackServerContext* context,
                                                         const pb::DeleteRecordRequest* request,
                                                         google::protobuf::Empty* /*response*/) {
  return runtime_->Unary(context, "DeleteRecord", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, RecordId(request->name(), "name"));
    return records_.Delete(caller, id.first, id.second);
  });
}

ServerUnaryReactor* CultivationServiceImpl::GetFiling(CallbackServerContext* context,
                                                      const pb::GetFilingRequest* request, pb::Filing* response) {
  return runtime_->Unary(context, "GetFiling", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, FilingId(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(FilingRecord filing, registry_.GetFiling(caller, id.first, id.second));
    ToProto(filing, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListFilings(CallbackServerContext* context,
                                                        const pb::ListFilingsRequest* request,
                                                        pb::ListFilingsResponse* response) {
  return runtime_->Unary(context, "ListFilings", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(std::vector<FilingRecord> filings, registry_.ListFilings(caller, uscc));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), uscc));
    response->set_next_page_token(FillPage(static_cast<int>(filings.size()), page, uscc,
                                           [&](int i) { ToProto(filings[i], response->add_filings()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::UpdateFiling(CallbackServerContext* context,
                                                         const pb::UpdateFilingRequest* request, pb::Filing* response) {
  return runtime_->Unary(context, "UpdateFiling", *request, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(auto id, FilingId(request->filing().name(), "filing.name"));
    FilingPatch patch{FilingDataOf(request->filing()),
                      {request->update_mask().paths().begin(), request->update_mask().paths().end()}};
    STIP_ASSIGN_OR_RETURN(
        FilingRecord written,
        registry_.UpdateFiling(caller, id.first, id.second, patch, request->allow_missing(), request->filing().etag()));
    ToProto(written, response);
    return absl::OkStatus();
  });
}

// -------------------------------------------------------------------------------------------------------- CSV
ServerUnaryReactor* CultivationServiceImpl::GetCsvTemplate(CallbackServerContext* context,
                                                           const pb::GetCsvTemplateRequest* request,
                                                           pb::CsvChunk* response) {
  return runtime_->Unary(context, "GetCsvTemplate", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(CsvKindCode kind, FromProto(request->kind(), "kind"));
    response->set_data("\xEF\xBB\xBF" + CsvTemplate(kind));
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<pb::ImportCsvRequest>* CultivationServiceImpl::ImportCsv(CallbackServerContext* context,
                                                                                 pb::ImportCsvResponse* response) {
  return NewImportReactor(runtime_, context, &registry_, store_, notifier_, response);
}

grpc::ServerWriteReactor<pb::CsvChunk>* CultivationServiceImpl::ExportCsv(CallbackServerContext* context,
                                                                          const pb::ExportCsvRequest* request) {
  return NewExportReactor(runtime_, context, &registry_, store_, request);
}

grpc::ServerWriteReactor<google::api::HttpBody>* CultivationServiceImpl::DownloadCsv(
    CallbackServerContext* context, const pb::DownloadCsvRequest* request) {
  return NewDownloadReactor(runtime_, context, &registry_, store_, request);
}

// ---------------------------------------------------------------------------------------------- rule editions
ServerUnaryReactor* CultivationServiceImpl::ListRuleEditions(CallbackServerContext* context,
                                                             const pb::ListRuleEditionsRequest* request,
                                                             pb::ListRuleEditionsResponse* response) {
  return runtime_->Unary(context, "ListRuleEditions", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->program()));
    std::vector<EditionView> views = editions_.List(request->program());
    response->set_next_page_token(FillPage(static_cast<int>(views.size()), page, request->program(),
                                           [&](int i) { ToProto(views[i], response->add_editions()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::GetRuleEdition(CallbackServerContext* context,
                                                           const pb::GetRuleEditionRequest* request,
                                                           pb::RuleEdition* response) {
  return runtime_->Unary(context, "GetRuleEdition", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, EditionId(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(EditionView view, editions_.Get(id.first, id.second));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::CreateRuleEdition(CallbackServerContext* context,
                                                              const pb::CreateRuleEditionRequest* request,
                                                              pb::RuleEdition* response) {
  return runtime_->Create(context, "CreateRuleEdition", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanPublishEditions(caller));
    STIP_ASSIGN_OR_RETURN(std::string program, ProgramId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(EditionView view, editions_.Publish(caller, program, request->edition().json()));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

// ------------------------------------------------------------------------------------------------- evaluation
ServerUnaryReactor* CultivationServiceImpl::EvaluateEnterprise(CallbackServerContext* context,
                                                               const pb::EvaluateEnterpriseRequest* request,
                                                               pb::Evaluation* response) {
  return runtime_->Unary(context, "EvaluateEnterprise", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    STIP_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> as_of, OptionalDate(request->as_of_date(), "as_of_date"));
    STIP_ASSIGN_OR_RETURN(int fiscal_year, FiscalYearOf(request->application_year(), request->year()));
    STIP_ASSIGN_OR_RETURN(Cohort cohort, registry_.CohortOf(caller, uscc));
    STIP_ASSIGN_OR_RETURN(EvaluationResult result,
                          engine_.Evaluate(cohort, request->program(), request->edition(), fiscal_year, as_of));
    ToProto(result, uscc, request->program(), fiscal_year, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::AnalyzeGap(CallbackServerContext* context,
                                                       const pb::AnalyzeGapRequest* request,
                                                       pb::GapAnalysis* response) {
  return runtime_->Unary(context, "AnalyzeGap", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    if (!request->target_program().empty() && !IsProgram(request->target_program())) {
      return InvalidField("target_program", "未知的培育项目");
    }
    STIP_ASSIGN_OR_RETURN(Cohort cohort, registry_.CohortOf(caller, uscc));
    STIP_ASSIGN_OR_RETURN(int fiscal_year, FiscalYearOf(request->application_year(), request->year()));
    STIP_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> as_of, OptionalDate(request->as_of_date(), "as_of_date"));
    STIP_ASSIGN_OR_RETURN(GapResult gap, engine_.Gap(cohort, fiscal_year, request->target_program(), as_of));
    ToProto(gap, uscc, response);
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------------------------------------------- pipeline
ServerUnaryReactor* CultivationServiceImpl::GetPipeline(CallbackServerContext* context,
                                                        const pb::GetPipelineRequest* request, pb::Pipeline* response) {
  return runtime_->Unary(context, "GetPipeline", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(PipelineView view, pipelines_.Get(caller, id.first, id.second));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListPipelines(CallbackServerContext* context,
                                                          const pb::ListPipelinesRequest* request,
                                                          pb::ListPipelinesResponse* response) {
  return runtime_->Unary(context, "ListPipelines", *request, [&](const Caller& caller) -> absl::Status {
    std::string uscc;
    if (request->parent() != "enterprises/-") {
      STIP_ASSIGN_OR_RETURN(uscc, EnterpriseId(request->parent(), "parent"));
    }
    STIP_ASSIGN_OR_RETURN(Stage stage, FromProto(request->stage(), "stage"));
    STIP_ASSIGN_OR_RETURN(std::string org_unit, CultivationAccess::ScopedOrgUnit(caller, request->org_unit()));
    std::string query = absl::StrCat(uscc, "|", request->program(), "|", request->stage(), "|", org_unit);
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(std::vector<PipelineView> views,
                          pipelines_.List(caller, uscc, request->program(), stage, org_unit, page.offset, page.size));
    for (const PipelineView& view : views) ToProto(view, response->add_pipelines());
    response->set_next_page_token(NextPageToken(page, static_cast<int>(views.size()), query));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::TransitionPipeline(CallbackServerContext* context,
                                                               const pb::TransitionPipelineRequest* request,
                                                               pb::Pipeline* response) {
  return runtime_->Unary(context, "TransitionPipeline", *request, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->name(), "name"));
    STIP_ASSIGN_OR_RETURN(TransitionRequest transition, FromProto(*request));
    STIP_ASSIGN_OR_RETURN(PipelineView view, pipelines_.Transition(caller, id.first, id.second, transition));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListPipelineEvents(CallbackServerContext* context,
                                                               const pb::ListPipelineEventsRequest* request,
                                                               pb::ListPipelineEventsResponse* response) {
  return runtime_->Unary(context, "ListPipelineEvents", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    STIP_ASSIGN_OR_RETURN(std::vector<PipelineEventRecord> events,
                          pipelines_.Events(caller, id.first, id.second, page.offset, page.size));
    for (const PipelineEventRecord& e : events) ToProto(e, response->add_events());
    response->set_next_page_token(NextPageToken(page, static_cast<int>(events.size()), request->parent()));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ScreenEnterprises(CallbackServerContext* context,
                                                              const pb::ScreenEnterprisesRequest* request,
                                                              pb::ScreenEnterprisesResponse* response) {
  return runtime_->Unary(context, "ScreenEnterprises", *request, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
    STIP_ASSIGN_OR_RETURN(ScreenResult result, queries_.Screen(caller, *request, /*report=*/false));
    ToProto(result, response);
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------------------------------------------- 年度复评
ServerUnaryReactor* CultivationServiceImpl::ReviewTier(CallbackServerContext* context,
                                                       const pb::ReviewTierRequest* request,
                                                       pb::ReviewTierResponse* response) {
  return runtime_->Unary(context, "ReviewTier", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string program, ProgramId(request->program(), "program"));
    STIP_RETURN_IF_ERROR(registry_.years().Check(request->application_year() - 1, "application_year", "2022"));
    STIP_ASSIGN_OR_RETURN(ReviewSummary summary, reviews_.Run(caller, program, request->application_year(),
                                                              request->org_unit(), request->dry_run()));
    ToProto(summary, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::ListTierEvaluations(CallbackServerContext* context,
                                                                const pb::ListTierEvaluationsRequest* request,
                                                                pb::ListTierEvaluationsResponse* response) {
  return runtime_->Unary(context, "ListTierEvaluations", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_ASSIGN_OR_RETURN(std::vector<TierEvaluationView> views, reviews_.List(caller, uscc));
    for (const TierEvaluationView& view : views) ToProto(view, response->add_evaluations());
    return absl::OkStatus();
  });
}

// ------------------------------------------------------------------------------------- alerts and statistics
ServerUnaryReactor* CultivationServiceImpl::ListAlerts(CallbackServerContext* context,
                                                       const pb::ListAlertsRequest* request,
                                                       pb::ListAlertsResponse* response) {
  return runtime_->Unary(context, "ListAlerts", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(AlertQuery query, queries_.Alerts(caller, *request));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query.page_key));
    response->set_next_page_token(FillPage(static_cast<int>(query.alerts.size()), page, query.page_key,
                                           [&](int i) { ToProto(query.alerts[i], response->add_alerts()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::GetPipelineStatistics(CallbackServerContext* context,
                                                                  const pb::GetPipelineStatisticsRequest* request,
                                                                  pb::PipelineStatistics* response) {
  return runtime_->Unary(context, "GetPipelineStatistics", *request, [&](const Caller& caller) -> absl::Status {
    std::string org_unit;
    STIP_ASSIGN_OR_RETURN(std::vector<StageCount> counts, queries_.Stages(caller, *request, &org_unit));
    for (const StageCount& c : counts) ToProto(c, response->add_counts());
    return absl::OkStatus();
  });
}

ServerUnaryReactor* CultivationServiceImpl::GetTierStatistics(CallbackServerContext* context,
                                                              const pb::GetTierStatisticsRequest* request,
                                                              pb::TierStatistics* response) {
  return runtime_->Unary(context, "GetTierStatistics", *request, [&](const Caller& caller) -> absl::Status {
    std::string org_unit;
    STIP_ASSIGN_OR_RETURN(TierCounts counts, queries_.Tiers(caller, *request, &org_unit));
    ToProto(counts, request->year(), org_unit, response);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<google::api::HttpBody>* CultivationServiceImpl::DownloadReport(
    CallbackServerContext* context, const pb::DownloadReportRequest* request) {
  return NewFileDownload(runtime_, context, "DownloadReport",
                         [this, request](const Caller& caller) { return queries_.Download(caller, *request); });
}

}  // namespace stip::cultivation
