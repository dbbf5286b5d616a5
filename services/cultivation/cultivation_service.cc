#include "services/cultivation/cultivation_service.h"

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/paging.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/telemetry.h"
#include "google/protobuf/util/time_util.h"
#include "services/cultivation/uscc.h"

namespace stip::cultivation {
namespace {

namespace type = ::stip::type::v1;


absl::Status PermissionDenied(absl::string_view what) {
  return absl::PermissionDeniedError(absl::StrCat(what, " (permission denied)"));
}

absl::Status RequireWriter(const Caller& caller) {
  if (!caller.CanWrite()) return PermissionDenied("只读账号不能修改数据");
  return absl::OkStatus();
}

// A park account's list filter is its own org unit; asking for another one is PERMISSION_DENIED.
absl::StatusOr<std::string> ScopedOrgUnit(const Caller& caller, const std::string& requested) {
  if (caller.role != Role::kPark) return requested;
  if (!requested.empty() && requested != caller.org_unit) {
    return PermissionDenied(absl::StrCat("园区账号只能查看本单位（", caller.org_unit, "）的数据"));
  }
  return caller.org_unit;
}

absl::StatusOr<std::vector<std::string>> SplitName(absl::string_view name, const std::vector<absl::string_view>& collections,
                                                   absl::string_view field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != collections.size() * 2) {
    return InvalidField(std::string(field), absl::StrCat("资源名格式错误：", name));
  }
  std::vector<std::string> ids;
  for (size_t i = 0; i < collections.size(); ++i) {
    if (parts[2 * i] != collections[i] || parts[2 * i + 1].empty()) {
      return InvalidField(std::string(field), absl::StrCat("资源名格式错误：", name));
    }
    ids.push_back(parts[2 * i + 1]);
  }
  return ids;
}

absl::StatusOr<std::string> EnterpriseId(absl::string_view name, absl::string_view field = "name") {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises"}, field));
  std::string uscc = NormalizeUscc(ids[0]);
  STIP_RETURN_IF_ERROR(ValidateUscc(uscc));
  return uscc;
}

absl::StatusOr<std::optional<int64_t>> ParseEtag(const std::string& etag) {
  if (etag.empty()) return std::optional<int64_t>();
  std::string text = etag;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  int64_t version = 0;
  if (!absl::SimpleAtoi(text, &version)) return InvalidField("etag", "etag 不是本服务签发的值");
  return std::optional<int64_t>(version);
}

std::string Etag(int64_t version) { return absl::StrCat(version); }

void SetTime(google::protobuf::Timestamp* out, int64_t micros) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros);
}

std::string Today() { return FormatDate(absl::ToCivilDay(absl::Now(), absl::LocalTimeZone())); }

type::Outcome ToProto(rules::Outcome outcome) {
  switch (outcome) {
    case rules::Outcome::kPass: return type::PASS;
    case rules::Outcome::kFail: return type::FAIL;
    case rules::Outcome::kNotApplicable: return type::NOT_APPLICABLE;
    case rules::Outcome::kMissingData: return type::MISSING_DATA;
  }
  return type::OUTCOME_UNSPECIFIED;
}

type::SourceStatus ToProto(rules::SourceStatus status) {
  switch (status) {
    case rules::SourceStatus::kVerified: return type::VERIFIED;
    case rules::SourceStatus::kPartial: return type::PARTIALLY_VERIFIED;
    case rules::SourceStatus::kRecalled: return type::RECALLED;
    case rules::SourceStatus::kInferred: return type::INFERRED;
    case rules::SourceStatus::kMissing: return type::MISSING;
  }
  return type::SOURCE_STATUS_UNSPECIFIED;
}

void ToProto(const rules::CriterionResult& r, type::CriterionResult* out) {
  out->set_id(r.id);
  out->set_description(r.description);
  out->set_actual(r.actual);
  out->set_threshold(r.threshold);
  out->set_outcome(ToProto(r.outcome));
  out->set_provisional(r.provisional);
  out->set_source_status(ToProto(r.status));
  out->set_source(r.source);
  if (r.actual_value) out->set_actual_value(*r.actual_value);
  if (r.threshold_value) out->set_threshold_value(*r.threshold_value);
  out->set_shortfall(r.shortfall);
}

void ToProto(const rules::RuleEdition& e, const std::string& origin, const std::string& json, bool with_json,
             pb::RuleEdition* out) {
  out->set_name(absl::StrCat("programs/", e.program, "/editions/", e.edition));
  out->set_program(e.program);
  out->set_edition(e.edition);
  out->set_title(e.title);
  out->set_document(e.document);
  out->set_effective_from(e.effective_from);
  out->set_provisional(e.AnyProvisional());
  out->set_requires_site_visit(e.requires_site_visit);
  out->set_validity_years(e.validity_years.value_or(0));
  for (const std::string& note : e.notes) out->add_notes(note);
  out->set_origin(origin);
  if (with_json) out->set_json(json);
  out->set_criteria_count(static_cast<int32_t>(e.Flatten().size()));
  out->set_validity_provisional(ValidityProvisional(&e));
  out->set_validity_note(e.validity_note);
}

void ToProto(const PipelineRecord& p, pb::Pipeline* out) {
  out->set_name(absl::StrCat("enterprises/", p.uscc, "/pipelines/", p.program));
  out->set_program(p.program);
  out->set_stage(static_cast<pb::Stage>(p.stage));
  out->set_stage_display_name(StageName(p.stage));
  out->set_year(p.year);
  out->set_effective_date(p.effective_date);
  out->set_certificate_issue_date(p.cert_issue_date);
  out->set_valid_until(p.valid_until);
  out->set_withdrawal_reason(static_cast<pb::WithdrawalReason>(p.withdrawal_reason));
  out->set_edition(p.edition);
  out->set_etag(Etag(p.version));
  SetTime(out->mutable_update_time(), p.update_micros);
  out->set_org_unit(p.org_unit);
  out->set_enterprise_display_name(p.enterprise_name);
}

