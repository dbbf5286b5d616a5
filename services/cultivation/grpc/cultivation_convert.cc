#include "services/cultivation/grpc/cultivation_convert.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/enum_table.h"
#include "common/etag.h"
#include "common/rules/criterion_proto.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/cultivation/domain/uscc.h"

namespace stip::cultivation {
namespace {

constexpr auto kStatuses =
    MakeEnumTable<EnterpriseStatus, pb::EnterpriseStatus>({{EnterpriseStatus::kActive, pb::ACTIVE},
                                                           {EnterpriseStatus::kMovedOut, pb::MOVED_OUT},
                                                           {EnterpriseStatus::kDeregistered, pb::DEREGISTERED}});
static_assert(kStatuses.Bijective() && kStatuses.size() + 1 == pb::EnterpriseStatus_ARRAYSIZE);

constexpr auto kStages = MakeEnumTable<Stage, pb::Stage>({{Stage::kScreened, pb::SCREENED},
                                                          {Stage::kPooled, pb::POOLED},
                                                          {Stage::kCultivating, pb::CULTIVATING},
                                                          {Stage::kCertified, pb::CERTIFIED},
                                                          {Stage::kExpired, pb::EXPIRED},
                                                          {Stage::kWithdrawn, pb::WITHDRAWN}});
static_assert(kStages.Bijective() && kStages.size() + 1 == pb::Stage_ARRAYSIZE);

constexpr auto kReasons = MakeEnumTable<WithdrawalReason, pb::WithdrawalReason>(
    {{WithdrawalReason::kMovedOut, pb::REASON_MOVED_OUT},
     {WithdrawalReason::kDeregistered, pb::REASON_DEREGISTERED},
     {WithdrawalReason::kLostQualification, pb::REASON_LOST_QUALIFICATION},
     {WithdrawalReason::kOther, pb::REASON_OTHER}});
static_assert(kReasons.Bijective() && kReasons.size() + 1 == pb::WithdrawalReason_ARRAYSIZE);

constexpr auto kCsvKinds = MakeEnumTable<CsvKindCode, pb::CsvKind>({{CsvKindCode::kEnterprises, pb::ENTERPRISES},
                                                                    {CsvKindCode::kFilings, pb::FILINGS},
                                                                    {CsvKindCode::kRecords, pb::RECORDS}});
static_assert(kCsvKinds.Bijective() && kCsvKinds.size() + 1 == pb::CsvKind_ARRAYSIZE);

constexpr auto kAlertKinds =
    MakeEnumTable<AlertKindCode, pb::AlertKind>({{AlertKindCode::kAll, pb::ALERT_KIND_UNSPECIFIED},
                                                 {AlertKindCode::kCertificateExpiring, pb::CERTIFICATE_EXPIRING},
                                                 {AlertKindCode::kFilingMissing, pb::FILING_MISSING},
                                                 {AlertKindCode::kNoLongerEligible, pb::NO_LONGER_ELIGIBLE}});
static_assert(kAlertKinds.Bijective() && kAlertKinds.size() == pb::AlertKind_ARRAYSIZE);

constexpr auto kRecordKinds =
    MakeEnumTable<RecordKind, pb::RecordKind>({{RecordKind::kUnspecified, pb::RECORD_KIND_UNSPECIFIED},
                                               {RecordKind::kCertificate, pb::CERTIFICATE},
                                               {RecordKind::kAward, pb::AWARD},
                                               {RecordKind::kContest, pb::CONTEST},
                                               {RecordKind::kStandard, pb::STANDARD},
                                               {RecordKind::kPlanProject, pb::PLAN_PROJECT},
                                               {RecordKind::kRdInstitution, pb::RD_INSTITUTION},
                                               {RecordKind::kVentureInvestment, pb::VENTURE_INVESTMENT},
                                               {RecordKind::kViolation, pb::VIOLATION}});
static_assert(kRecordKinds.Bijective() && kRecordKinds.size() == pb::RecordKind_ARRAYSIZE);

constexpr auto kTierOutcomes =
    MakeEnumTable<TierOutcome, pb::TierOutcome>({{TierOutcome::kPassed, pb::PASSED},
                                                 {TierOutcome::kReviewPassed, pb::REVIEW_PASSED},
                                                 {TierOutcome::kReviewFailed, pb::REVIEW_FAILED}});
static_assert(kTierOutcomes.Bijective() && kTierOutcomes.size() + 1 == pb::TierOutcome_ARRAYSIZE);

template <typename Domain, typename Table, typename Wire>
absl::StatusOr<Domain> Decode(const Table& table, Wire value, absl::string_view field, std::optional<Domain> unset) {
  if (static_cast<int>(value) == 0 && unset) return *unset;
  if (std::optional<Domain> known = table.FromWire(value)) return *known;
  return InvalidField(std::string(field), absl::StrCat("未定义的取值 ", static_cast<int>(value)));
}

void SetTime(google::protobuf::Timestamp* out, int64_t micros) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

absl::StatusOr<std::vector<std::string>> SplitName(absl::string_view name,
                                                   const std::vector<absl::string_view>& collections,
                                                   absl::string_view field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  bool ok = parts.size() == collections.size() * 2;
  for (size_t i = 0; ok && i < collections.size(); ++i)
    ok = parts[2 * i] == collections[i] && !parts[2 * i + 1].empty();
  if (!ok) return InvalidField(std::string(field), absl::StrCat("资源名格式错误：", name));
  std::vector<std::string> ids;
  for (size_t i = 0; i < collections.size(); ++i) ids.push_back(parts[2 * i + 1]);
  return ids;
}

std::string EditionName(const std::string& program, const std::string& edition) {
  return absl::StrCat("programs/", program, "/editions/", edition);
}

// "program/edition" as the engine names editions → the resource name.
std::string EditionResource(const std::string& key) {
  size_t slash = key.find('/');
  return EditionName(key.substr(0, slash), slash == std::string::npos ? "" : key.substr(slash + 1));
}

}  // namespace

absl::StatusOr<std::string> EnterpriseId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises"}, field));
  std::string uscc = NormalizeUscc(ids[0]);
  STIP_RETURN_IF_ERROR(ValidateUscc(uscc));
  return uscc;
}

