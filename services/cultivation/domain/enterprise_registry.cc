#include "services/cultivation/domain/enterprise_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/domain/cultivation_errors.h"
#include "services/cultivation/domain/status_history.h"
#include "services/cultivation/domain/uscc.h"

namespace stip::cultivation {
namespace {

constexpr size_t kMaxRequestId = 128;

bool Wants(const std::vector<std::string>& paths, absl::string_view path) {
  if (paths.empty() || (paths.size() == 1 && paths[0] == "*")) return true;
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

absl::Status CheckEnterprisePaths(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    static const char* const kPaths[] = {"*",
                                         "display_name",
                                         "registration_date",
                                         "org_unit",
                                         "industry",
                                         "tech_field",
                                         "status",
                                         "independent_legal_person",
                                         "resident_enterprise",
                                         "registered_in_tianjin",
                                         "prohibited_catalogue"};
    if (std::find(std::begin(kPaths), std::end(kPaths), path) == std::end(kPaths)) {
      return InvalidField("update_mask", "不能修改的字段：" + path);
    }
  }
  return absl::OkStatus();
}

EnterpriseRecord Merge(const EnterpriseRecord& current, const EnterpriseRecord& incoming,
                       const std::vector<std::string>& paths) {
  EnterpriseRecord updated = current;
  if (Wants(paths, "display_name")) updated.name = incoming.name;
  if (Wants(paths, "registration_date")) updated.registration_date = incoming.registration_date;
  if (Wants(paths, "org_unit")) updated.org_unit = incoming.org_unit;
  if (Wants(paths, "industry")) updated.industry = incoming.industry;
  if (Wants(paths, "tech_field")) updated.tech_field = incoming.tech_field;
  if (Wants(paths, "status")) updated.status = incoming.status;
  if (Wants(paths, "independent_legal_person")) {
    updated.facts.independent_legal_person = incoming.facts.independent_legal_person;
  }
  if (Wants(paths, "resident_enterprise")) updated.facts.resident_enterprise = incoming.facts.resident_enterprise;
  if (Wants(paths, "registered_in_tianjin")) {
    updated.facts.registered_in_tianjin = incoming.facts.registered_in_tianjin;
  }
  if (Wants(paths, "prohibited_catalogue")) updated.facts.prohibited_catalogue = incoming.facts.prohibited_catalogue;
  return updated;
}

FilingData ApplyPatch(FilingData base, const FilingPatch& patch) {
  for (const FilingField& field : FilingFields()) {
    if (!Wants(patch.paths, field.key)) continue;
    auto value = patch.values.find(field.key);
    if (value == patch.values.end()) {
      base.erase(field.key);
    } else {
      base[field.key] = value->second;
    }
  }
  return base;
}

}  // namespace

absl::StatusOr<CreatePlan> DecideCreate(const EnterpriseRecord& incoming, const std::string& request_id,
                                        const std::optional<EnterpriseRecord>& remembered,
                                        const std::optional<EnterpriseRecord>& existing) {
  if (remembered) {
    // A retry gets the first response, even when the enterprise has changed since.
    if (remembered->SameData(incoming)) return CreatePlan::kReturnRemembered;
    return InvalidField("request_id",
                        absl::StrCat("request_id “", request_id, "” 已用于登记企业 ", remembered->uscc, "（",
                                     remembered->name, "），与本次请求的内容不同；新的登记请使用新的 request_id"));
  }
  if (!existing) return CreatePlan::kInsert;
  // A retry of a create made before request ids were stored.
  if (!request_id.empty() && existing->SameData(incoming)) return CreatePlan::kRememberExisting;
  return EnterpriseExists(incoming.uscc, existing->name);
}

CreateDecider CreateDeciderFor(const EnterpriseRecord& incoming, const std::string& request_id) {
  return [incoming, request_id](const std::optional<EnterpriseRecord>& remembered,
                                const std::optional<EnterpriseRecord>& existing) {
    return DecideCreate(incoming, request_id, remembered, existing);
  };
}

StatusChangeCheck StatusChangeCheckFor(absl::CivilDay effective) {
  return [effective](const EnterpriseRecord& before, const std::vector<StatusChange>& history) {
    return CheckStatusChange(history, before.registration_date, effective, Today());
  };
}

void EnterpriseRegistry::Published() const {
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
}

absl::Status EnterpriseRegistry::Validate(const EnterpriseRecord& r) const {
  FieldViolations violations;
  if (absl::Status status = ValidateUscc(r.uscc); !status.ok()) {
    violations.Add("enterprise.uscc", std::string(status.message()));
  }
  if (r.name.empty()) violations.Add("enterprise.display_name", "企业名称不能为空");
  if (!ParseDate(r.registration_date)) violations.Add("enterprise.registration_date", "注册日期格式应为YYYY-MM-DD");
  if (org_units_->count(r.org_unit) == 0) {
    violations.Add("enterprise.org_unit", "不是东丽区的街道或园区代码：" + r.org_unit);
  }
  if (!IsIndustry(r.industry)) violations.Add("enterprise.industry", "不是规定的行业：" + r.industry);
  if (!r.tech_field.empty() && !IsHighTechField(r.tech_field)) {
    violations.Add("enterprise.tech_field", "技术领域应为国家重点支持的八大高新技术领域之一");
  }
  if (r.status == EnterpriseStatus::kUnspecified) violations.Add("enterprise.status", "状态应为存续、迁出或注销");
  return violations.ToStatus();
}

CsvImport::FilingCheck EnterpriseRegistry::FilingChecker() const {
  return [editions = editions_](int year, const FilingData& data) {
    std::vector<std::pair<std::string, std::string>> problems;
    absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> hte = editions->Find(std::string(kHighTech), "", year);
    if (!hte.ok()) return problems;
    rules::MapMetricSource source;
    for (const auto& [key, value] : data) {
      if (std::holds_alternative<int64_t>(value)) source.Set(key, std::get<int64_t>(value));
    }
    for (const rules::InputViolation& v : rules::CheckInputs(**hte, source)) problems.emplace_back(v.metric, v.message);
    return problems;
  };
}

absl::Status EnterpriseRegistry::ValidateFiling(int year, const FilingData& data) const {
  FieldViolations violations;
  if (!years_.Contains(year)) violations.Add("filing.year", std::string(years_.Check(year, "filing.year").message()));
  for (const auto& [field, reason] : CheckFiling(data)) violations.Add("filing." + field, reason);
  for (const auto& [field, reason] : FilingChecker()(year, data)) violations.Add("filing." + field, reason);
  return violations.ToStatus();
}

absl::StatusOr<EnterpriseRecord> EnterpriseRegistry::Create(const Caller& caller, const EnterpriseRecord& record,
                                                            const std::string& request_id) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(Validate(record));
  STIP_RETURN_IF_ERROR(CultivationAccess::CanPlace(caller, record.org_unit, /*moving=*/false));
  if (request_id.size() > kMaxRequestId) {
    return InvalidField("request_id", "request_id 不能超过128个字符（建议使用UUID）");
  }
  STIP_ASSIGN_OR_RETURN(EnterpriseRecord created, store_->CreateEnterprise(record, request_id, caller.subject,
                                                                           CreateDeciderFor(record, request_id)));
  Published();
  return created;
}