FilingData FilingFromProto(const pb::Filing& filing, const google::protobuf::FieldMask* mask, FilingData base) {
  const google::protobuf::Descriptor* descriptor = filing.GetDescriptor();
  const google::protobuf::Reflection* reflection = filing.GetReflection();
  bool all = mask == nullptr || mask->paths().empty();
  if (mask != nullptr) {
    for (const std::string& path : mask->paths()) all = all || path == "*";
  }
  for (const FilingField& field : FilingFields()) {
    if (!all && std::find(mask->paths().begin(), mask->paths().end(), field.key) == mask->paths().end()) continue;
    const google::protobuf::FieldDescriptor* fd = descriptor->FindFieldByName(field.key);
    if (fd == nullptr) continue;
    if (!reflection->HasField(filing, fd)) {
      base.erase(field.key);
      continue;
    }
    switch (fd->cpp_type()) {
      case google::protobuf::FieldDescriptor::CPPTYPE_INT64: base[field.key] = reflection->GetInt64(filing, fd); break;
      case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: base[field.key] = reflection->GetBool(filing, fd); break;
      case google::protobuf::FieldDescriptor::CPPTYPE_STRING: base[field.key] = reflection->GetString(filing, fd); break;
      default: break;
    }
  }
  return base;
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
  out->set_etag(Etag(r.version));
  SetTime(out->mutable_update_time(), r.update_micros);
}

}  // namespace

CultivationServiceImpl::CultivationServiceImpl(CultivationStore* store, rules::EditionRegistry* registry,
                                               std::map<std::string, std::string> org_units, ChangeNotifier* notifier,
                                               const RpcRuntime* runtime, const TokenVerifier* verifier, Metrics* metrics)
    : store_(store), registry_(registry), engine_(store, registry), org_units_(std::move(org_units)),
      notifier_(notifier), runtime_(runtime), verifier_(verifier), metrics_(metrics) {}

void CultivationServiceImpl::LabelValidity(const PipelineRecord& p, pb::Pipeline* out) const {
  if (p.valid_until.empty()) return;
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = registry_->Find(p.program, p.edition, 0);
  const rules::RuleEdition* used = p.edition.empty() || !edition.ok() ? nullptr : edition->get();
  out->set_validity_provisional(ValidityProvisional(used));
  out->set_validity_note(used != nullptr ? used->validity_note
                                         : std::string("认定时没有可用的规则版本，有效期按默认1年计算（暂定）"));
}

void CultivationServiceImpl::Published() const {
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
}

absl::StatusOr<EnterpriseRecord> CultivationServiceImpl::VisibleEnterprise(const Caller& caller,
                                                                           const std::string& uscc) const {
  STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> record, store_->GetEnterprise(uscc));
  if (!record) return absl::NotFoundError(absl::StrCat("没有统一社会信用代码为 ", uscc, " 的企业 (enterprise not found)"));
  if (caller.role == Role::kPark && record->org_unit != caller.org_unit) {
    return PermissionDenied(absl::StrCat("企业 ", uscc, " 不属于本单位（", caller.org_unit, "）"));
  }
  return *record;
}

absl::Status CultivationServiceImpl::ValidateEnterprise(const EnterpriseRecord& r) const {
  FieldViolations violations;
  if (absl::Status status = ValidateUscc(r.uscc); !status.ok()) violations.Add("enterprise.uscc", std::string(status.message()));
  if (r.name.empty()) violations.Add("enterprise.display_name", "企业名称不能为空");
  if (!ParseDate(r.registration_date)) violations.Add("enterprise.registration_date", "注册日期格式应为YYYY-MM-DD");
  if (org_units_.count(r.org_unit) == 0) violations.Add("enterprise.org_unit", "不是东丽区的街道或园区代码：" + r.org_unit);
  if (!IsIndustry(r.industry)) violations.Add("enterprise.industry", "不是规定的行业：" + r.industry);
  if (!r.tech_field.empty() && !IsHighTechField(r.tech_field)) {
    violations.Add("enterprise.tech_field", "技术领域应为国家重点支持的八大高新技术领域之一");
  }
  if (r.status == EnterpriseStatus::kUnspecified) violations.Add("enterprise.status", "状态应为存续、迁出或注销");
  return violations.ToStatus();
}

CsvImport::FilingCheck CultivationServiceImpl::FilingChecker() const {
  return [registry = registry_](int year, const FilingData& data) {
    std::vector<std::pair<std::string, std::string>> problems;
    absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> hte = registry->Find(std::string(kHighTech), "", year);
    if (!hte.ok()) return problems;
    rules::MapMetricSource source;
    for (const auto& [key, value] : data) {
      if (std::holds_alternative<int64_t>(value)) source.Set(key, static_cast<double>(std::get<int64_t>(value)));
    }
    for (const rules::InputViolation& v : rules::CheckInputs(**hte, source)) problems.emplace_back(v.metric, v.message);
    return problems;
  };
}

absl::Status CultivationServiceImpl::ValidateFiling(int year, const FilingData& data) const {
  FieldViolations violations;
  if (year < 1990 || year > 2100) violations.Add("filing.year", "年度应为四位年份");
  for (const auto& [field, reason] : CheckFiling(data)) violations.Add("filing." + field, reason);
  for (const auto& [field, reason] : FilingChecker()(year, data)) violations.Add("filing." + field, reason);
  return violations.ToStatus();
}