absl::StatusOr<std::pair<std::string, int>> FilingId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises", "filings"}, field));
  int year = 0;
  if (!absl::SimpleAtoi(ids[1], &year)) return InvalidField(std::string(field), "年度应为四位年份");
  return std::make_pair(NormalizeUscc(ids[0]), year);
}

absl::StatusOr<std::pair<std::string, std::string>> PipelineId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises", "pipelines"}, field));
  std::string uscc = NormalizeUscc(ids[0]);
  STIP_RETURN_IF_ERROR(ValidateUscc(uscc));
  if (!IsProgram(ids[1])) return InvalidField(std::string(field), "未知的培育项目：" + ids[1]);
  return std::make_pair(uscc, ids[1]);
}

absl::StatusOr<std::string> ProgramId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"programs"}, field));
  return ids[0];
}

absl::StatusOr<std::pair<std::string, std::string>> EditionId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"programs", "editions"}, field));
  return std::make_pair(ids[0], ids[1]);
}

absl::StatusOr<EnterpriseStatus> FromProto(pb::EnterpriseStatus status, absl::string_view field) {
  return Decode<EnterpriseStatus>(kStatuses, status, field, EnterpriseStatus::kUnspecified);
}
absl::StatusOr<Stage> FromProto(pb::Stage stage, absl::string_view field) {
  return Decode<Stage>(kStages, stage, field, Stage::kNone);
}
absl::StatusOr<WithdrawalReason> FromProto(pb::WithdrawalReason reason, absl::string_view field) {
  return Decode<WithdrawalReason>(kReasons, reason, field, WithdrawalReason::kUnspecified);
}
absl::StatusOr<CsvKindCode> FromProto(pb::CsvKind kind, absl::string_view field) {
  return Decode<CsvKindCode>(kCsvKinds, kind, field, std::nullopt);
}
absl::StatusOr<int> FiscalYearOf(int application_year, int year) {
  if (application_year == 0) return year;
  if (year != 0 && year != application_year - 1) {
    return InvalidField("year", absl::StrCat("year（数据年度）应为申报年度的上一年 ", application_year - 1,
                                             "；只填 application_year 即可"));
  }
  return application_year - 1;
}

absl::StatusOr<RecordKind> FromProto(pb::RecordKind kind, absl::string_view field) {
  return Decode<RecordKind>(kRecordKinds, kind, field, RecordKind::kUnspecified);
}

