#include "services/evaluation/grpc/evaluation_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/paging.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/evaluation/domain/access_policy.h"
#include "services/evaluation/grpc/evaluation_convert.h"

namespace stip::evaluation {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

EvaluationServiceImpl::EvaluationServiceImpl(EvaluationStore* store, const rules::EditionRegistry* editions,
                                             std::set<std::string> org_units, ChangeNotifier* notifier,
                                             const RpcRuntime* runtime, YearRange years)
    : runtime_(runtime),
      carriers_(store, editions, std::move(org_units), notifier, years),
      documents_(store, notifier),
      assessments_(store, &carriers_, &documents_, notifier),
      performance_(store, &carriers_, &documents_, notifier) {}

ServerUnaryReactor* EvaluationServiceImpl::ListCarriers(CallbackServerContext* context,
                                                        const pb::ListCarriersRequest* request,
                                                        pb::ListCarriersResponse* response) {
  return runtime_->Unary(context, "ListCarriers", *request, [&](const Caller& caller) -> absl::Status {
    std::string query = absl::StrCat(request->kind(), "|", request->level(), "|", request->org_unit());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(CarrierFilter filter, FromProto(*request));
    STIP_ASSIGN_OR_RETURN(std::vector<Carrier> carriers, carriers_.List(caller, filter));
    response->set_next_page_token(FillPage(static_cast<int>(carriers.size()), page, query, [&](int i) {
      ToProto(CarrierView{carriers[i], false}, response->add_carriers());
    }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::GetCarrier(CallbackServerContext* context,
                                                      const pb::GetCarrierRequest* request, pb::Carrier* response) {
  return runtime_->Unary(context, "GetCarrier", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(CarrierView view, carriers_.Get(caller, request->name()));
    ToProto(view, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::CreateCarrier(CallbackServerContext* context,
                                                         const pb::CreateCarrierRequest* request,
                                                         pb::Carrier* response) {
  return runtime_->Create(context, "CreateCarrier", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(AccessPolicy::CanManage(caller));
    STIP_ASSIGN_OR_RETURN(Carrier carrier, FromProto(request->carrier()));
    if (!request->carrier_id().empty()) carrier.id = request->carrier_id();
    carrier.in_dongli = true;  // proto3 has no "unset" for a bool: carriers registered here are in Dongli
    STIP_ASSIGN_OR_RETURN(Carrier saved, carriers_.Create(caller, carrier));
    ToProto(CarrierView{saved, false}, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::UpdateCarrier(CallbackServerContext* context,
                                                         const pb::UpdateCarrierRequest* request,
                                                         pb::Carrier* response) {
  return runtime_->Unary(context, "UpdateCarrier", *request, [&](const Caller& caller) -> absl::Status {
    CarrierPatch patch;
    STIP_ASSIGN_OR_RETURN(patch.values, FromProto(request->carrier()));
    patch.paths.assign(request->update_mask().paths().begin(), request->update_mask().paths().end());
    patch.etag = request->carrier().etag();
    STIP_ASSIGN_OR_RETURN(Carrier saved, carriers_.Update(caller, request->carrier().name(), patch));
    ToProto(CarrierView{saved, false}, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::CreateAnnualReport(CallbackServerContext* context,
                                                              const pb::CreateAnnualReportRequest* request,
                                                              pb::AnnualReport* response) {
  return runtime_->Create(context, "CreateAnnualReport", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(AnnualReport saved,
                          carriers_.SaveReport(caller, request->parent(), FromProto(request->report()), true, ""));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::UpdateAnnualReport(CallbackServerContext* context,
                                                              const pb::UpdateAnnualReportRequest* request,
                                                              pb::AnnualReport* response) {
  return runtime_->Unary(context, "UpdateAnnualReport", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto key, YearChild(request->report().name(), "reports", "report.name"));
    // The merge reads the stored figures first; without the caller's etag, the stored one guards the write, so
    // a concurrent change to another figure is never overwritten (a lost race is retried on fresh figures).
    absl::StatusOr<AnnualReport> saved = absl::AbortedError("");
    for (int attempt = 0; attempt < 3 && absl::IsAborted(saved.status()); ++attempt) {
      pb::AnnualReport stored;
      STIP_ASSIGN_OR_RETURN(AnnualReport current, carriers_.GetReport(caller, key.first, key.second));
      ToProto(current, &stored);
      STIP_ASSIGN_OR_RETURN(pb::AnnualReport report,
                            ApplyReportMask(stored, request->report(), request->update_mask()));
      report.set_year(key.second);
      std::string etag = request->report().etag().empty() ? stored.etag() : request->report().etag();
      saved = carriers_.SaveReport(caller, absl::StrCat("carriers/", key.first), FromProto(report), false, etag);
      if (!request->report().etag().empty()) break;  // the caller's own etag: a mismatch is theirs to resolve
    }
    STIP_RETURN_IF_ERROR(saved.status());
    ToProto(*saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::GetAnnualReport(CallbackServerContext* context,
                                                           const pb::GetAnnualReportRequest* request,
                                                           pb::AnnualReport* response) {
  return runtime_->Unary(context, "GetAnnualReport", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto key, YearChild(request->name(), "reports", "name"));
    STIP_ASSIGN_OR_RETURN(AnnualReport report, carriers_.GetReport(caller, key.first, key.second));
    ToProto(report, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListAnnualReports(CallbackServerContext* context,
                                                             const pb::ListAnnualReportsRequest* request,
                                                             pb::ListAnnualReportsResponse* response) {
  return runtime_->Unary(context, "ListAnnualReports", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::vector<AnnualReport> reports, carriers_.ListReports(caller, request->parent()));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    response->set_next_page_token(FillPage(static_cast<int>(reports.size()), page, request->parent(),
                                           [&](int i) { ToProto(reports[i], response->add_reports()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::CheckRecognition(CallbackServerContext* context,
                                                            const pb::CheckRecognitionRequest* request,
                                                            pb::CheckRecognitionResponse* response) {
  return runtime_->Unary(context, "CheckRecognition", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(Carrier carrier, carriers_.Readable(caller, request->name()));
    STIP_ASSIGN_OR_RETURN(
        std::vector<RecognitionResult> results,
        carriers_.CheckRecognition(caller, carrier, request->year(), request->program(), request->edition()));
    response->set_carrier(absl::StrCat("carriers/", carrier.id));
    response->set_year(request->year());
    for (const RecognitionResult& result : results) ToProto(result, response->add_checks());
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListRuleEditions(CallbackServerContext* context,
                                                            const pb::ListRuleEditionsRequest* request,
                                                            pb::ListRuleEditionsResponse* response) {
  return runtime_->Unary(context, "ListRuleEditions", *request, [&](const Caller&) -> absl::Status {
    for (const auto& [edition, origin] : carriers_.RecognitionEditions(request->program())) {
      pb::RuleEditionInfo* info = response->add_editions();
      info->set_program(edition->program);
      info->set_edition(edition->edition);
      info->set_title(edition->title);
      info->set_document(edition->document);
      info->set_effective_from(edition->effective_from);
      info->set_provisional(edition->AnyProvisional());
      info->set_origin(origin);
      for (const std::string& note : edition->notes) info->add_notes(note);
    }
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListRubricVersions(CallbackServerContext* context,
                                                              const pb::ListRubricVersionsRequest* request,
                                                              pb::ListRubricVersionsResponse* response) {
  return runtime_->Unary(context, "ListRubricVersions", *request, [&](const Caller&) -> absl::Status {
    absl::string_view rubric = request->parent();
    absl::ConsumePrefix(&rubric, "rubrics/");
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    STIP_ASSIGN_OR_RETURN(std::vector<RubricVersion> versions, documents_.RubricVersions(rubric));
    if (versions.empty()) return NotFound("评价标准 rubric", request->parent());
    response->set_next_page_token(FillPage(static_cast<int>(versions.size()), page, request->parent(),
                                           [&](int i) { ToProto(versions[i], response->add_versions()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::GetRubricVersion(CallbackServerContext* context,
                                                            const pb::GetRubricVersionRequest* request,
                                                            pb::RubricVersion* response) {
  return runtime_->Unary(context, "GetRubricVersion", *request, [&](const Caller&) -> absl::Status {
    std::vector<std::string> parts = absl::StrSplit(request->name(), '/');
    if (parts.size() != 4 || parts[0] != "rubrics" || parts[2] != "versions") {
      return InvalidField("name", "应如 rubrics/liuyou/versions/1 或 rubrics/liuyou/versions/latest");
    }
    STIP_ASSIGN_OR_RETURN(RubricVersion version, documents_.RubricVersionNamed(parts[1], parts[3]));
    ToProto(version, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::CreateRubricVersion(CallbackServerContext* context,
                                                               const pb::CreateRubricVersionRequest* request,
                                                               pb::RubricVersion* response) {
  return runtime_->Create(
      context, "CreateRubricVersion", *request, response, [&](const Caller& caller) -> absl::Status {
        absl::string_view id = request->parent();
        absl::ConsumePrefix(&id, "rubrics/");
        STIP_ASSIGN_OR_RETURN(RubricVersion published,
                              documents_.PublishRubric(caller, FromProto(request->rubric_version(), id)));
        ToProto(published, response);
        return absl::OkStatus();
      });
}

ServerUnaryReactor* EvaluationServiceImpl::CreateAssessment(CallbackServerContext* context,
                                                            const pb::CreateAssessmentRequest* request,
                                                            pb::Assessment* response) {
  return runtime_->Create(context, "CreateAssessment", *request, response, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(AssessmentRecord saved,
                          assessments_.Assess(caller, request->parent(), FromProto(request->assessment())));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::GetAssessment(CallbackServerContext* context,
                                                         const pb::GetAssessmentRequest* request,
                                                         pb::Assessment* response) {
  return runtime_->Unary(context, "GetAssessment", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto key, ChildName(request->name(), "assessments", "name"));
    int64_t number = 0;
    if (!absl::SimpleAtoi(key.second, &number)) return NotFound("考核记录 assessment", request->name());
    STIP_ASSIGN_OR_RETURN(AssessmentRecord record, assessments_.Get(caller, key.first, number));
    ToProto(record, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListAssessments(CallbackServerContext* context,
                                                           const pb::ListAssessmentsRequest* request,
                                                           pb::ListAssessmentsResponse* response) {
  return runtime_->Unary(context, "ListAssessments", *request, [&](const Caller& caller) -> absl::Status {
    std::string query = absl::StrCat(request->parent(), "|", request->year());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(std::vector<AssessmentRecord> all,
                          assessments_.List(caller, request->parent(), request->year()));
    response->set_next_page_token(FillPage(static_cast<int>(all.size()), page, query,
                                           [&](int i) { ToProto(all[i], response->add_assessments()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::EvaluatePerformance(CallbackServerContext* context,
                                                               const pb::EvaluatePerformanceRequest* request,
                                                               pb::PerformanceEvaluation* response) {
  return runtime_->Unary(context, "EvaluatePerformance", *request, [&](const Caller& caller) -> absl::Status {
    PerformanceRequest evaluation{request->year(),
                                  {request->expert_scores().begin(), request->expert_scores().end()},
                                  request->scheme(),
                                  request->scheme_version(),
                                  request->etag()};
    STIP_ASSIGN_OR_RETURN(PerformanceRecord saved, performance_.Evaluate(caller, request->name(), evaluation));
    ToProto(saved, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::GetPerformanceEvaluation(CallbackServerContext* context,
                                                                    const pb::GetPerformanceEvaluationRequest* request,
                                                                    pb::PerformanceEvaluation* response) {
  return runtime_->Unary(context, "GetPerformanceEvaluation", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto key, YearChild(request->name(), "performanceEvaluations", "name"));
    STIP_ASSIGN_OR_RETURN(PerformanceRecord record, performance_.Get(caller, key.first, key.second));
    ToProto(record, response);
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListPerformanceEvaluations(
    CallbackServerContext* context, const pb::ListPerformanceEvaluationsRequest* request,
    pb::ListPerformanceEvaluationsResponse* response) {
  return runtime_->Unary(context, "ListPerformanceEvaluations", *request, [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::vector<PerformanceRecord> all, performance_.List(caller, request->parent()));
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    response->set_next_page_token(FillPage(static_cast<int>(all.size()), page, request->parent(),
                                           [&](int i) { ToProto(all[i], response->add_evaluations()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::ListPerformanceSchemeVersions(
    CallbackServerContext* context, const pb::ListPerformanceSchemeVersionsRequest* request,
    pb::ListPerformanceSchemeVersionsResponse* response) {
  return runtime_->Unary(context, "ListPerformanceSchemeVersions", *request, [&](const Caller&) -> absl::Status {
    absl::string_view id = request->parent();
    absl::ConsumePrefix(&id, "performanceSchemes/");
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    STIP_ASSIGN_OR_RETURN(std::vector<SchemeVersion> versions, documents_.SchemeVersions(id));
    response->set_next_page_token(FillPage(static_cast<int>(versions.size()), page, request->parent(),
                                           [&](int i) { ToProto(versions[i], response->add_versions()); }));
    return absl::OkStatus();
  });
}

ServerUnaryReactor* EvaluationServiceImpl::CreatePerformanceSchemeVersion(
    CallbackServerContext* context, const pb::CreatePerformanceSchemeVersionRequest* request,
    pb::PerformanceSchemeVersion* response) {
  return runtime_->Create(
      context, "CreatePerformanceSchemeVersion", *request, response, [&](const Caller& caller) -> absl::Status {
        absl::string_view id = request->parent();
        absl::ConsumePrefix(&id, "performanceSchemes/");
        STIP_ASSIGN_OR_RETURN(SchemeVersion published,
                              documents_.PublishScheme(caller, id, request->scheme_version().version(),
                                                       request->scheme_version().definition_json()));
        ToProto(published, response);
        return absl::OkStatus();
      });
}

ServerUnaryReactor* EvaluationServiceImpl::GetCarrierStatistics(CallbackServerContext* context,
                                                                const pb::GetCarrierStatisticsRequest* request,
                                                                pb::CarrierStatistics* response) {
  return runtime_->Unary(context, "GetCarrierStatistics", *request, [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(CarrierStats stats, performance_.Statistics(request->year(), request->since_year()));
    ToProto(stats, response);
    return absl::OkStatus();
  });
}

}  // namespace stip::evaluation