namespace {

EnterpriseRecord FromProto(const pb::Enterprise& e) {
  EnterpriseRecord r;
  r.uscc = NormalizeUscc(e.uscc());
  r.name = e.display_name();
  r.registration_date = e.registration_date();
  r.org_unit = e.org_unit();
  r.industry = e.industry();
  r.tech_field = e.tech_field();
  r.status = e.status() == pb::ENTERPRISE_STATUS_UNSPECIFIED ? EnterpriseStatus::kActive
                                                             : static_cast<EnterpriseStatus>(e.status());
  return r;
}

void ToProto(const EnterpriseRecord& r, const std::map<std::string, std::string>& units, pb::Enterprise* out) {
  out->set_name("enterprises/" + r.uscc);
  out->set_uscc(r.uscc);
  out->set_display_name(r.name);
  out->set_registration_date(r.registration_date);
  out->set_org_unit(r.org_unit);
  out->set_industry(r.industry);
  out->set_tech_field(r.tech_field);
  out->set_status(static_cast<pb::EnterpriseStatus>(r.status));
  out->set_etag(Etag(r.version));
  SetTime(out->mutable_create_time(), r.create_micros);
  SetTime(out->mutable_update_time(), r.update_micros);
  auto unit = units.find(r.org_unit);
  out->set_org_unit_display_name(unit == units.end() ? "" : unit->second);
  out->set_status_display_name(EnterpriseStatusName(r.status));
}

}  // namespace

