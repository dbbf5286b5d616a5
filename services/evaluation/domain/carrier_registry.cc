#include "services/evaluation/domain/carrier_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/evaluation/domain/access_policy.h"

namespace stip::evaluation {
namespace {

bool OperatorMayChange(const std::string& path) {
  return path == "operator" || path == "contacts" || path == "note" || path == "established_date";
}

bool Matches(const Carrier& c, const CarrierFilter& filter) {
  if (filter.kind != CarrierKind::kUnspecified && c.kind != filter.kind) return false;
  if (filter.level && CurrentLevel(c) != *filter.level) return false;
  return filter.org_unit.empty() || c.org_unit == filter.org_unit;
}

absl::Status CheckPaths(const Caller& caller, const std::string& id, const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return InvalidField("update_mask", "请列出要修改的字段 (update_mask is required, e.g. contacts,levels)");
  }
  FieldViolations violations;
  bool needs_manage = false;
  for (const std::string& path : paths) {
    if (std::find(CarrierPaths().begin(), CarrierPaths().end(), path) == CarrierPaths().end()) {
      violations.Add("update_mask", absl::StrCat("'", path, "' 不能修改 (cannot be changed)"));
    }
    if (!OperatorMayChange(path)) needs_manage = true;
  }
  STIP_RETURN_IF_ERROR(violations.ToStatus());
  STIP_RETURN_IF_ERROR(AccessPolicy::CanOperate(caller, id));
  if (needs_manage && !AccessPolicy::CanManage(caller).ok()) {
    return absl::PermissionDeniedError(
        "载体运营账号只能修改运营主体、成立日期、联系人和备注；类型、级别等由区科技局登记 (operators may change "
        "operator, "
        "established_date, contacts and note only)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CarrierId(absl::string_view name, absl::string_view field) {
  absl::ConsumePrefix(&name, "carriers/");
  if (!IsCarrierId(name)) {
    return InvalidField(std::string(field),
                        absl::StrCat("'", name, "' 不是载体名称，应如 carriers/cauc-park (not a carrier name)"));
  }
  return std::string(name);
}

const std::vector<std::string>& CarrierPaths() {
  static const std::vector<std::string> kPaths = {"display_name",
                                                  "kind",
                                                  "levels",
                                                  "operator",
                                                  "org_unit",
                                                  "contacts",
                                                  "university",
                                                  "established_date",
                                                  "independent_legal_person",
                                                  "registered_in_tianjin",
                                                  "in_dongli",
                                                  "note",
                                                  "plan_task"};
  return kPaths;
}

void MergeCarrier(const Carrier& v, const std::vector<std::string>& paths, Carrier& c) {
  auto named = [&](absl::string_view path) { return std::find(paths.begin(), paths.end(), path) != paths.end(); };
  if (named("display_name")) c.display_name = v.display_name;
  if (named("kind")) c.kind = v.kind;
  if (named("levels")) c.levels = v.levels;
  if (named("operator")) c.operator_name = v.operator_name;
  if (named("org_unit")) c.org_unit = v.org_unit;
  if (named("contacts")) c.contacts = v.contacts;
  if (named("university")) c.university = v.university;
  if (named("established_date")) c.established_date = v.established_date;
  if (named("independent_legal_person")) c.independent_legal_person = v.independent_legal_person;
  if (named("registered_in_tianjin")) c.registered_in_tianjin = v.registered_in_tianjin;
  if (named("in_dongli")) c.in_dongli = v.in_dongli;
  if (named("note")) c.note = v.note;
  if (named("plan_task")) c.plan_task = v.plan_task;
}

absl::Status ViolationsStatus(const std::vector<Violation>& violations) {
  FieldViolations out;
  for (const Violation& v : violations) out.Add(v.field, v.message);
  return out.ToStatus();
}

void CarrierRegistry::Published() const {
  if (notifier_ != nullptr) notifier_->Publish("evaluation");
}

absl::StatusOr<Carrier> CarrierRegistry::Readable(const Caller& caller, absl::string_view name,
                                                  absl::string_view field) const {
  STIP_ASSIGN_OR_RETURN(std::string id, CarrierId(name, field));
  STIP_RETURN_IF_ERROR(AccessPolicy::CanRead(caller, id));
  STIP_ASSIGN_OR_RETURN(std::optional<Carrier> found, store_->FindCarrier(id));
  if (!found) return NotFound("载体 carrier", name);
  return *found;
}

absl::StatusOr<std::vector<Carrier>> CarrierRegistry::List(const Caller& caller, const CarrierFilter& filter) const {
  STIP_ASSIGN_OR_RETURN(std::vector<Carrier> carriers, store_->ListCarriers());
  std::vector<Carrier> out;
  for (Carrier& c : carriers) {
    if ((AccessPolicy::SeesAll(caller) || c.id == caller.org_unit) && Matches(c, filter)) out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<CarrierView> CarrierRegistry::Get(const Caller& caller, absl::string_view name) const {
  STIP_ASSIGN_OR_RETURN(Carrier carrier, Readable(caller, name));
  STIP_ASSIGN_OR_RETURN(std::vector<PerformanceRecord> performance, store_->ListPerformance(carrier.id));
  bool at_risk = !performance.empty() && performance.front().loses_national_status;
  return CarrierView{std::move(carrier), at_risk};
}

absl::StatusOr<Carrier> CarrierRegistry::Create(const Caller& caller, const Carrier& carrier) {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanManage(caller));
  STIP_RETURN_IF_ERROR(ViolationsStatus(ValidateCarrier(carrier, org_units_)));
  STIP_ASSIGN_OR_RETURN(Carrier saved, store_->SaveCarrier(carrier, true));
  Published();
  return saved;
}

absl::StatusOr<Carrier> CarrierRegistry::Update(const Caller& caller, absl::string_view name,
                                                const CarrierPatch& patch) {
  STIP_ASSIGN_OR_RETURN(std::string id, CarrierId(name, "carrier.name"));
  STIP_RETURN_IF_ERROR(CheckPaths(caller, id, patch.paths));
  STIP_ASSIGN_OR_RETURN(std::optional<Carrier> found, store_->FindCarrier(id));
  if (!found) return NotFound("载体 carrier", name);
  Carrier carrier = *found;
  STIP_RETURN_IF_ERROR(CheckEtag(patch.etag, carrier.version, "载体信息"));
  MergeCarrier(patch.values, patch.paths, carrier);
  STIP_RETURN_IF_ERROR(ViolationsStatus(ValidateCarrier(carrier, org_units_)));
  STIP_ASSIGN_OR_RETURN(Carrier saved, store_->SaveCarrier(carrier, false));
  Published();
  return saved;
}

absl::StatusOr<AnnualReport> CarrierRegistry::SaveReport(const Caller& caller, absl::string_view carrier_name,
                                                         AnnualReport report, bool insert, const std::string& etag) {
  STIP_ASSIGN_OR_RETURN(std::string id, CarrierId(carrier_name, "parent"));
  STIP_RETURN_IF_ERROR(AccessPolicy::CanOperate(caller, id));
  STIP_ASSIGN_OR_RETURN(std::optional<Carrier> carrier, store_->FindCarrier(id));
  if (!carrier) return NotFound("载体 carrier", carrier_name);
  report.carrier_id = id;
  report.submitter = caller.subject;
  STIP_RETURN_IF_ERROR(ViolationsStatus(ValidateReport(report)));
  if (!insert) {
    STIP_ASSIGN_OR_RETURN(std::optional<AnnualReport> existing, store_->FindReport(id, report.year));
    if (!existing) return NotFound("年度报告 report", absl::StrCat("carriers/", id, "/reports/", report.year));
    report.version = existing->version;
    STIP_RETURN_IF_ERROR(CheckEtag(etag, report.version, "年度报告"));
  }
  STIP_ASSIGN_OR_RETURN(AnnualReport saved, store_->SaveReport(report, insert));
  Published();
  return saved;
}

absl::StatusOr<AnnualReport> CarrierRegistry::GetReport(const Caller& caller, absl::string_view carrier_id,
                                                        int year) const {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanRead(caller, carrier_id));
  STIP_ASSIGN_OR_RETURN(std::optional<AnnualReport> report, store_->FindReport(carrier_id, year));
  if (!report) return NotFound("年度报告 report", absl::StrCat("carriers/", carrier_id, "/reports/", year));
  return *report;
}

absl::StatusOr<std::vector<AnnualReport>> CarrierRegistry::ListReports(const Caller& caller,
                                                                       absl::string_view carrier_name) const {
  STIP_ASSIGN_OR_RETURN(Carrier carrier, Readable(caller, carrier_name, "parent"));
  return store_->ListReports(carrier.id);
}

absl::StatusOr<std::vector<RecognitionResult>> CarrierRegistry::CheckRecognition(const Caller& caller,
                                                                                 const Carrier& carrier, int year,
                                                                                 absl::string_view program,
                                                                                 absl::string_view edition) const {
  if (year == 0) return InvalidField("year", "请指定使用哪一年度的报告 (year is required)");
  STIP_ASSIGN_OR_RETURN(std::optional<AnnualReport> report, store_->FindReport(carrier.id, year));
  if (!report) {
    return absl::FailedPreconditionError(absl::StrCat(carrier.display_name, "尚未提交", year,
                                                      "年度报告，无法检查认定条件 (file the annual report first)"));
  }
  absl::StatusOr<std::vector<RecognitionResult>> results =
      ::stip::evaluation::CheckRecognition(*editions_, carrier, *report, program, edition);
  if (results.status().code() == absl::StatusCode::kInvalidArgument) {
    return InvalidField("program", std::string(results.status().message()));
  }
  return results;
}

std::vector<std::pair<std::shared_ptr<const rules::RuleEdition>, std::string>> CarrierRegistry::RecognitionEditions(
    const std::string& program) const {
  std::vector<std::pair<std::shared_ptr<const rules::RuleEdition>, std::string>> out;
  for (const auto& edition : editions_->List(program)) {
    if (IsCarrierProgram(edition->program))
      out.emplace_back(edition, editions_->Origin(edition->program, edition->edition));
  }
  return out;
}

}  // namespace stip::evaluation