absl::StatusOr<std::pair<std::string, std::string>> RecordId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises", "records"}, field));
  std::string uscc = NormalizeUscc(ids[0]);
  STIP_RETURN_IF_ERROR(ValidateUscc(uscc));
  return std::make_pair(uscc, ids[1]);
}

absl::StatusOr<DatedRecord> FromProto(const pb::Record& p) {
  DatedRecord r;
  STIP_ASSIGN_OR_RETURN(r.kind, FromProto(p.kind(), "record.kind"));
  r.type = p.type();
  r.level = p.level();
  r.year = p.year();
  r.rank = p.rank();
  r.prize = p.prize();
  r.role = p.role();
  r.number = p.number();
  r.start_date = p.start_date();
  r.end_date = p.end_date();
  r.amount = p.amount();
  r.investor = p.investor();
  r.title = p.title();
  return r;
}

void ToProto(const DatedRecord& r, pb::Record* out) {
  out->set_name(absl::StrCat("enterprises/", r.uscc, "/records/", r.id));
  out->set_kind(kRecordKinds.ToWire(r.kind, pb::RECORD_KIND_UNSPECIFIED));
  out->set_type(r.type);
  out->set_level(r.level);
  out->set_year(r.year);
  out->set_rank(r.rank);
  out->set_prize(r.prize);
  out->set_role(r.role);
  out->set_number(r.number);
  out->set_start_date(r.start_date);
  out->set_end_date(r.end_date);
  out->set_amount(r.amount);
  out->set_investor(r.investor);
  out->set_title(r.title);
  out->set_kind_display_name(RecordKindName(r.kind));
  out->set_description(RecordText(r));
  if (r.create_micros > 0) SetTime(out->mutable_create_time(), r.create_micros);
}

void ToProto(const TierEvaluationView& view, pb::TierEvaluation* out) {
  const TierEvaluationRecord& r = view.record;
  out->set_enterprise("enterprises/" + r.uscc);
  out->set_program(r.program);
  out->set_year(r.year);
  out->set_outcome(kTierOutcomes.ToWire(r.outcome, pb::TIER_OUTCOME_UNSPECIFIED));
  out->set_first_pass(view.first_pass);
  out->set_edition(r.edition.empty() ? "" : EditionResource(r.edition));
  out->set_reason(r.reason);
  out->set_actor(r.actor);
  if (r.time_micros > 0) SetTime(out->mutable_time(), r.time_micros);
}

void ToProto(const ReviewSummary& summary, pb::ReviewTierResponse* out) {
  out->set_edition(EditionResource(summary.edition));
  out->set_reviewed(summary.reviewed);
  out->set_passed(summary.passed);
  out->set_failed(summary.failed);
  out->set_missing_data(summary.missing_data);
  for (const TierEvaluationView& view : summary.evaluations) ToProto(view, out->add_evaluations());
}

absl::StatusOr<AlertKindCode> FromProto(pb::AlertKind kind, absl::string_view field) {
  return Decode<AlertKindCode>(kAlertKinds, kind, field, AlertKindCode::kAll);
}

absl::StatusOr<EnterpriseRecord> FromProto(const pb::Enterprise& e) {
  EnterpriseRecord r;
  r.uscc = NormalizeUscc(e.uscc());
  if (r.uscc.empty() && !e.name().empty()) {
    STIP_ASSIGN_OR_RETURN(r.uscc, EnterpriseId(e.name(), "enterprise.name"));
  }
  r.name = e.display_name();
  r.registration_date = e.registration_date();
  r.org_unit = e.org_unit();
  r.industry = e.industry();
  r.tech_field = e.tech_field();
  STIP_ASSIGN_OR_RETURN(r.status, FromProto(e.status(), "enterprise.status"));
  if (r.status == EnterpriseStatus::kUnspecified) r.status = EnterpriseStatus::kActive;
  if (e.has_independent_legal_person()) r.facts.independent_legal_person = e.independent_legal_person();
  if (e.has_resident_enterprise()) r.facts.resident_enterprise = e.resident_enterprise();
  if (e.has_registered_in_tianjin()) r.facts.registered_in_tianjin = e.registered_in_tianjin();
  if (e.has_prohibited_catalogue()) r.facts.prohibited_catalogue = e.prohibited_catalogue();
  return r;
}

