#include "services/cultivation/domain/pipeline_service.h"

#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/domain/pipeline.h"
#include "services/cultivation/domain/tier_review.h"

namespace stip::cultivation {
namespace {

// The state machine and the dates, checked inside the store's transaction against the current pipeline.
absl::Status CheckMove(const std::optional<PipelineRecord>& current, const TransitionSpec& spec) {
  Stage from = current ? current->stage : Stage::kNone;
  STIP_RETURN_IF_ERROR(CheckTransition(from, spec.to, spec.withdrawal_reason, spec.reason));
  if (current && spec.effective_date < current->effective_date) {
    return absl::InvalidArgumentError(absl::StrCat("生效日期 ", spec.effective_date, " 早于当前阶段“", StageName(from),
                                                   "”的生效日期 ", current->effective_date, " (effective_date)"));
  }
  return absl::OkStatus();
}

}  // namespace

TransitionCheck TransitionCheckFor(const TransitionSpec& spec) {
  return [spec](const std::optional<PipelineRecord>& current) { return CheckMove(current, spec); };
}

PipelineView PipelineService::Labelled(PipelineRecord record) const {
  PipelineView view{std::move(record), false, ""};
  if (view.record.valid_until.empty()) return view;
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition =
      editions_->Find(view.record.program, view.record.edition, 0);
  const rules::RuleEdition* used = view.record.edition.empty() || !edition.ok() ? nullptr : edition->get();
  view.validity_provisional = ValidityProvisional(used);
  view.validity_note =
      used != nullptr ? used->validity_note : std::string("认定时没有可用的规则版本，有效期按默认1年计算（暂定）");
  return view;
}

absl::StatusOr<PipelineView> PipelineService::Get(const Caller& caller, const std::string& uscc,
                                                  const std::string& program) const {
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> pipeline, store_->GetPipeline(uscc, program));
  if (!pipeline)
    return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 尚未进入", ProgramTitle(program), "培育流程"));
  return Labelled(*pipeline);
}

absl::StatusOr<std::vector<PipelineView>> PipelineService::List(const Caller& caller, const std::string& uscc,
                                                                const std::string& program, Stage stage,
                                                                const std::string& org_unit, int offset,
                                                                int limit) const {
  if (!uscc.empty()) STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  STIP_ASSIGN_OR_RETURN(std::string scoped, CultivationAccess::ScopedOrgUnit(caller, org_unit));
  STIP_ASSIGN_OR_RETURN(std::vector<PipelineRecord> records,
                        store_->ListPipelines(uscc, program, stage, scoped, offset, limit));
  std::vector<PipelineView> views;
  views.reserve(records.size());
  for (PipelineRecord& record : records) views.push_back(Labelled(std::move(record)));
  return views;
}

// 认定: the certificate runs for the validity years of the edition in force for the data year (1 when the edition
// says none: provisional, and labelled so).
void PipelineService::Certify(const std::string& program, absl::CivilDay issued, TransitionSpec& spec) const {
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = editions_->Find(program, "", spec.year);
  int years = edition.ok() && (*edition)->validity_years ? *(*edition)->validity_years : 1;
  if (edition.ok()) spec.edition = (*edition)->edition;
  spec.cert_issue_date = FormatDate(issued);
  spec.valid_until = FormatDate(AddYears(issued, years));
}

absl::StatusOr<PipelineView> PipelineService::Transition(const Caller& caller, const std::string& uscc,
                                                         const std::string& program, const TransitionRequest& request) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  if (request.to == Stage::kNone) return InvalidField("to_stage", "须指明目标阶段");
  STIP_RETURN_IF_ERROR(CultivationAccess::CanMoveTo(caller, request.to));
  TransitionSpec spec;
  spec.to = request.to;
  spec.reason = request.reason;
  spec.withdrawal_reason = request.withdrawal_reason;
  spec.effective_date = request.effective_date.empty() ? TodayText() : request.effective_date;
  std::optional<absl::CivilDay> effective = ParseDate(spec.effective_date);
  if (!effective) return InvalidField("effective_date", "日期格式应为YYYY-MM-DD");
  spec.year = request.year != 0 ? request.year : static_cast<int>(effective->year()) - 1;
  spec.actor = caller.subject;
  if (request.to == Stage::kCertified) {
    std::optional<absl::CivilDay> issued =
        ParseDate(request.certificate_issue_date.empty() ? spec.effective_date : request.certificate_issue_date);
    if (!issued) return InvalidField("certificate_issue_date", "日期格式应为YYYY-MM-DD");
    Certify(program, *issued, spec);
  }
  STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(request.etag));
  STIP_ASSIGN_OR_RETURN(PipelineRecord written,
                        store_->Transition(uscc, program, spec, expected, TransitionCheckFor(spec)));
  if (request.to == Stage::kPooled && HasAnnualReview(program)) {
    // 入库 = passed the programme's evaluation in that application year ("首次通过评价" is read from these).
    absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition =
        editions_->FindInForce(program, "", spec.effective_date);
    STIP_RETURN_IF_ERROR(store_->PutTierEvaluation({uscc, program, spec.year + 1, TierOutcome::kPassed,
                                                    edition.ok() ? rules::EditionKey(program, (*edition)->edition) : "",
                                                    "通过评价入库", caller.subject, NowMicros()}));
  }
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
  return Labelled(std::move(written));
}

absl::StatusOr<std::vector<PipelineEventRecord>> PipelineService::Events(const Caller& caller, const std::string& uscc,
                                                                         const std::string& program, int offset,
                                                                         int limit) const {
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  return store_->ListEvents(uscc, program, offset, limit);
}

absl::StatusOr<ScreenResult> PipelineService::Screen(const Caller& caller, const ScreenRequest& request) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_ASSIGN_OR_RETURN(std::string org_unit, CultivationAccess::ScopedOrgUnit(caller, request.org_unit));
  std::string effective = request.effective_date.empty() ? TodayText() : request.effective_date;
  if (!ParseDate(effective)) return InvalidField("effective_date", "日期格式应为YYYY-MM-DD");
  ScreenRequest scoped = request;
  scoped.org_unit = org_unit;
  scoped.effective_date = effective;
  STIP_ASSIGN_OR_RETURN(ScreenResult result, engine_->Screen(scoped, caller.subject));
  if (!request.dry_run && result.screened > 0 && notifier_ != nullptr) notifier_->Publish("cultivation");
  return result;
}

}  // namespace stip::cultivation