absl::StatusOr<EnterpriseRecord> EnterpriseRegistry::Get(const Caller& caller, const std::string& uscc) const {
  STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> record, store_->GetEnterprise(uscc));
  if (!record) return EnterpriseNotFound(uscc);
  STIP_RETURN_IF_ERROR(CultivationAccess::CanSee(caller, uscc, record->org_unit));
  return *record;
}

absl::StatusOr<EnterprisePage> EnterpriseRegistry::List(const Caller& caller, const std::string& org_unit,
                                                        EnterpriseStatus status, int offset, int limit) const {
  STIP_ASSIGN_OR_RETURN(std::string scoped, CultivationAccess::ScopedOrgUnit(caller, org_unit));
  EnterprisePage page;
  STIP_ASSIGN_OR_RETURN(page.records, store_->ListEnterprises(scoped, status, offset, limit, &page.total));
  return page;
}

absl::StatusOr<EnterpriseRecord> EnterpriseRegistry::Update(const Caller& caller, const EnterpriseRecord& incoming,
                                                            const std::vector<std::string>& paths,
                                                            const std::string& etag,
                                                            const std::string& status_effective_date) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_ASSIGN_OR_RETURN(EnterpriseRecord current, Get(caller, incoming.uscc));
  STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(etag));
  STIP_RETURN_IF_ERROR(CheckEnterprisePaths(paths));
  EnterpriseRecord updated = Merge(current, incoming, paths);
  STIP_RETURN_IF_ERROR(Validate(updated));
  STIP_RETURN_IF_ERROR(CultivationAccess::CanPlace(caller, updated.org_unit, /*moving=*/true));
  std::string effective_text = status_effective_date.empty() ? TodayText() : status_effective_date;
  std::optional<absl::CivilDay> effective = ParseDate(effective_text);
  if (!effective) return InvalidField("status_effective_date", "日期格式应为YYYY-MM-DD");
  // Checked against the history inside the store's transaction, so two concurrent changes cannot interleave.
  STIP_ASSIGN_OR_RETURN(EnterpriseRecord written,
                        store_->UpdateEnterprise(updated, expected ? expected : current.version, FormatDate(*effective),
                                                 caller.subject, StatusChangeCheckFor(*effective)));
  Published();
  return written;
}