FilingData FilingDataOf(const pb::Filing& filing) {
  FilingData data;
  const google::protobuf::Descriptor* descriptor = filing.GetDescriptor();
  const google::protobuf::Reflection* reflection = filing.GetReflection();
  for (const FilingField& field : FilingFields()) {
    const google::protobuf::FieldDescriptor* fd = descriptor->FindFieldByName(field.key);
    if (fd == nullptr || !reflection->HasField(filing, fd)) continue;
    switch (fd->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_INT64: data[field.key] = reflection->GetInt64(filing, fd); break;
      case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: data[field.key] = reflection->GetBool(filing, fd); break;
      case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
        data[field.key] = reflection->GetString(filing, fd);
        break;
      default: break;
    }
  }
  return data;
}

absl::StatusOr<TransitionRequest> FromProto(const pb::TransitionPipelineRequest& request) {
  TransitionRequest out;
  STIP_ASSIGN_OR_RETURN(out.to, FromProto(request.to_stage(), "to_stage"));
  STIP_ASSIGN_OR_RETURN(out.withdrawal_reason, FromProto(request.withdrawal_reason(), "withdrawal_reason"));
  out.reason = request.reason();
  out.effective_date = request.effective_date();
  out.year = request.year();
  out.certificate_issue_date = request.certificate_issue_date();
  out.etag = request.etag();
  return out;
}

void ToProto(const EnterpriseRecord& r, const std::map<std::string, std::string>& units, pb::Enterprise* out) {
  out->set_name("enterprises/" + r.uscc);
  out->set_uscc(r.uscc);
  out->set_display_name(r.name);
  out->set_registration_date(r.registration_date);
  out->set_org_unit(r.org_unit);
  out->set_industry(r.industry);
  out->set_tech_field(r.tech_field);
  out->set_status(kStatuses.ToWire(r.status, pb::ENTERPRISE_STATUS_UNSPECIFIED));
  out->set_etag(EtagOf(r.version));
  SetTime(out->mutable_create_time(), r.create_micros);
  SetTime(out->mutable_update_time(), r.update_micros);
  auto unit = units.find(r.org_unit);
  out->set_org_unit_display_name(unit == units.end() ? "" : unit->second);
  out->set_status_display_name(EnterpriseStatusName(r.status));
  if (r.facts.independent_legal_person) out->set_independent_legal_person(*r.facts.independent_legal_person);
  if (r.facts.resident_enterprise) out->set_resident_enterprise(*r.facts.resident_enterprise);
  if (r.facts.registered_in_tianjin) out->set_registered_in_tianjin(*r.facts.registered_in_tianjin);
  if (r.facts.prohibited_catalogue) out->set_prohibited_catalogue(*r.facts.prohibited_catalogue);
}

void ToProto(const FilingRecord& r, pb::Filing* out) {
  out->set_name(absl::StrCat("enterprises/", r.uscc, "/filings/", r.year));
  out->set_year(r.year);
  const google::protobuf::Descriptor* descriptor = out->GetDescriptor();
  const google::protobuf::Reflection* reflection = out->GetReflection();
  for (const auto& [key, value] : r.data) {
    const google::protobuf::FieldDescriptor* fd = descriptor->FindFieldByName(key);
    if (fd == nullptr) continue;
    if (std::holds_alternative<int64_t>(value)) reflection->SetInt64(out, fd, std::get<int64_t>(value));
    if (std::holds_alternative<bool>(value)) reflection->SetBool(out, fd, std::get<bool>(value));
    if (std::holds_alternative<std::string>(value)) reflection->SetString(out, fd, std::get<std::string>(value));
  }
  out->set_etag(EtagOf(r.version));
  SetTime(out->mutable_update_time(), r.update_micros);
}