// ------------------------------------------------------------------------------------------------ enterprises
grpc::ServerUnaryReactor* CultivationServiceImpl::CreateEnterprise(grpc::CallbackServerContext* context,
                                                                   const pb::CreateEnterpriseRequest* request,
                                                                   pb::Enterprise* response) {
  return runtime_->Unary(context, "CreateEnterprise", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    EnterpriseRecord record = FromProto(request->enterprise());
    if (record.uscc.empty() && !request->enterprise().name().empty()) {
      STIP_ASSIGN_OR_RETURN(record.uscc, EnterpriseId(request->enterprise().name(), "enterprise.name"));
    }
    STIP_RETURN_IF_ERROR(ValidateEnterprise(record));
    if (caller.role == Role::kPark && record.org_unit != caller.org_unit) {
      return PermissionDenied(absl::StrCat("园区账号只能登记本单位（", caller.org_unit, "）的企业"));
    }
    // AIP-155: a retry with the same request_id gets the first response; a different payload under a used
    // request_id is INVALID_ARGUMENT naming request_id (a client error, not a conflict over the enterprise).
    if (request->request_id().size() > 128) return InvalidField("request_id", "request_id 不能超过128个字符（建议使用UUID）");
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord created,
                          store_->CreateEnterprise(record, request->request_id(), caller.subject));
    Published();
    ToProto(created, org_units_, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::GetEnterprise(grpc::CallbackServerContext* context,
                                                                const pb::GetEnterpriseRequest* request,
                                                                pb::Enterprise* response) {
  return runtime_->Unary(context, "GetEnterprise", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord record, VisibleEnterprise(caller, uscc));
    ToProto(record, org_units_, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::ListEnterprises(grpc::CallbackServerContext* context,
                                                                  const pb::ListEnterprisesRequest* request,
                                                                  pb::ListEnterprisesResponse* response) {
  return runtime_->Unary(context, "ListEnterprises", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    std::string query = absl::StrCat(org_unit, "|", request->status());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    int total = 0;
    STIP_ASSIGN_OR_RETURN(std::vector<EnterpriseRecord> records,
                          store_->ListEnterprises(org_unit, static_cast<EnterpriseStatus>(request->status()),
                                                  page.offset, page.size, &total));
    for (const EnterpriseRecord& r : records) ToProto(r, org_units_, response->add_enterprises());
    response->set_total_size(total);
    response->set_next_page_token(NextPageToken(page, static_cast<int>(records.size()), query));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::UpdateEnterprise(grpc::CallbackServerContext* context,
                                                                   const pb::UpdateEnterpriseRequest* request,
                                                                   pb::Enterprise* response) {
  return runtime_->Unary(context, "UpdateEnterprise", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->enterprise().name(), "enterprise.name"));
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord current, VisibleEnterprise(caller, uscc));
    STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(request->enterprise().etag()));
    EnterpriseRecord incoming = FromProto(request->enterprise());
    EnterpriseRecord updated = current;
    std::vector<std::string> paths(request->update_mask().paths().begin(), request->update_mask().paths().end());
    bool all = paths.empty() || (paths.size() == 1 && paths[0] == "*");
    auto wants = [&](const char* path) { return all || std::find(paths.begin(), paths.end(), path) != paths.end(); };
    for (const std::string& path : paths) {
      if (path != "*" && path != "display_name" && path != "registration_date" && path != "org_unit" &&
          path != "industry" && path != "tech_field" && path != "status") {
        return InvalidField("update_mask", "不能修改的字段：" + path);
      }
    }
    if (wants("display_name")) updated.name = incoming.name;
    if (wants("registration_date")) updated.registration_date = incoming.registration_date;
    if (wants("org_unit")) updated.org_unit = incoming.org_unit;
    if (wants("industry")) updated.industry = incoming.industry;
    if (wants("tech_field")) updated.tech_field = incoming.tech_field;
    if (wants("status")) updated.status = incoming.status;
    STIP_RETURN_IF_ERROR(ValidateEnterprise(updated));
    if (caller.role == Role::kPark && updated.org_unit != caller.org_unit) {
      return PermissionDenied("园区账号不能把企业划转到其他单位");
    }
    // When the status changes, the day it took effect (default today); the store checks it against the history.
    std::string status_effective = request->status_effective_date().empty() ? Today() : request->status_effective_date();
    if (!ParseDate(status_effective)) return InvalidField("status_effective_date", "日期格式应为YYYY-MM-DD");
    STIP_ASSIGN_OR_RETURN(EnterpriseRecord written,
                          store_->UpdateEnterprise(updated, expected ? expected : current.version, status_effective,
                                                   caller.subject));
    Published();
    ToProto(written, org_units_, response);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------------------------------------------- filings
grpc::ServerUnaryReactor* CultivationServiceImpl::CreateFiling(grpc::CallbackServerContext* context,
                                                               const pb::CreateFilingRequest* request,
                                                               pb::Filing* response) {
  return runtime_->Unary(context, "CreateFiling", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    int year = request->filing().year();
    FilingData data = FilingFromProto(request->filing(), nullptr, {});
    STIP_RETURN_IF_ERROR(ValidateFiling(year, data));
    STIP_ASSIGN_OR_RETURN(auto written, store_->PutFiling(uscc, year, data, CultivationStore::PutMode::kCreate, std::nullopt));
    Published();
    ToProto(written.first, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::GetFiling(grpc::CallbackServerContext* context,
                                                            const pb::GetFilingRequest* request, pb::Filing* response) {
  return runtime_->Unary(context, "GetFiling", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(request->name(), {"enterprises", "filings"}, "name"));
    std::string uscc = NormalizeUscc(ids[0]);
    int year = 0;
    if (!absl::SimpleAtoi(ids[1], &year)) return InvalidField("name", "年度应为四位年份");
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> filing, store_->GetFiling(uscc, year));
    if (!filing) return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 没有 ", year, " 年度年报"));
    ToProto(*filing, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::ListFilings(grpc::CallbackServerContext* context,
                                                              const pb::ListFilingsRequest* request,
                                                              pb::ListFilingsResponse* response) {
  return runtime_->Unary(context, "ListFilings", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->parent(), "parent"));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), uscc));
    STIP_ASSIGN_OR_RETURN(std::vector<FilingRecord> filings, store_->ListFilings(uscc));
    int end = std::min<int>(static_cast<int>(filings.size()), page.offset + page.size);
    for (int i = page.offset; i < end; ++i) ToProto(filings[i], response->add_filings());
    response->set_next_page_token(NextPageToken(page, std::max(0, end - page.offset), uscc));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::UpdateFiling(grpc::CallbackServerContext* context,
                                                               const pb::UpdateFilingRequest* request,
                                                               pb::Filing* response) {
  return runtime_->Unary(context, "UpdateFiling", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          SplitName(request->filing().name(), {"enterprises", "filings"}, "filing.name"));
    std::string uscc = NormalizeUscc(ids[0]);
    int year = 0;
    if (!absl::SimpleAtoi(ids[1], &year)) return InvalidField("filing.name", "年度应为四位年份");
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    for (const std::string& path : request->update_mask().paths()) {
      if (path != "*" && FindFilingField(path) == nullptr) return InvalidField("update_mask", "未知字段：" + path);
    }
    STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(request->filing().etag()));
    STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> existing, store_->GetFiling(uscc, year));
    if (!existing && !request->allow_missing()) return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 没有 ", year, " 年度年报"));
    FilingData data = FilingFromProto(request->filing(), &request->update_mask(), existing ? existing->data : FilingData{});
    STIP_RETURN_IF_ERROR(ValidateFiling(year, data));
    STIP_ASSIGN_OR_RETURN(auto written,
                          store_->PutFiling(uscc, year, data,
                                            request->allow_missing() ? CultivationStore::PutMode::kUpsert
                                                                     : CultivationStore::PutMode::kUpdate,
                                            expected));
    if (written.second != WriteOutcome::kUnchanged) Published();
    ToProto(written.first, response);
    return absl::OkStatus();
  });
}

// -------------------------------------------------------------------------------------------------------- CSV
grpc::ServerUnaryReactor* CultivationServiceImpl::GetCsvTemplate(grpc::CallbackServerContext* context,
                                                                 const pb::GetCsvTemplateRequest* request,
                                                                 pb::CsvChunk* response) {
  return runtime_->Unary(context, "GetCsvTemplate", [&](const Caller&) -> absl::Status {
    if (request->kind() == pb::CSV_KIND_UNSPECIFIED) return InvalidField("kind", "kind 应为 ENTERPRISES 或 FILINGS");
    response->set_data("\xEF\xBB\xBF" + CsvTemplate(static_cast<CsvKindCode>(request->kind())));
    return absl::OkStatus();
  });
}

namespace {

std::string Metadata(const grpc::CallbackServerContext* context, absl::string_view key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

void LogStream(Metrics* metrics, absl::string_view method, absl::Time start, const absl::Status& status,
               const std::string& subject) {
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (metrics != nullptr) metrics->RecordRpc(method, static_cast<int>(status.code()), seconds);
  std::string fields = absl::StrCat("\"method\":", JsonQuote(method), ",\"code\":", static_cast<int>(status.code()),
                                    ",\"duration_ms\":", seconds * 1000.0, ",\"caller\":", JsonQuote(subject));
  if (!status.ok()) absl::StrAppend(&fields, ",\"error\":", JsonQuote(status.message()));
  LogJson("info", "rpc", fields);
}

class ImportReactor : public grpc::ServerReadReactor<pb::ImportCsvRequest> {
 public:
  ImportReactor(CultivationServiceImpl* service, grpc::CallbackServerContext* context, pb::ImportCsvResponse* response)
      : service_(service), response_(response), start_(absl::Now()) {
    absl::StatusOr<Caller> caller = service->verifier()->Verify(Metadata(context, "authorization"), start_);
    if (!caller.ok()) {
      Done(caller.status());
      return;
    }
    caller_ = *caller;
    if (!caller_.CanWrite()) {
      Done(absl::PermissionDeniedError("只读账号不能导入数据 (permission denied)"));
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      absl::Status status = import_ ? import_->Finish() : absl::InvalidArgumentError("没有收到 CSV 数据");
      if (status.ok()) Fill();
      if (import_ && import_->summary().created + import_->summary().updated > 0) service_->notifier()->Publish("cultivation");
      Done(status);
      return;
    }
    if (!import_) {
      if (request_.kind() == pb::CSV_KIND_UNSPECIFIED) {
        Done(InvalidField("kind", "第一条消息须指明 kind：ENTERPRISES 或 FILINGS"));
        return;
      }
      import_ = std::make_unique<CsvImport>(static_cast<CsvKindCode>(request_.kind()), service_->store(),
                                            &service_->org_units(),
                                            caller_.role == Role::kPark ? caller_.org_unit : std::string(),
                                            request_.dry_run(), service_->FilingChecker());
    }
    absl::Status status = import_->Feed(request_.data());
    if (!status.ok()) {
      if (import_->summary().created + import_->summary().updated > 0) service_->notifier()->Publish("cultivation");
      Done(status);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  void Fill() {
    const ImportSummary& s = import_->summary();
    response_->set_rows(s.rows);
    response_->set_created(s.created);
    response_->set_updated(s.updated);
    response_->set_unchanged(s.unchanged);
    response_->set_rejected(s.rejected);
    response_->set_rejections_truncated(s.truncated);
    for (const RowRejectionInfo& r : s.rejections) {
      pb::RowRejection* out = response_->add_rejections();
      out->set_row(r.row);
      out->set_column(r.column);
      out->set_reason(r.reason);
    }
  }
  void Done(const absl::Status& status) {
    LogStream(service_->metrics(), "ImportCsv", start_, status, caller_.subject);
    Finish(ToGrpcStatus(status));
  }

  CultivationServiceImpl* service_;
  pb::ImportCsvResponse* response_;
  absl::Time start_;
  Caller caller_;
  pb::ImportCsvRequest request_;
  std::unique_ptr<CsvImport> import_;
};

// Writes the export to an unnamed temporary file first (bounded memory, short database lock), then streams
// it in 64 KiB chunks.
class ExportReactor : public grpc::ServerWriteReactor<pb::CsvChunk> {
 public:
  ExportReactor(CultivationServiceImpl* service, grpc::CallbackServerContext* context, const pb::ExportCsvRequest* request)
      : service_(service), start_(absl::Now()) {
    absl::Status status = Prepare(context, request);
    if (!status.ok()) {
      Done(status);
      return;
    }
    NextWrite();
  }
  ~ExportReactor() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Done(absl::CancelledError("client went away"));
      return;
    }
    NextWrite();
  }
  void OnDone() override { delete this; }

 private:
  absl::Status Prepare(grpc::CallbackServerContext* context, const pb::ExportCsvRequest* request) {
    absl::StatusOr<Caller> caller = service_->verifier()->Verify(Metadata(context, "authorization"), start_);
    if (!caller.ok()) return caller.status();
    subject_ = caller->subject;
    if (request->kind() == pb::CSV_KIND_UNSPECIFIED) return InvalidField("kind", "kind 应为 ENTERPRISES 或 FILINGS");
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(*caller, request->org_unit()));
    file_ = std::tmpfile();
    if (file_ == nullptr) return absl::InternalError("cannot create a temporary file for the export");
    std::fputs("\xEF\xBB\xBF", file_);
    STIP_RETURN_IF_ERROR(ExportCsv(static_cast<CsvKindCode>(request->kind()), service_->store(), service_->org_units(),
                                   org_unit, request->year(),
                                   [&](std::string line) { std::fwrite(line.data(), 1, line.size(), file_); }));
    std::rewind(file_);
    return absl::OkStatus();
  }
  void NextWrite() {
    std::string buffer(64 * 1024, '\0');
    size_t read = std::fread(buffer.data(), 1, buffer.size(), file_);
    if (read == 0) {
      Done(absl::OkStatus());
      return;
    }
    buffer.resize(read);
    chunk_.set_data(std::move(buffer));
    StartWrite(&chunk_);
  }
  void Done(const absl::Status& status) {
    LogStream(service_->metrics(), "ExportCsv", start_, status, subject_);
    Finish(ToGrpcStatus(status));
  }

  CultivationServiceImpl* service_;
  absl::Time start_;
  std::string subject_;
  std::FILE* file_ = nullptr;
  pb::CsvChunk chunk_;
};

}  // namespace

grpc::ServerReadReactor<pb::ImportCsvRequest>* CultivationServiceImpl::ImportCsv(grpc::CallbackServerContext* context,
                                                                                 pb::ImportCsvResponse* response) {
  return new ImportReactor(this, context, response);
}

grpc::ServerWriteReactor<pb::CsvChunk>* CultivationServiceImpl::ExportCsv(grpc::CallbackServerContext* context,
                                                                          const pb::ExportCsvRequest* request) {
  return new ExportReactor(this, context, request);
}

// ---------------------------------------------------------------------------------------------- rule editions
grpc::ServerUnaryReactor* CultivationServiceImpl::ListRuleEditions(grpc::CallbackServerContext* context,
                                                                   const pb::ListRuleEditionsRequest* request,
                                                                   pb::ListRuleEditionsResponse* response) {
  return runtime_->Unary(context, "ListRuleEditions", [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->program()));
    std::vector<std::shared_ptr<const rules::RuleEdition>> editions = registry_->List(request->program());
    int end = std::min<int>(static_cast<int>(editions.size()), page.offset + page.size);
    for (int i = page.offset; i < end; ++i) {
      const rules::RuleEdition& e = *editions[i];
      ToProto(e, registry_->Origin(e.program, e.edition), "", false, response->add_editions());
    }
    response->set_next_page_token(NextPageToken(page, std::max(0, end - page.offset), request->program()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::GetRuleEdition(grpc::CallbackServerContext* context,
                                                                 const pb::GetRuleEditionRequest* request,
                                                                 pb::RuleEdition* response) {
  return runtime_->Unary(context, "GetRuleEdition", [&](const Caller&) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(request->name(), {"programs", "editions"}, "name"));
    STIP_ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleEdition> edition, registry_->Find(ids[0], ids[1], 0));
    ToProto(*edition, registry_->Origin(ids[0], ids[1]), registry_->Json(ids[0], ids[1]), true, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::CreateRuleEdition(grpc::CallbackServerContext* context,
                                                                    const pb::CreateRuleEditionRequest* request,
                                                                    pb::RuleEdition* response) {
  return runtime_->Unary(context, "CreateRuleEdition", [&](const Caller& caller) -> absl::Status {
    if (!caller.IsAdmin()) return PermissionDenied("只有管理员（区科技局）可以新增规则版本");
    STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(request->parent(), {"programs"}, "parent"));
    if (!IsProgram(ids[0])) return InvalidField("parent", "未知的培育项目：" + ids[0]);
    absl::StatusOr<rules::RuleEdition> parsed = rules::ParseRuleEdition(request->edition().json());
    if (!parsed.ok()) return InvalidField("edition.json", std::string(parsed.status().message()));
    if (parsed->program != ids[0]) return InvalidField("edition.json", "文件中的 program 与 parent 不一致");
    if (!registry_->Find(parsed->program, parsed->edition, 0).status().ok()) {
      // not present yet: persist first, then register (a crash in between re-registers at start-up)
    } else {
      return absl::AlreadyExistsError(absl::StrCat("规则版本 ", parsed->program, "/", parsed->edition, " 已存在"));
    }
    STIP_RETURN_IF_ERROR(store_->AddRuleEdition(parsed->program, parsed->edition, request->edition().json(), caller.subject));
    STIP_ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleEdition> added, registry_->Add(request->edition().json(), "api"));
    Published();
    ToProto(*added, "api", request->edition().json(), true, response);
    return absl::OkStatus();
  });
}

// ------------------------------------------------------------------------------------------------- evaluation
grpc::ServerUnaryReactor* CultivationServiceImpl::EvaluateEnterprise(grpc::CallbackServerContext* context,
                                                                     const pb::EvaluateEnterpriseRequest* request,
                                                                     pb::Evaluation* response) {
  return runtime_->Unary(context, "EvaluateEnterprise", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    std::optional<absl::CivilDay> as_of;
    if (!request->as_of_date().empty()) {
      as_of = ParseDate(request->as_of_date());
      if (!as_of) return InvalidField("as_of_date", "日期格式应为YYYY-MM-DD");
    }
    STIP_ASSIGN_OR_RETURN(std::optional<Cohort> cohort, store_->LoadOne(uscc));
    if (!cohort) return absl::NotFoundError("企业不存在");
    STIP_ASSIGN_OR_RETURN(EvaluationResult result,
                          engine_.Evaluate(*cohort, request->program(), request->edition(), request->year(), as_of));
    response->set_enterprise("enterprises/" + uscc);
    response->set_program(request->program());
    response->set_edition(absl::StrCat("programs/", result.edition->program, "/editions/", result.edition->edition));
    response->set_year(request->year());
    response->set_eligible(result.evaluation.eligible);
    response->set_outcome(ToProto(result.evaluation.outcome));
    response->set_provisional(result.evaluation.provisional);
    for (const rules::CriterionResult& r : result.evaluation.results) {
      ToProto(r, response->add_criteria());
      response->add_depths(r.depth);
    }
    response->set_program_title(result.edition->title);
    response->set_requires_site_visit(result.edition->requires_site_visit);
    response->set_as_of_date(FormatDate(result.as_of));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::AnalyzeGap(grpc::CallbackServerContext* context,
                                                             const pb::AnalyzeGapRequest* request,
                                                             pb::GapAnalysis* response) {
  return runtime_->Unary(context, "AnalyzeGap", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string uscc, EnterpriseId(request->name()));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    if (!request->target_program().empty() && !IsProgram(request->target_program())) {
      return InvalidField("target_program", "未知的培育项目");
    }
    STIP_ASSIGN_OR_RETURN(std::optional<Cohort> cohort, store_->LoadOne(uscc));
    if (!cohort) return absl::NotFoundError("企业不存在");
    STIP_ASSIGN_OR_RETURN(GapResult gap, engine_.Gap(*cohort, request->year(), request->target_program()));
    response->set_enterprise("enterprises/" + uscc);
    response->set_current_program(gap.current_program);
    response->set_target_program(gap.target_program);
    response->set_edition(absl::StrCat("programs/", gap.result.edition->program, "/editions/", gap.result.edition->edition));
    response->set_eligible(gap.result.evaluation.eligible);
    response->set_provisional(gap.result.evaluation.provisional);
    for (const rules::CriterionResult& r : gap.gaps) ToProto(r, response->add_gaps());
    return absl::OkStatus();
  });
}

// --------------------------------------------------------------------------------------------------- pipeline
namespace {

absl::StatusOr<std::pair<std::string, std::string>> PipelineId(absl::string_view name, absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(name, {"enterprises", "pipelines"}, field));
  std::string uscc = NormalizeUscc(ids[0]);
  STIP_RETURN_IF_ERROR(ValidateUscc(uscc));
  if (!IsProgram(ids[1])) return InvalidField(std::string(field), "未知的培育项目：" + ids[1]);
  return std::make_pair(uscc, ids[1]);
}

}  // namespace

grpc::ServerUnaryReactor* CultivationServiceImpl::GetPipeline(grpc::CallbackServerContext* context,
                                                              const pb::GetPipelineRequest* request,
                                                              pb::Pipeline* response) {
  return runtime_->Unary(context, "GetPipeline", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->name(), "name"));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, id.first).status());
    STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> pipeline, store_->GetPipeline(id.first, id.second));
    if (!pipeline) return absl::NotFoundError(absl::StrCat("企业 ", id.first, " 尚未进入", ProgramTitle(id.second), "培育流程"));
    ToProto(*pipeline, response);
    LabelValidity(*pipeline, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::ListPipelines(grpc::CallbackServerContext* context,
                                                                const pb::ListPipelinesRequest* request,
                                                                pb::ListPipelinesResponse* response) {
  return runtime_->Unary(context, "ListPipelines", [&](const Caller& caller) -> absl::Status {
    std::string uscc;
    if (request->parent() != "enterprises/-") {
      STIP_ASSIGN_OR_RETURN(uscc, EnterpriseId(request->parent(), "parent"));
      STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, uscc).status());
    }
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    std::string query = absl::StrCat(uscc, "|", request->program(), "|", request->stage(), "|", org_unit);
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(std::vector<PipelineRecord> pipelines,
                          store_->ListPipelines(uscc, request->program(), static_cast<Stage>(request->stage()), org_unit,
                                                page.offset, page.size));
    for (const PipelineRecord& p : pipelines) {
      pb::Pipeline* out = response->add_pipelines();
      ToProto(p, out);
      LabelValidity(p, out);
    }
    response->set_next_page_token(NextPageToken(page, static_cast<int>(pipelines.size()), query));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::TransitionPipeline(grpc::CallbackServerContext* context,
                                                                     const pb::TransitionPipelineRequest* request,
                                                                     pb::Pipeline* response) {
  return runtime_->Unary(context, "TransitionPipeline", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->name(), "name"));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, id.first).status());
    Stage to = static_cast<Stage>(request->to_stage());
    if (to == Stage::kNone) return InvalidField("to_stage", "须指明目标阶段");
    // 入库 and 认定 are decisions of the district bureau; a park account proposes (遴选) and reports 流失.
    if ((to == Stage::kPooled || to == Stage::kCertified || to == Stage::kCultivating) && caller.role == Role::kPark) {
      return PermissionDenied("入库、培育和认定须由区科技局或职能部门办理");
    }
    TransitionSpec spec;
    spec.to = to;
    spec.reason = request->reason();
    spec.withdrawal_reason = static_cast<WithdrawalReason>(request->withdrawal_reason());
    spec.effective_date = request->effective_date().empty() ? Today() : request->effective_date();
    std::optional<absl::CivilDay> effective = ParseDate(spec.effective_date);
    if (!effective) return InvalidField("effective_date", "日期格式应为YYYY-MM-DD");
    spec.year = request->year() != 0 ? request->year() : static_cast<int>(effective->year()) - 1;
    spec.actor = caller.subject;
    if (to == Stage::kCertified) {
      spec.cert_issue_date = request->certificate_issue_date().empty() ? spec.effective_date : request->certificate_issue_date();
      std::optional<absl::CivilDay> issued = ParseDate(spec.cert_issue_date);
      if (!issued) return InvalidField("certificate_issue_date", "日期格式应为YYYY-MM-DD");
      absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = registry_->Find(id.second, "", spec.year);
      int years = edition.ok() && (*edition)->validity_years ? *(*edition)->validity_years : 1;
      if (edition.ok()) spec.edition = (*edition)->edition;
      spec.valid_until = FormatDate(AddYears(*issued, years));
    }
    STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(request->etag()));
    STIP_ASSIGN_OR_RETURN(PipelineRecord written, store_->Transition(id.first, id.second, spec, expected));
    Published();
    ToProto(written, response);
    LabelValidity(written, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::ListPipelineEvents(grpc::CallbackServerContext* context,
                                                                     const pb::ListPipelineEventsRequest* request,
                                                                     pb::ListPipelineEventsResponse* response) {
  return runtime_->Unary(context, "ListPipelineEvents", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(auto id, PipelineId(request->parent(), "parent"));
    STIP_RETURN_IF_ERROR(VisibleEnterprise(caller, id.first).status());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), request->parent()));
    STIP_ASSIGN_OR_RETURN(std::vector<PipelineEventRecord> events,
                          store_->ListEvents(id.first, id.second, page.offset, page.size));
    for (const PipelineEventRecord& e : events) {
      pb::PipelineEvent* out = response->add_events();
      out->set_sequence(e.sequence);
      out->set_from_stage(static_cast<pb::Stage>(e.from));
      out->set_to_stage(static_cast<pb::Stage>(e.to));
      out->set_actor(e.actor);
      SetTime(out->mutable_time(), e.time_micros);
      out->set_effective_date(e.effective_date);
      out->set_reason(e.reason);
      out->set_withdrawal_reason(static_cast<pb::WithdrawalReason>(e.withdrawal_reason));
      out->set_year(e.year);
      out->set_edition(e.edition);
    }
    response->set_next_page_token(NextPageToken(page, static_cast<int>(events.size()), request->parent()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::ScreenEnterprises(grpc::CallbackServerContext* context,
                                                                    const pb::ScreenEnterprisesRequest* request,
                                                                    pb::ScreenEnterprisesResponse* response) {
  return runtime_->Unary(context, "ScreenEnterprises", [&](const Caller& caller) -> absl::Status {
    STIP_RETURN_IF_ERROR(RequireWriter(caller));
    STIP_ASSIGN_OR_RETURN(std::vector<std::string> ids, SplitName(request->program(), {"programs"}, "program"));
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    std::string effective = request->effective_date().empty() ? Today() : request->effective_date();
    if (!ParseDate(effective)) return InvalidField("effective_date", "日期格式应为YYYY-MM-DD");
    STIP_ASSIGN_OR_RETURN(ScreenResult result, engine_.Screen(ids[0], request->year(), org_unit, request->edition(),
                                                               effective, request->dry_run(), caller.subject));
    if (!request->dry_run() && result.screened > 0) Published();
    response->set_edition(absl::StrCat("programs/", result.edition.substr(0, result.edition.find('/')), "/editions/",
                                       result.edition.substr(result.edition.find('/') + 1)));
    response->set_evaluated(result.evaluated);
    response->set_eligible(result.eligible);
    response->set_screened(result.screened);
    response->set_already_in_pipeline(result.already_in_pipeline);
    response->set_missing_data(result.missing_data);
    response->set_provisional(result.provisional);
    for (size_t i = 0; i < result.screened_usccs.size() && i < 1000; ++i) {
      response->add_screened_enterprises("enterprises/" + result.screened_usccs[i]);
    }
    return absl::OkStatus();
  });
}

// ------------------------------------------------------------------------------------- alerts and statistics
grpc::ServerUnaryReactor* CultivationServiceImpl::ListAlerts(grpc::CallbackServerContext* context,
                                                             const pb::ListAlertsRequest* request,
                                                             pb::ListAlertsResponse* response) {
  return runtime_->Unary(context, "ListAlerts", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    if (request->year() < 1990 || request->year() > 2100) return InvalidField("year", "year 应为数据年度（如 2021）");
    if (request->within_days() < 0) return InvalidField("within_days", "不能为负数");
    int within = request->within_days() == 0 ? 90 : request->within_days();
    std::string as_of_text = request->as_of_date().empty() ? Today() : request->as_of_date();
    std::optional<absl::CivilDay> as_of = ParseDate(as_of_text);
    if (!as_of) return InvalidField("as_of_date", "日期格式应为YYYY-MM-DD");
    std::string query = absl::StrCat(request->year(), "|", within, "|", org_unit, "|", as_of_text, "|", request->kind());
    STIP_ASSIGN_OR_RETURN(PageRequest page, ParsePage(request->page_size(), request->page_token(), query));
    STIP_ASSIGN_OR_RETURN(std::vector<AlertInfo> alerts,
                          engine_.Alerts(request->year(), within, org_unit, *as_of,
                                         static_cast<AlertKindCode>(request->kind())));
    int end = std::min<int>(static_cast<int>(alerts.size()), page.offset + page.size);
    for (int i = page.offset; i < end; ++i) {
      const AlertInfo& a = alerts[i];
      pb::Alert* out = response->add_alerts();
      out->set_kind(static_cast<pb::AlertKind>(a.kind));
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
      if (!a.edition.empty()) {
        out->set_edition(absl::StrCat("programs/", a.program, "/editions/", a.edition.substr(a.edition.find('/') + 1)));
      }
      out->set_provisional(a.provisional);
    }
    response->set_next_page_token(NextPageToken(page, std::max(0, end - page.offset), query));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::GetPipelineStatistics(grpc::CallbackServerContext* context,
                                                                        const pb::GetPipelineStatisticsRequest* request,
                                                                        pb::PipelineStatistics* response) {
  return runtime_->Unary(context, "GetPipelineStatistics", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    STIP_ASSIGN_OR_RETURN(std::vector<StageCount> counts,
                          engine_.PipelineStatistics(request->year(), org_unit, request->program()));
    for (const StageCount& c : counts) {
      pb::PipelineCount* out = response->add_counts();
      out->set_program(c.program);
      out->set_stage(static_cast<pb::Stage>(c.stage));
      out->set_year(c.year);
      out->set_org_unit(c.org_unit);
      out->set_count(c.count);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* CultivationServiceImpl::GetTierStatistics(grpc::CallbackServerContext* context,
                                                                    const pb::GetTierStatisticsRequest* request,
                                                                    pb::TierStatistics* response) {
  return runtime_->Unary(context, "GetTierStatistics", [&](const Caller& caller) -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::string org_unit, ScopedOrgUnit(caller, request->org_unit()));
    if (request->year() < 1990 || request->year() > 2100) return InvalidField("year", "year 应为年度（如 2021）");
    STIP_ASSIGN_OR_RETURN(TierCounts counts, engine_.TierStatistics(request->year(), org_unit));
    response->set_year(request->year());
    response->set_org_unit(org_unit);
    response->set_as_of_date(counts.as_of);
    response->set_high_tech(counts.high_tech);
    response->set_chuying(counts.chuying);
    response->set_dengling(counts.dengling);
    response->set_lingjun(counts.lingjun);
    response->set_lingjun_only(counts.lingjun_only);
    response->set_lingjun_peiyu(counts.lingjun_peiyu);
    response->set_listed_tech(counts.listed_tech);
    response->set_tech_sme(counts.tech_sme);
    for (const std::string& note : counts.notes) response->add_notes(note);
    response->set_provisional(counts.provisional);
    return absl::OkStatus();
  });
}

}  // namespace stip::cultivation