absl::StatusOr<Cohort> EnterpriseRegistry::CohortOf(const Caller& caller, const std::string& uscc) const {
  STIP_RETURN_IF_ERROR(Get(caller, uscc).status());
  STIP_ASSIGN_OR_RETURN(std::optional<Cohort> cohort, store_->LoadOne(uscc));
  if (!cohort) return EnterpriseNotFound(uscc);
  return *cohort;
}

absl::StatusOr<FilingRecord> EnterpriseRegistry::CreateFiling(const Caller& caller, const std::string& uscc, int year,
                                                              const FilingData& data) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(Get(caller, uscc).status());
  STIP_RETURN_IF_ERROR(ValidateFiling(year, data));
  STIP_ASSIGN_OR_RETURN(auto written,
                        store_->PutFiling(uscc, year, data, CultivationStore::PutMode::kCreate, std::nullopt));
  Published();
  return written.first;
}

absl::StatusOr<FilingRecord> EnterpriseRegistry::GetFiling(const Caller& caller, const std::string& uscc,
                                                           int year) const {
  STIP_RETURN_IF_ERROR(Get(caller, uscc).status());
  STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> filing, store_->GetFiling(uscc, year));
  if (!filing) return FilingNotFound(uscc, year);
  return *filing;
}

absl::StatusOr<std::vector<FilingRecord>> EnterpriseRegistry::ListFilings(const Caller& caller,
                                                                          const std::string& uscc) const {
  STIP_RETURN_IF_ERROR(Get(caller, uscc).status());
  return store_->ListFilings(uscc);
}

absl::StatusOr<FilingRecord> EnterpriseRegistry::UpdateFiling(const Caller& caller, const std::string& uscc, int year,
                                                              const FilingPatch& patch, bool allow_missing,
                                                              const std::string& etag) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(Get(caller, uscc).status());
  for (const std::string& path : patch.paths) {
    if (path != "*" && FindFilingField(path) == nullptr) return InvalidField("update_mask", "未知字段：" + path);
  }
  STIP_ASSIGN_OR_RETURN(std::optional<int64_t> expected, ParseEtag(etag));
  STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> existing, store_->GetFiling(uscc, year));
  if (!existing && !allow_missing) return FilingNotFound(uscc, year);
  FilingData data = ApplyPatch(existing ? existing->data : FilingData{}, patch);
  STIP_RETURN_IF_ERROR(ValidateFiling(year, data));
  auto mode = allow_missing ? CultivationStore::PutMode::kUpsert : CultivationStore::PutMode::kUpdate;
  STIP_ASSIGN_OR_RETURN(auto written, store_->PutFiling(uscc, year, data, mode, expected));
  if (written.second != WriteOutcome::kUnchanged) Published();
  return written.first;
}

}  // namespace stip::cultivation