void ToProto(const PipelineView& view, pb::Pipeline* out) {
  const PipelineRecord& p = view.record;
  out->set_name(absl::StrCat("enterprises/", p.uscc, "/pipelines/", p.program));
  out->set_program(p.program);
  out->set_stage(kStages.ToWire(p.stage, pb::STAGE_UNSPECIFIED));
  out->set_stage_display_name(StageNameFor(p.program, p.stage));
  out->set_year(p.year);
  out->set_effective_date(p.effective_date);
  out->set_certificate_issue_date(p.cert_issue_date);
  out->set_valid_until(p.valid_until);
  out->set_withdrawal_reason(kReasons.ToWire(p.withdrawal_reason, pb::WITHDRAWAL_REASON_UNSPECIFIED));
  out->set_edition(p.edition);
  out->set_etag(EtagOf(p.version));
  SetTime(out->mutable_update_time(), p.update_micros);
  out->set_org_unit(p.org_unit);
  out->set_enterprise_display_name(p.enterprise_name);
  if (!p.valid_until.empty()) {
    out->set_validity_provisional(view.validity_provisional);
    out->set_validity_note(view.validity_note);
  }
}

void ToProto(const PipelineEventRecord& e, pb::PipelineEvent* out) {
  out->set_sequence(e.sequence);
  out->set_from_stage(kStages.ToWire(e.from, pb::STAGE_UNSPECIFIED));
  out->set_to_stage(kStages.ToWire(e.to, pb::STAGE_UNSPECIFIED));
  out->set_actor(e.actor);
  SetTime(out->mutable_time(), e.time_micros);
  out->set_effective_date(e.effective_date);
  out->set_reason(e.reason);
  out->set_withdrawal_reason(kReasons.ToWire(e.withdrawal_reason, pb::WITHDRAWAL_REASON_UNSPECIFIED));
  out->set_year(e.year);
  out->set_edition(e.edition);
}

void ToProto(const EditionView& view, pb::RuleEdition* out) {
  const rules::RuleEdition& e = *view.edition;
  out->set_name(EditionName(e.program, e.edition));
  out->set_program(e.program);
  out->set_edition(e.edition);
  out->set_title(e.title);
  out->set_document(e.document);
  out->set_effective_from(e.effective_from);
  out->set_provisional(e.AnyProvisional());
  out->set_requires_site_visit(e.requires_site_visit);
  out->set_validity_years(e.validity_years.value_or(0));
  for (const std::string& note : e.notes) out->add_notes(note);
  out->set_origin(view.origin);
  out->set_json(view.json);
  out->set_criteria_count(static_cast<int32_t>(e.Flatten().size()));
  out->set_validity_provisional(ValidityProvisional(&e));
  out->set_validity_note(e.validity_note);
}

void ToProto(const EvaluationResult& result, const std::string& uscc, const std::string& program, int year,
             pb::Evaluation* out) {
  out->set_enterprise("enterprises/" + uscc);
  out->set_program(program);
  out->set_edition(EditionName(result.edition->program, result.edition->edition));
  out->set_year(year);
  out->set_eligible(result.evaluation.eligible);
  out->set_outcome(rules::ToProto(result.evaluation.outcome));
  out->set_provisional(result.evaluation.provisional);
  for (const rules::CriterionResult& r : result.evaluation.results) {
    rules::ToProto(r, out->add_criteria());
    out->add_depths(r.depth);
  }
  out->set_program_title(result.edition->title);
  out->set_requires_site_visit(result.edition->requires_site_visit);
  out->set_as_of_date(FormatDate(result.as_of));
  out->set_application_year(result.application_year);
  for (int y : result.fiscal_years) out->add_fiscal_years(y);
  out->set_verdict(std::string(rules::OutcomeText(result.evaluation.outcome)));
  for (const std::string& note : result.evaluation.notes) out->add_notes(note);
}

void ToProto(const GapResult& gap, const std::string& uscc, pb::GapAnalysis* out) {
  out->set_enterprise("enterprises/" + uscc);
  out->set_current_program(gap.current_program);
  out->set_target_program(gap.target_program);
  out->set_edition(EditionName(gap.result.edition->program, gap.result.edition->edition));
  out->set_eligible(gap.result.evaluation.eligible);
  out->set_provisional(gap.result.evaluation.provisional);
  for (const rules::CriterionResult& r : gap.gaps) rules::ToProto(r, out->add_gaps());
  out->set_outcome(rules::ToProto(gap.result.evaluation.outcome));
  out->set_verdict(std::string(rules::OutcomeText(gap.result.evaluation.outcome)));
  out->set_application_year(gap.result.application_year);
  for (int y : gap.result.fiscal_years) out->add_fiscal_years(y);
  out->set_as_of_date(FormatDate(gap.result.as_of));
}

void ToProto(const ScreenResult& result, pb::ScreenEnterprisesResponse* out) {
  out->set_edition(EditionResource(result.edition));
  out->set_evaluated(result.evaluated);
  out->set_eligible(result.eligible);
  out->set_screened(result.screened);
  out->set_already_in_pipeline(result.already_in_pipeline);
  out->set_missing_data(result.missing_data);
  out->set_provisional(result.provisional);
  out->set_depends_on_expert_scoring(result.depends_on_experts);
  out->set_outside_pools(result.outside_pools);
  for (const std::string& pool : result.pools) out->add_pools(pool);
  out->set_application_year(result.application_year);
  out->set_fiscal_year(result.application_year - 1);
  out->set_as_of_date(FormatDate(result.as_of));
  for (size_t i = 0; i < result.screened_usccs.size() && i < 1000; ++i) {
    out->add_screened_enterprises("enterprises/" + result.screened_usccs[i]);
  }
}

void ToProto(const AlertInfo& a, pb::Alert* out) {
  out->set_kind(kAlertKinds.ToWire(a.kind, pb::ALERT_KIND_UNSPECIFIED));
  out->set_enterprise("enterprises/" + a.uscc);
  out->set_enterprise_display_name(a.enterprise_name);
  out->set_org_unit(a.org_unit);
  out->set_program(a.program);
  out->set_message(a.message);
  out->set_valid_until(a.valid_until);
  out->set_days_left(a.days_left);
  for (const std::string& id : a.failing) out->add_failing_criteria(id);
  out->set_reason(a.reason);
  out->set_filing_year(a.filing_year);
  if (!a.edition.empty()) out->set_edition(EditionName(a.program, a.edition.substr(a.edition.find('/') + 1)));
  out->set_provisional(a.provisional);
}

void ToProto(const StageCount& c, pb::PipelineCount* out) {
  out->set_program(c.program);
  out->set_stage(kStages.ToWire(c.stage, pb::STAGE_UNSPECIFIED));
  out->set_year(c.year);
  out->set_org_unit(c.org_unit);
  out->set_count(c.count);
}

void ToProto(const TierCounts& counts, int year, const std::string& org_unit, pb::TierStatistics* out) {
  out->set_year(year);
  out->set_org_unit(org_unit);
  out->set_as_of_date(counts.as_of);
  out->set_high_tech(counts.high_tech);
  out->set_chuying(counts.chuying);
  out->set_dengling(counts.dengling);
  out->set_lingjun(counts.lingjun);
  out->set_lingjun_only(counts.lingjun_only);
  out->set_lingjun_peiyu(counts.lingjun_peiyu);
  out->set_listed_tech(counts.listed_tech);
  out->set_enterprises(counts.enterprises);
  out->set_tech_sme(counts.tech_sme);
  for (const std::string& note : counts.notes) out->add_notes(note);
  out->set_provisional(counts.provisional);
}

constexpr auto kRowOutcomes =
    MakeEnumTable<WriteOutcome, pb::RowOutcome>({{WriteOutcome::kCreated, pb::ROW_CREATE},
                                                 {WriteOutcome::kUpdated, pb::ROW_UPDATE},
                                                 {WriteOutcome::kUnchanged, pb::ROW_UNCHANGED}});
static_assert(kRowOutcomes.Bijective() && kRowOutcomes.size() + 1 == pb::RowOutcome_ARRAYSIZE);

void ToProto(const ImportSummary& s, pb::ImportCsvResponse* out) {
  for (const RowPreviewInfo& p : s.preview) {
    pb::RowPreview* preview = out->add_preview();
    preview->set_row(p.row);
    preview->set_outcome(kRowOutcomes.ToWire(p.outcome, pb::ROW_OUTCOME_UNSPECIFIED));
    for (const std::string& column : p.changed) preview->add_changed_columns(column);
  }
  out->set_rows(s.rows);
  out->set_created(s.created);
  out->set_updated(s.updated);
  out->set_unchanged(s.unchanged);
  out->set_rejected(s.rejected);
  out->set_rejections_truncated(s.truncated);
  out->set_encoding(s.encoding);
  for (const RowRejectionInfo& r : s.rejections) {
    pb::RowRejection* rejection = out->add_rejections();
    rejection->set_row(r.row);
    rejection->set_column(r.column);
    rejection->set_reason(r.reason);
  }
}

}  // namespace stip::cultivation
