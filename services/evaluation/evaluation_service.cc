#include "services/evaluation/evaluation_service.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "absl/strings/str_split.h"
#include "common/paging.h"
#include "common/status.h"
#include "google/protobuf/util/json_util.h"
#include "services/evaluation/access_policy.h"
#include "services/evaluation/annual_report.h"
#include "services/evaluation/recognition.h"
#include "services/evaluation/statistics.h"

namespace stip::evaluation {
namespace {

using google::protobuf::FieldDescriptor;

constexpr absl::string_view kRubricDoc = "rubric";
constexpr absl::string_view kSchemeDoc = "performance";

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp t;
  t.set_seconds(absl::ToUnixSeconds(time));
  t.set_nanos(static_cast<int>(absl::ToUnixNanos(time) % 1000000000));
  return t;
}

absl::Status NotFound(absl::string_view what, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("未找到", what, " (not found): ", name));
}

absl::Status ToStatus(const std::vector<Violation>& violations) {
  FieldViolations out;
  for (const Violation& v : violations) out.Add(v.field, v.message);
  return out.ToStatus();
}

// "carriers/{id}" (or a bare id) → id.
absl::StatusOr<std::string> CarrierId(absl::string_view name, absl::string_view field) {
  absl::ConsumePrefix(&name, "carriers/");
  if (!IsCarrierId(name)) {
    return InvalidField(std::string(field), absl::StrCat("'", name, "' 不是载体名称，应如 carriers/cauc-park (not a carrier name)"));
  }
  return std::string(name);
}

// "carriers/{id}/<collection>/{key}" → (id, key).
absl::StatusOr<std::pair<std::string, std::string>> ChildName(absl::string_view name, absl::string_view collection,
                                                              absl::string_view field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "carriers" || parts[2] != collection || !IsCarrierId(parts[1]) || parts[3].empty()) {
    return InvalidField(std::string(field), absl::StrCat("'", name, "' 应如 carriers/cauc-park/", collection, "/2021"));
  }
  return std::make_pair(parts[1], parts[3]);
}

absl::StatusOr<int> YearOf(absl::string_view text, absl::string_view field) {
  int year = 0;
  if (!absl::SimpleAtoi(text, &year) || year < 2000 || year > 2100) {
    return InvalidField(std::string(field), absl::StrCat("'", text, "' 不是有效年份 (not a year)"));
  }
  return year;
}

pb::Carrier ToProto(const Carrier& c, bool at_risk) {
  pb::Carrier out;
  out.set_name(absl::StrCat("carriers/", c.id));
  out.set_id(c.id);
  out.set_display_name(c.display_name);
  out.set_kind(static_cast<pb::CarrierKind>(c.kind));
  out.set_kind_display_name(KindName(c.kind));
  for (const LevelGrant& g : c.levels) {
    pb::LevelGrant* level = out.add_levels();
    level->set_level(static_cast<pb::CarrierLevel>(g.level));
    level->set_year(g.year);
    level->set_document(g.document);
    level->set_display_name(LevelName(g.level));
    level->set_revoked_year(g.revoked_year);
  }
  out.set_current_level(static_cast<pb::CarrierLevel>(CurrentLevel(c)));
  out.set_operator_(c.operator_name);
  out.set_org_unit(c.org_unit);
  for (const Contact& contact : c.contacts) {
    pb::Contact* p = out.add_contacts();
    p->set_name(contact.name);
    p->set_role(contact.role);
    p->set_phone(contact.phone);
    p->set_email(contact.email);
  }
  out.set_university(c.university);
  out.set_established_date(c.established_date);
  out.set_independent_legal_person(c.independent_legal_person);
  out.set_registered_in_tianjin(c.registered_in_tianjin);
  out.set_in_dongli(c.in_dongli);
  out.set_note(c.note);
  out.set_plan_task(c.plan_task);
  out.set_national_status_at_risk(at_risk);
  out.set_etag(absl::StrCat(c.version));
  *out.mutable_update_time() = ToTimestamp(c.update_time);
  return out;
}

// Copies the fields named in `paths` from the proto into `c`.
void MergeCarrier(const pb::Carrier& p, const std::vector<std::string>& paths, Carrier& c) {
  for (const std::string& path : paths) {
    if (path == "display_name") c.display_name = p.display_name();
    if (path == "kind") c.kind = static_cast<CarrierKind>(p.kind());
    if (path == "levels") {
      c.levels.clear();
      for (const pb::LevelGrant& g : p.levels()) {
        c.levels.push_back({static_cast<CarrierLevel>(g.level()), g.year(), g.document(), g.revoked_year()});
      }
    }
    if (path == "operator") c.operator_name = p.operator_();
    if (path == "org_unit") c.org_unit = p.org_unit();
    if (path == "contacts") {
      c.contacts.clear();
      for (const pb::Contact& x : p.contacts()) c.contacts.push_back({x.name(), x.role(), x.phone(), x.email()});
    }
    if (path == "university") c.university = p.university();
    if (path == "established_date") c.established_date = p.established_date();
    if (path == "independent_legal_person") c.independent_legal_person = p.independent_legal_person();
    if (path == "registered_in_tianjin") c.registered_in_tianjin = p.registered_in_tianjin();
    if (path == "in_dongli") c.in_dongli = p.in_dongli();
    if (path == "note") c.note = p.note();
    if (path == "plan_task") c.plan_task = p.plan_task();
  }
}

const std::vector<std::string>& CarrierPaths() {
  static const std::vector<std::string> kPaths = {"display_name", "kind", "levels", "operator", "org_unit", "contacts",
                                                  "university", "established_date", "independent_legal_person",
                                                  "registered_in_tianjin", "in_dongli", "note", "plan_task"};
  return kPaths;
}
bool OperatorMayChange(const std::string& path) {
  return path == "operator" || path == "contacts" || path == "note" || path == "established_date";
}

// Report figures ↔ proto fields of the same name (reflection keeps the two lists in one place).
AnnualReport FromProto(const pb::AnnualReport& p, const std::string& carrier_id) {
  AnnualReport r;
  r.carrier_id = carrier_id;
  r.year = p.year();
  r.summary = p.summary();
  const google::protobuf::Reflection* reflection = p.GetReflection();
  for (const FigureDef& def : Figures()) {
    const FieldDescriptor* field = p.GetDescriptor()->FindFieldByName(def.name);
    if (field == nullptr) continue;
    double value = 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_DOUBLE: value = reflection->GetDouble(p, field); break;
      case FieldDescriptor::CPPTYPE_INT64: value = static_cast<double>(reflection->GetInt64(p, field)); break;
      case FieldDescriptor::CPPTYPE_INT32: value = reflection->GetInt32(p, field); break;
      case FieldDescriptor::CPPTYPE_BOOL: value = reflection->GetBool(p, field) ? 1 : 0; break;
      default: continue;
    }
    if (value != 0) r.figures[def.name] = value;
  }
  return r;
}

pb::AnnualReport ToProto(const AnnualReport& r) {
  pb::AnnualReport p;
  p.set_name(absl::StrCat("carriers/", r.carrier_id, "/reports/", r.year));
  p.set_year(r.year);
  p.set_summary(r.summary);
  p.set_submitter(r.submitter);
  *p.mutable_update_time() = ToTimestamp(r.update_time);
  p.set_etag(absl::StrCat(r.version));
  const google::protobuf::Reflection* reflection = p.GetReflection();
  for (const auto& [name, value] : r.figures) {
    const FieldDescriptor* field = p.GetDescriptor()->FindFieldByName(name);
    if (field == nullptr) continue;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_DOUBLE: reflection->SetDouble(&p, field, value); break;
      case FieldDescriptor::CPPTYPE_INT64: reflection->SetInt64(&p, field, static_cast<int64_t>(value)); break;
      case FieldDescriptor::CPPTYPE_INT32: reflection->SetInt32(&p, field, static_cast<int32_t>(value)); break;
      case FieldDescriptor::CPPTYPE_BOOL: reflection->SetBool(&p, field, value != 0); break;
      default: break;
    }
  }
  return p;
}

stip::type::v1::SourceStatus ToProto(rules::SourceStatus status) {
  switch (status) {
    case rules::SourceStatus::kVerified: return stip::type::v1::VERIFIED;
    case rules::SourceStatus::kPartial: return stip::type::v1::PARTIALLY_VERIFIED;
    case rules::SourceStatus::kRecalled: return stip::type::v1::RECALLED;
    case rules::SourceStatus::kInferred: return stip::type::v1::INFERRED;
    case rules::SourceStatus::kMissing: return stip::type::v1::MISSING;
  }
  return stip::type::v1::SOURCE_STATUS_UNSPECIFIED;
}

stip::type::v1::Outcome ToProto(rules::Outcome outcome) {
  switch (outcome) {
    case rules::Outcome::kPass: return stip::type::v1::PASS;
    case rules::Outcome::kFail: return stip::type::v1::FAIL;
    case rules::Outcome::kNotApplicable: return stip::type::v1::NOT_APPLICABLE;
    case rules::Outcome::kMissingData: return stip::type::v1::MISSING_DATA;
  }
  return stip::type::v1::OUTCOME_UNSPECIFIED;
}

pb::RubricVersion ToProto(const Rubric& r, const StoredDocument& doc) {
  pb::RubricVersion p;
  p.set_name(absl::StrCat("rubrics/", r.rubric, "/versions/", r.version));
  p.set_rubric(r.rubric);
  p.set_version(r.version);
  p.set_title(r.title);
  p.set_effective_year(r.effective_year);
  p.set_provisional(r.provisional);
  p.set_pass_total(r.pass_total);
  for (const RubricItem& item : r.items) {
    pb::RubricItem* i = p.add_items();
    i->set_id(item.id);
    i->set_title(item.title);
    i->set_description(item.description);
    i->set_evidence(item.evidence);
    i->set_max_score(item.max_score);
    i->set_pass_score(item.pass_score);
    i->set_source(item.source);
    i->set_provisional(item.provisional);
  }
  for (const std::string& note : r.notes) p.add_notes(note);
  p.set_origin(doc.origin);
  p.set_creator(doc.creator);
  *p.mutable_create_time() = ToTimestamp(doc.create_time);
  return p;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(json, &message, options);
  return message;
}

pb::Grade ToProto(Grade grade) { return static_cast<pb::Grade>(grade); }

}  // namespace

absl::Status SeedDocuments(EvaluationStore& store, const std::string& seed_dir) {
  for (const auto& [dir, kind] : {std::pair{std::string("/rubrics"), kRubricDoc}, std::pair{std::string("/performance"), kSchemeDoc}}) {
    absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(seed_dir + dir);
    if (!files.ok()) return files.status();
    for (const DataFile& file : *files) {
      const std::string& json = file.contents;
      StoredDocument doc;
      doc.kind = std::string(kind);
      if (kind == kRubricDoc) {
        absl::StatusOr<Rubric> rubric = ParseRubric(json);
        if (!rubric.ok()) return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", rubric.status().message()));
        doc.id = rubric->rubric;
        doc.version = rubric->version;
      } else {
        absl::StatusOr<PerformanceScheme> scheme = ParsePerformanceScheme(json);
        if (!scheme.ok()) return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", scheme.status().message()));
        if (scheme->version < 1) return absl::InvalidArgumentError(absl::StrCat(file.path, ": \"version\" must be ≥ 1"));
        doc.id = scheme->scheme;
        doc.version = scheme->version;
      }
      doc.json = json;
      doc.origin = absl::StrCat("file:", std::filesystem::path(file.path).filename().string());
      doc.creator = "seed";
      doc.create_time = absl::Now();
      absl::Status added = store.AddDocument(doc);
      if (!added.ok() && added.code() != absl::StatusCode::kAlreadyExists) return added;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Carrier> EvaluationServiceImpl::ReadableCarrier(const Caller& caller, absl::string_view name) {
  absl::StatusOr<std::string> id = CarrierId(name, "name");
  if (!id.ok()) return id.status();
  if (absl::Status allowed = AccessPolicy::CanRead(caller, *id); !allowed.ok()) return allowed;
  absl::StatusOr<std::optional<Carrier>> found = store_->FindCarrier(*id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound("载体 carrier", name);
  return **found;
}

absl::StatusOr<std::vector<Rubric>> EvaluationServiceImpl::Rubrics(absl::string_view rubric) {
  absl::StatusOr<std::vector<StoredDocument>> docs = store_->ListDocuments(kRubricDoc, rubric);
  if (!docs.ok()) return docs.status();
  std::vector<Rubric> out;
  for (const StoredDocument& doc : *docs) {
    absl::StatusOr<Rubric> parsed = ParseRubric(doc.json);
    if (!parsed.ok()) return parsed.status();
    out.push_back(std::move(*parsed));
  }
  return out;
}

absl::StatusOr<std::vector<PerformanceScheme>> EvaluationServiceImpl::Schemes(absl::string_view scheme) {
  absl::StatusOr<std::vector<StoredDocument>> docs =
      scheme.empty() ? store_->ListAllDocuments(kSchemeDoc) : store_->ListDocuments(kSchemeDoc, scheme);
  if (!docs.ok()) return docs.status();
  std::map<std::string, std::vector<PerformanceScheme>> by_id;
  for (const StoredDocument& doc : *docs) {
    absl::StatusOr<PerformanceScheme> parsed = ParsePerformanceScheme(doc.json);
    if (!parsed.ok()) return parsed.status();
    parsed->version = doc.version;
    by_id[doc.id].push_back(std::move(*parsed));
  }
  std::vector<PerformanceScheme> out;
  for (auto& [id, versions] : by_id) {
    for (auto& v : versions) out.push_back(std::move(v));  // ascending version within a scheme
  }
  return out;
}

#define STIP_UNARY(Name, Request, Response) \
  grpc::ServerUnaryReactor* EvaluationServiceImpl::Name(grpc::CallbackServerContext* context, \
                                                        const pb::Request* request, pb::Response* response)

STIP_UNARY(ListCarriers, ListCarriersRequest, ListCarriersResponse) {
  return runtime_->Unary(context, "ListCarriers", [&](const Caller& caller) -> absl::Status {
    std::string fingerprint = absl::StrCat(request->kind(), "|", request->level(), "|", request->org_unit());
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), fingerprint);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<Carrier>> carriers = store_->ListCarriers();
    if (!carriers.ok()) return carriers.status();
    int index = 0, returned = 0;
    bool more = false;
    for (const Carrier& c : *carriers) {
      if (!AccessPolicy::SeesAll(caller) && c.id != caller.org_unit) continue;
      if (request->kind() != pb::CARRIER_KIND_UNSPECIFIED && static_cast<int>(c.kind) != request->kind()) continue;
      if (request->level() != pb::CARRIER_LEVEL_UNSPECIFIED && static_cast<int>(CurrentLevel(c)) != request->level()) continue;
      if (!request->org_unit().empty() && c.org_unit != request->org_unit()) continue;
      if (index++ < page->offset) continue;
      if (returned >= page->size) {
        more = true;
        break;
      }
      *response->add_carriers() = ToProto(c, false);
      ++returned;
    }
    if (more) response->set_next_page_token(NextPageToken(*page, returned, fingerprint));
    return absl::OkStatus();
  });
}

STIP_UNARY(GetCarrier, GetCarrierRequest, Carrier) {
  return runtime_->Unary(context, "GetCarrier", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request->name());
    if (!carrier.ok()) return carrier.status();
    absl::StatusOr<std::vector<StoredRecord>> performance = store_->ListPerformance(carrier->id);
    if (!performance.ok()) return performance.status();
    bool at_risk = !performance->empty() && performance->front().flag;
    *response = ToProto(*carrier, at_risk);
    return absl::OkStatus();
  });
}

STIP_UNARY(CreateCarrier, CreateCarrierRequest, Carrier) {
  return runtime_->Unary(context, "CreateCarrier", [&](const Caller& caller) -> absl::Status {
    if (absl::Status allowed = AccessPolicy::CanManage(caller); !allowed.ok()) return allowed;
    Carrier c;
    c.id = request->carrier_id().empty() ? request->carrier().id() : request->carrier_id();
    MergeCarrier(request->carrier(), CarrierPaths(), c);
    if (!request->carrier().in_dongli()) c.in_dongli = true;  // proto3 default false: carriers here are in Dongli
    if (std::vector<Violation> v = ValidateCarrier(c, org_units_); !v.empty()) return ToStatus(v);
    absl::StatusOr<Carrier> saved = store_->SaveCarrier(c, true);
    if (!saved.ok()) return saved.status();
    Published();
    *response = ToProto(*saved, false);
    return absl::OkStatus();
  });
}

STIP_UNARY(UpdateCarrier, UpdateCarrierRequest, Carrier) {
  return runtime_->Unary(context, "UpdateCarrier",
                         [&](const Caller& caller) { return DoUpdateCarrier(caller, *request, response); });
}

absl::Status EvaluationServiceImpl::DoUpdateCarrier(const Caller& caller, const pb::UpdateCarrierRequest& request,
                                                    pb::Carrier* response) {
  absl::StatusOr<std::string> id = CarrierId(request.carrier().name(), "carrier.name");
  if (!id.ok()) return id.status();
  std::vector<std::string> paths(request.update_mask().paths().begin(), request.update_mask().paths().end());
  if (paths.empty()) return InvalidField("update_mask", "请列出要修改的字段 (update_mask is required, e.g. contacts,levels)");
  FieldViolations violations;
  bool needs_manage = false;
  for (const std::string& path : paths) {
    if (std::find(CarrierPaths().begin(), CarrierPaths().end(), path) == CarrierPaths().end()) {
      violations.Add("update_mask", absl::StrCat("'", path, "' 不能修改 (cannot be changed)"));
    }
    if (!OperatorMayChange(path)) needs_manage = true;
  }
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status allowed = AccessPolicy::CanOperate(caller, *id); !allowed.ok()) return allowed;
  if (needs_manage) {
    if (absl::Status allowed = AccessPolicy::CanManage(caller); !allowed.ok()) {
      return absl::PermissionDeniedError(
          "载体运营账号只能修改运营主体、成立日期、联系人和备注；类型、级别等由区科技局登记 (operators may change operator, "
          "established_date, contacts and note only)");
    }
  }
  absl::StatusOr<std::optional<Carrier>> found = store_->FindCarrier(*id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound("载体 carrier", request.carrier().name());
  Carrier c = **found;
  if (!request.carrier().etag().empty() && request.carrier().etag() != absl::StrCat(c.version)) {
    return absl::AbortedError("载体信息已被他人修改 (etag mismatch): read it again and retry");
  }
  MergeCarrier(request.carrier(), paths, c);
  if (std::vector<Violation> v = ValidateCarrier(c, org_units_); !v.empty()) return ToStatus(v);
  absl::StatusOr<Carrier> saved = store_->SaveCarrier(c, false);
  if (!saved.ok()) return saved.status();
  Published();
  *response = ToProto(*saved, false);
  return absl::OkStatus();
}

STIP_UNARY(CreateAnnualReport, CreateAnnualReportRequest, AnnualReport) {
  return runtime_->Unary(context, "CreateAnnualReport", [&](const Caller& caller) {
    return DoSaveReport(caller, request->parent(), request->report(), true, response);
  });
}

STIP_UNARY(UpdateAnnualReport, UpdateAnnualReportRequest, AnnualReport) {
  return runtime_->Unary(context, "UpdateAnnualReport", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> key = ChildName(request->report().name(), "reports", "report.name");
    if (!key.ok()) return key.status();
    absl::StatusOr<int> year = YearOf(key->second, "report.name");
    if (!year.ok()) return year.status();
    pb::AnnualReport report = request->report();
    report.set_year(*year);
    return DoSaveReport(caller, absl::StrCat("carriers/", key->first), report, false, response);
  });
}

absl::Status EvaluationServiceImpl::DoSaveReport(const Caller& caller, const std::string& carrier_name,
                                                 const pb::AnnualReport& proto, bool insert, pb::AnnualReport* response) {
  absl::StatusOr<std::string> id = CarrierId(carrier_name, "parent");
  if (!id.ok()) return id.status();
  if (absl::Status allowed = AccessPolicy::CanOperate(caller, *id); !allowed.ok()) return allowed;
  absl::StatusOr<std::optional<Carrier>> carrier = store_->FindCarrier(*id);
  if (!carrier.ok()) return carrier.status();
  if (!carrier->has_value()) return NotFound("载体 carrier", carrier_name);
  AnnualReport report = FromProto(proto, *id);
  report.submitter = caller.subject;
  if (std::vector<Violation> v = ValidateReport(report); !v.empty()) return ToStatus(v);
  if (!insert) {
    absl::StatusOr<std::optional<AnnualReport>> existing = store_->FindReport(*id, report.year);
    if (!existing.ok()) return existing.status();
    if (!existing->has_value()) return NotFound("年度报告 report", absl::StrCat(carrier_name, "/reports/", report.year));
    report.version = (*existing)->version;
    if (!proto.etag().empty() && proto.etag() != absl::StrCat(report.version)) {
      return absl::AbortedError("年度报告已被他人修改 (etag mismatch): read it again and retry");
    }
  }
  absl::StatusOr<AnnualReport> saved = store_->SaveReport(report, insert);
  if (!saved.ok()) return saved.status();
  Published();
  *response = ToProto(*saved);
  return absl::OkStatus();
}

STIP_UNARY(GetAnnualReport, GetAnnualReportRequest, AnnualReport) {
  return runtime_->Unary(context, "GetAnnualReport", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> key = ChildName(request->name(), "reports", "name");
    if (!key.ok()) return key.status();
    absl::StatusOr<int> year = YearOf(key->second, "name");
    if (!year.ok()) return year.status();
    if (absl::Status allowed = AccessPolicy::CanRead(caller, key->first); !allowed.ok()) return allowed;
    absl::StatusOr<std::optional<AnnualReport>> report = store_->FindReport(key->first, *year);
    if (!report.ok()) return report.status();
    if (!report->has_value()) return NotFound("年度报告 report", request->name());
    *response = ToProto(**report);
    return absl::OkStatus();
  });
}

STIP_UNARY(ListAnnualReports, ListAnnualReportsRequest, ListAnnualReportsResponse) {
  return runtime_->Unary(context, "ListAnnualReports", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request->parent());
    if (!carrier.ok()) return carrier.status();
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<AnnualReport>> reports = store_->ListReports(carrier->id);
    if (!reports.ok()) return reports.status();
    int total = static_cast<int>(reports->size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) *response->add_reports() = ToProto((*reports)[i]);
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

STIP_UNARY(CheckRecognition, CheckRecognitionRequest, CheckRecognitionResponse) {
  return runtime_->Unary(context, "CheckRecognition", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request->name());
    if (!carrier.ok()) return carrier.status();
    if (request->year() == 0) return InvalidField("year", "请指定使用哪一年度的报告 (year is required)");
    absl::StatusOr<std::optional<AnnualReport>> report = store_->FindReport(carrier->id, request->year());
    if (!report.ok()) return report.status();
    if (!report->has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(carrier->display_name, "尚未提交", request->year(),
                                                        "年度报告，无法检查认定条件 (file the annual report first)"));
    }
    absl::StatusOr<std::vector<RecognitionResult>> results =
        ::stip::evaluation::CheckRecognition(*editions_, *carrier, **report, request->program(), request->edition());
    if (!results.ok()) {
      if (results.status().code() == absl::StatusCode::kInvalidArgument) {
        return InvalidField("program", std::string(results.status().message()));
      }
      return results.status();
    }
    response->set_carrier(absl::StrCat("carriers/", carrier->id));
    response->set_year(request->year());
    for (const RecognitionResult& result : *results) {
      pb::RecognitionCheck* check = response->add_checks();
      check->set_program(result.edition->program);
      check->set_edition(result.edition->edition);
      check->set_title(result.edition->title);
      check->set_document(result.edition->document);
      check->set_level(static_cast<pb::CarrierLevel>(result.level));
      check->set_eligible(result.evaluation.eligible);
      check->set_outcome(ToProto(result.evaluation.outcome));
      check->set_provisional(result.evaluation.provisional);
      for (const std::string& note : result.edition->notes) check->add_notes(note);
      for (const rules::CriterionResult& r : result.evaluation.results) {
        stip::type::v1::CriterionResult* c = check->add_criteria();
        c->set_id(r.id);
        c->set_description(r.description);
        c->set_actual(r.actual);
        c->set_threshold(r.threshold);
        c->set_outcome(ToProto(r.outcome));
        c->set_provisional(r.provisional);
        c->set_source_status(ToProto(r.status));
        c->set_source(r.source);
        c->set_actual_value(r.actual_value.value_or(0));
        c->set_threshold_value(r.threshold_value.value_or(0));
        c->set_shortfall(r.shortfall);
        check->add_criterion_depth(r.depth);
      }
    }
    return absl::OkStatus();
  });
}

STIP_UNARY(ListRuleEditions, ListRuleEditionsRequest, ListRuleEditionsResponse) {
  return runtime_->Unary(context, "ListRuleEditions", [&](const Caller&) -> absl::Status {
    for (const auto& edition : editions_->List(request->program())) {
      if (!IsCarrierProgram(edition->program)) continue;
      pb::RuleEditionInfo* info = response->add_editions();
      info->set_program(edition->program);
      info->set_edition(edition->edition);
      info->set_title(edition->title);
      info->set_document(edition->document);
      info->set_effective_from(edition->effective_from);
      info->set_provisional(edition->AnyProvisional());
      info->set_origin(editions_->Origin(edition->program, edition->edition));
      for (const std::string& note : edition->notes) info->add_notes(note);
    }
    return absl::OkStatus();
  });
}

STIP_UNARY(ListRubricVersions, ListRubricVersionsRequest, ListRubricVersionsResponse) {
  return runtime_->Unary(context, "ListRubricVersions", [&](const Caller&) -> absl::Status {
    absl::string_view rubric = request->parent();
    absl::ConsumePrefix(&rubric, "rubrics/");
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<StoredDocument>> docs = store_->ListDocuments(kRubricDoc, rubric);
    if (!docs.ok()) return docs.status();
    if (docs->empty()) return NotFound("评价标准 rubric", request->parent());
    int total = static_cast<int>(docs->size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) {
      absl::StatusOr<Rubric> parsed = ParseRubric((*docs)[i].json);
      if (!parsed.ok()) return parsed.status();
      *response->add_versions() = ToProto(*parsed, (*docs)[i]);
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

STIP_UNARY(GetRubricVersion, GetRubricVersionRequest, RubricVersion) {
  return runtime_->Unary(context, "GetRubricVersion", [&](const Caller&) -> absl::Status {
    std::vector<std::string> parts = absl::StrSplit(request->name(), '/');
    if (parts.size() != 4 || parts[0] != "rubrics" || parts[2] != "versions") {
      return InvalidField("name", "应如 rubrics/liuyou/versions/1 或 rubrics/liuyou/versions/latest");
    }
    absl::StatusOr<std::vector<StoredDocument>> docs = store_->ListDocuments(kRubricDoc, parts[1]);
    if (!docs.ok()) return docs.status();
    for (auto it = docs->rbegin(); it != docs->rend(); ++it) {
      if (parts[3] == "latest" || parts[3] == absl::StrCat(it->version)) {
        absl::StatusOr<Rubric> parsed = ParseRubric(it->json);
        if (!parsed.ok()) return parsed.status();
        *response = ToProto(*parsed, *it);
        return absl::OkStatus();
      }
    }
    return NotFound("评价标准版本 rubric version", request->name());
  });
}

STIP_UNARY(CreateRubricVersion, CreateRubricVersionRequest, RubricVersion) {
  return runtime_->Unary(context, "CreateRubricVersion", [&](const Caller& caller) -> absl::Status {
    if (absl::Status allowed = AccessPolicy::CanPublish(caller); !allowed.ok()) return allowed;
    absl::string_view id = request->parent();
    absl::ConsumePrefix(&id, "rubrics/");
    const pb::RubricVersion& p = request->rubric_version();
    Rubric r;
    r.rubric = std::string(id);
    r.title = p.title();
    r.effective_year = p.effective_year();
    r.provisional = p.provisional();
    r.pass_total = p.pass_total();
    for (const std::string& note : p.notes()) r.notes.push_back(note);
    for (const pb::RubricItem& i : p.items()) {
      r.items.push_back({i.id(), i.title(), i.description(), i.evidence(), i.max_score(), i.pass_score(), i.source(),
                         i.provisional() || p.provisional()});
    }
    absl::StatusOr<std::vector<StoredDocument>> existing = store_->ListDocuments(kRubricDoc, r.rubric);
    if (!existing.ok()) return existing.status();
    r.version = p.version() != 0 ? p.version() : (existing->empty() ? 1 : existing->back().version + 1);
    if (std::vector<Violation> v = ValidateRubric(r); !v.empty()) return ToStatus(v);
    StoredDocument doc{std::string(kRubricDoc), r.rubric, r.version, RubricToJson(r), "api", caller.subject, absl::Now()};
    if (absl::Status added = store_->AddDocument(doc); !added.ok()) return added;
    Published();
    *response = ToProto(r, doc);
    return absl::OkStatus();
  });
}

STIP_UNARY(CreateAssessment, CreateAssessmentRequest, Assessment) {
  return runtime_->Unary(context, "CreateAssessment",
                         [&](const Caller& caller) { return DoAssess(caller, *request, response); });
}

absl::Status EvaluationServiceImpl::DoAssess(const Caller& caller, const pb::CreateAssessmentRequest& request,
                                             pb::Assessment* response) {
  if (absl::Status allowed = AccessPolicy::CanManage(caller); !allowed.ok()) return allowed;
  absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request.parent());
  if (!carrier.ok()) return carrier.status();
  const pb::Assessment& in = request.assessment();
  if (in.year() < 2000 || in.year() > 2100) return InvalidField("assessment.year", "请填写考核年度 (year is required)");
  std::string rubric_id = in.rubric().empty() ? std::string(kLiuyou) : in.rubric();
  absl::StatusOr<std::vector<Rubric>> versions = Rubrics(rubric_id);
  if (!versions.ok()) return versions.status();
  const Rubric* rubric = nullptr;
  if (in.rubric_version() != 0) {
    for (const Rubric& r : *versions) {
      if (r.version == in.rubric_version()) rubric = &r;
    }
  } else {
    rubric = DefaultRubric(*versions, in.year());
  }
  if (rubric == nullptr) {
    return InvalidField("assessment.rubric_version", absl::StrCat("没有评价标准 ", rubric_id, " 第", in.rubric_version(), "版"));
  }
  std::vector<ItemScore> scores;
  for (const pb::ItemScore& s : in.items()) scores.push_back({s.item_id(), s.score(), s.evidence(), s.comment(), false});
  std::vector<Violation> violations;
  absl::StatusOr<AssessmentResult> result = ScoreAssessment(*rubric, scores, &violations);
  if (!result.ok()) return ToStatus(violations);
  pb::Assessment out;
  out.set_year(in.year());
  out.set_rubric(rubric->rubric);
  out.set_rubric_version(rubric->version);
  for (size_t i = 0; i < result->items.size(); ++i) {
    const ItemScore& s = result->items[i];
    const RubricItem& item = rubric->items[i];
    pb::ItemScore* p = out.add_items();
    p->set_item_id(s.item_id);
    p->set_score(s.score);
    p->set_evidence(s.evidence);
    p->set_comment(s.comment);
    p->set_title(item.title);
    p->set_max_score(item.max_score);
    p->set_met(s.met);
  }
  out.set_assessor(in.assessor().empty() ? caller.subject : in.assessor());
  out.set_comment(in.comment());
  out.set_total(result->total);
  out.set_max_total(result->max_total);
  out.set_passed(result->passed);
  out.set_result(result->result);
  out.set_items_met(result->items_met);
  out.set_provisional(rubric->provisional);
  out.set_recorded_by(caller.subject);
  absl::Time now = absl::Now();
  *out.mutable_create_time() = ToTimestamp(now);
  StoredRecord record;
  record.carrier_id = carrier->id;
  record.year = in.year();
  record.payload = ToJson(out);
  record.time = now;
  absl::StatusOr<StoredRecord> saved = store_->AddAssessment(record);
  if (!saved.ok()) return saved.status();
  Published();
  out.set_name(absl::StrCat("carriers/", carrier->id, "/assessments/", saved->id));
  *response = out;
  return absl::OkStatus();
}

STIP_UNARY(GetAssessment, GetAssessmentRequest, Assessment) {
  return runtime_->Unary(context, "GetAssessment", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> key = ChildName(request->name(), "assessments", "name");
    if (!key.ok()) return key.status();
    if (absl::Status allowed = AccessPolicy::CanRead(caller, key->first); !allowed.ok()) return allowed;
    absl::StatusOr<std::vector<StoredRecord>> all = store_->ListAssessments(key->first, 0);
    if (!all.ok()) return all.status();
    std::set<int> years_seen;
    for (const StoredRecord& r : *all) {  // newest first
      bool superseded = !years_seen.insert(r.year).second;
      if (absl::StrCat(r.id) != key->second) continue;
      *response = FromJson<pb::Assessment>(r.payload);
      response->set_name(request->name());
      response->set_superseded(superseded);
      return absl::OkStatus();
    }
    return NotFound("考核记录 assessment", request->name());
  });
}

STIP_UNARY(ListAssessments, ListAssessmentsRequest, ListAssessmentsResponse) {
  return runtime_->Unary(context, "ListAssessments", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request->parent());
    if (!carrier.ok()) return carrier.status();
    std::string fingerprint = absl::StrCat(request->parent(), "|", request->year());
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), fingerprint);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<StoredRecord>> all = store_->ListAssessments(carrier->id, request->year());
    if (!all.ok()) return all.status();
    std::set<int> years_seen;
    int total = static_cast<int>(all->size());
    int end = std::min(total, page->offset + page->size);
    for (int i = 0; i < end; ++i) {
      const StoredRecord& r = (*all)[i];
      bool superseded = !years_seen.insert(r.year).second;
      if (i < page->offset) continue;
      pb::Assessment* out = response->add_assessments();
      *out = FromJson<pb::Assessment>(r.payload);
      out->set_name(absl::StrCat("carriers/", carrier->id, "/assessments/", r.id));
      out->set_superseded(superseded);
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, fingerprint));
    return absl::OkStatus();
  });
}

STIP_UNARY(EvaluatePerformance, EvaluatePerformanceRequest, PerformanceEvaluation) {
  return runtime_->Unary(context, "EvaluatePerformance",
                         [&](const Caller& caller) { return DoPerformance(caller, *request, response); });
}

absl::Status EvaluationServiceImpl::DoPerformance(const Caller& caller, const pb::EvaluatePerformanceRequest& request,
                                                  pb::PerformanceEvaluation* response) {
  if (absl::Status allowed = AccessPolicy::CanManage(caller); !allowed.ok()) return allowed;
  absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request.name());
  if (!carrier.ok()) return carrier.status();
  if (request.year() < 2000 || request.year() > 2100) return InvalidField("year", "请填写评价年度 (year is required)");
  absl::StatusOr<std::optional<AnnualReport>> report = store_->FindReport(carrier->id, request.year());
  if (!report.ok()) return report.status();
  if (!report->has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(carrier->display_name, "尚未提交", request.year(),
                                                      "年度报告，无法进行绩效评价 (file the annual report first)"));
  }
  absl::StatusOr<std::vector<PerformanceScheme>> schemes = Schemes(request.scheme());
  if (!schemes.ok()) return schemes.status();
  // The first scheme that applies (by kind unless named), at the requested or its latest version.
  const PerformanceScheme* scheme = nullptr;
  for (const PerformanceScheme& s : *schemes) {
    if (request.scheme().empty() && std::find(s.kinds.begin(), s.kinds.end(), carrier->kind) == s.kinds.end()) continue;
    if (scheme != nullptr && s.scheme != scheme->scheme) continue;
    bool wanted = request.scheme_version() != 0 ? s.version == request.scheme_version()
                                                : (scheme == nullptr || s.version > scheme->version);
    if (wanted) scheme = &s;
  }
  if (scheme == nullptr) {
    return InvalidField(request.scheme().empty() ? "name" : "scheme",
                        absl::StrCat("没有适用于", KindName(carrier->kind), "的绩效评价方案 (no performance scheme)"));
  }
  std::map<std::string, double> experts(request.expert_scores().begin(), request.expert_scores().end());
  CarrierMetrics metrics(*carrier, **report);
  std::vector<Violation> violations;
  absl::StatusOr<PerformanceResult> result = ComputePerformance(*scheme, metrics, experts, &violations);
  if (!result.ok()) return ToStatus(violations);
  absl::StatusOr<std::vector<StoredRecord>> history_records = store_->ListPerformance(carrier->id);
  if (!history_records.ok()) return history_records.status();
  std::map<int, Grade> history;
  for (const StoredRecord& r : *history_records) history[r.year] = static_cast<Grade>(r.grade);
  bool national = LevelAt(*carrier, request.year()) == CarrierLevel::kNational;
  bool loses = LosesNationalStatus(*scheme, national, request.year(), result->grade, history);

  pb::PerformanceEvaluation out;
  out.set_name(absl::StrCat("carriers/", carrier->id, "/performanceEvaluations/", request.year()));
  out.set_year(request.year());
  out.set_scheme(scheme->scheme);
  out.set_scheme_version(scheme->version);
  out.set_provisional(scheme->provisional);
  out.set_total(result->total);
  out.set_grade(ToProto(result->grade));
  out.set_grade_display_name(GradeName(result->grade));
  for (const CategoryResult& c : result->categories) {
    pb::CategoryScore* p = out.add_categories();
    p->set_id(c.id);
    p->set_title(c.title);
    p->set_weight(c.weight);
    p->set_score(c.score);
  }
  for (const IndicatorResult& i : result->indicators) {
    pb::IndicatorScore* p = out.add_indicators();
    p->set_id(i.id);
    p->set_title(i.title);
    p->set_category(i.category);
    p->set_weight(i.weight);
    p->set_basis(i.basis);
    p->set_actual(i.actual);
    p->set_missing(i.missing);
    p->set_score(i.score);
  }
  for (const std::string& c : result->cutoffs) out.add_cutoffs(c);
  out.set_loses_national_status(loses);
  if (loses) {
    out.set_national_status_note(absl::StrCat("国家级载体连续", scheme->loss_consecutive_years, "年评价为", GradeLetter(scheme->loss_grade),
                                              "（", GradeName(scheme->loss_grade),
                                              "），按动态管理规定应取消国家级资格（criteria.md §5.3）；请区科技局核实后登记撤销年份"));
  } else if (national && result->grade == scheme->loss_grade) {
    out.set_national_status_note(absl::StrCat("国家级载体本年度评价为", GradeLetter(result->grade), "；连续",
                                              scheme->loss_consecutive_years, "年不合格将取消国家级资格"));
  }
  out.set_evaluator(caller.subject);

  StoredRecord record;
  record.carrier_id = carrier->id;
  record.year = request.year();
  record.grade = static_cast<int>(result->grade);
  record.flag = loses;
  absl::StatusOr<std::optional<StoredRecord>> existing = store_->FindPerformance(carrier->id, request.year());
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    record.version = (*existing)->version;
    if (!request.etag().empty() && request.etag() != absl::StrCat(record.version)) {
      return absl::AbortedError("绩效评价已被他人修改 (etag mismatch): read it again and retry");
    }
  }
  out.set_etag(absl::StrCat(record.version + 1));
  absl::Time now = absl::Now();
  *out.mutable_update_time() = ToTimestamp(now);
  record.payload = ToJson(out);
  absl::StatusOr<StoredRecord> saved = store_->SavePerformance(record);
  if (!saved.ok()) return saved.status();
  Published();
  *response = out;
  return absl::OkStatus();
}

STIP_UNARY(GetPerformanceEvaluation, GetPerformanceEvaluationRequest, PerformanceEvaluation) {
  return runtime_->Unary(context, "GetPerformanceEvaluation", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<std::pair<std::string, std::string>> key = ChildName(request->name(), "performanceEvaluations", "name");
    if (!key.ok()) return key.status();
    absl::StatusOr<int> year = YearOf(key->second, "name");
    if (!year.ok()) return year.status();
    if (absl::Status allowed = AccessPolicy::CanRead(caller, key->first); !allowed.ok()) return allowed;
    absl::StatusOr<std::optional<StoredRecord>> record = store_->FindPerformance(key->first, *year);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NotFound("绩效评价 performance evaluation", request->name());
    *response = FromJson<pb::PerformanceEvaluation>((*record)->payload);
    return absl::OkStatus();
  });
}

STIP_UNARY(ListPerformanceEvaluations, ListPerformanceEvaluationsRequest, ListPerformanceEvaluationsResponse) {
  return runtime_->Unary(context, "ListPerformanceEvaluations", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<Carrier> carrier = ReadableCarrier(caller, request->parent());
    if (!carrier.ok()) return carrier.status();
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<StoredRecord>> all = store_->ListPerformance(carrier->id);
    if (!all.ok()) return all.status();
    int total = static_cast<int>(all->size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) {
      *response->add_evaluations() = FromJson<pb::PerformanceEvaluation>((*all)[i].payload);
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

STIP_UNARY(ListPerformanceSchemeVersions, ListPerformanceSchemeVersionsRequest, ListPerformanceSchemeVersionsResponse) {
  return runtime_->Unary(context, "ListPerformanceSchemeVersions", [&](const Caller&) -> absl::Status {
    absl::string_view id = request->parent();
    absl::ConsumePrefix(&id, "performanceSchemes/");
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<StoredDocument>> docs = store_->ListDocuments(kSchemeDoc, id);
    if (!docs.ok()) return docs.status();
    if (docs->empty()) return NotFound("绩效评价方案 performance scheme", request->parent());
    int total = static_cast<int>(docs->size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) {
      const StoredDocument& d = (*docs)[i];
      absl::StatusOr<PerformanceScheme> parsed = ParsePerformanceScheme(d.json);
      pb::PerformanceSchemeVersion* out = response->add_versions();
      out->set_name(absl::StrCat("performanceSchemes/", d.id, "/versions/", d.version));
      out->set_scheme(d.id);
      out->set_version(d.version);
      if (parsed.ok()) {
        out->set_title(parsed->title);
        out->set_provisional(parsed->provisional);
      }
      out->set_definition_json(d.json);
      out->set_origin(d.origin);
      out->set_creator(d.creator);
      *out->mutable_create_time() = ToTimestamp(d.create_time);
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

STIP_UNARY(CreatePerformanceSchemeVersion, CreatePerformanceSchemeVersionRequest, PerformanceSchemeVersion) {
  return runtime_->Unary(context, "CreatePerformanceSchemeVersion", [&](const Caller& caller) -> absl::Status {
    if (absl::Status allowed = AccessPolicy::CanPublish(caller); !allowed.ok()) return allowed;
    absl::string_view id = request->parent();
    absl::ConsumePrefix(&id, "performanceSchemes/");
    absl::StatusOr<PerformanceScheme> parsed = ParsePerformanceScheme(request->scheme_version().definition_json());
    if (!parsed.ok()) return InvalidField("scheme_version.definition_json", std::string(parsed.status().message()));
    if (parsed->scheme != id) {
      return InvalidField("scheme_version.definition_json",
                          absl::StrCat("\"scheme\" is '", parsed->scheme, "' but the parent is '", id, "'"));
    }
    absl::StatusOr<std::vector<StoredDocument>> existing = store_->ListDocuments(kSchemeDoc, id);
    if (!existing.ok()) return existing.status();
    int version = request->scheme_version().version() != 0 ? request->scheme_version().version()
                                                           : (existing->empty() ? 1 : existing->back().version + 1);
    StoredDocument doc{std::string(kSchemeDoc), std::string(id), version, request->scheme_version().definition_json(),
                       "api", caller.subject, absl::Now()};
    if (absl::Status added = store_->AddDocument(doc); !added.ok()) return added;
    Published();
    response->set_name(absl::StrCat("performanceSchemes/", id, "/versions/", version));
    response->set_scheme(std::string(id));
    response->set_version(version);
    response->set_title(parsed->title);
    response->set_provisional(parsed->provisional);
    response->set_definition_json(doc.json);
    response->set_origin(doc.origin);
    response->set_creator(doc.creator);
    *response->mutable_create_time() = ToTimestamp(doc.create_time);
    return absl::OkStatus();
  });
}

STIP_UNARY(GetCarrierStatistics, GetCarrierStatisticsRequest, CarrierStatistics) {
  return runtime_->Unary(context, "GetCarrierStatistics",
                         [&](const Caller&) { return DoStatistics(*request, response); });
}

absl::Status EvaluationServiceImpl::DoStatistics(const pb::GetCarrierStatisticsRequest& request,
                                                 pb::CarrierStatistics* response) {
  if (request.year() < 2000 || request.year() > 2100) return InvalidField("year", "请指定年份，如 ?year=2021 (year is required)");
  int since = request.since_year() == 0 ? kPlanStartYear : request.since_year();
  if (since > request.year()) return InvalidField("since_year", "起始年份不能晚于统计年份 (since_year must not be after year)");
  absl::StatusOr<std::vector<Carrier>> carriers = store_->ListCarriers();
  if (!carriers.ok()) return carriers.status();
  absl::StatusOr<std::vector<StoredRecord>> performance = store_->ListPerformanceOfYear(request.year());
  if (!performance.ok()) return performance.status();
  std::map<std::string, Grade> grades;
  std::set<std::string> at_risk;
  for (const StoredRecord& r : *performance) {
    grades[r.carrier_id] = static_cast<Grade>(r.grade);
    if (r.flag) at_risk.insert(r.carrier_id);
  }
  CarrierStats stats = ComputeStatistics(*carriers, grades, at_risk, request.year(), since);
  response->set_year(stats.year);
  response->set_since_year(stats.since_year);
  response->set_municipal_university_parks(stats.municipal_parks);
  response->set_national_university_parks(stats.national_parks);
  response->set_municipal_university_parks_all_time(stats.municipal_parks_all_time);
  response->set_national_university_parks_all_time(stats.national_parks_all_time);
  for (const std::string& id : stats.municipal_park_ids) response->add_municipal_university_park_names("carriers/" + id);
  for (const std::string& id : stats.national_park_ids) response->add_national_university_park_names("carriers/" + id);
  for (CarrierKind kind : {CarrierKind::kComprehensiveIncubator, CarrierKind::kSpecializedIncubator, CarrierKind::kMakerspace,
                           CarrierKind::kUniversityPark}) {
    pb::Count* c = response->add_by_kind();
    c->set_key(pb::CarrierKind_Name(static_cast<pb::CarrierKind>(kind)));
    c->set_display_name(KindName(kind));
    c->set_count(stats.by_kind[kind]);
  }
  for (CarrierLevel level : {CarrierLevel::kNone, CarrierLevel::kDistrict, CarrierLevel::kMunicipal, CarrierLevel::kNational}) {
    pb::Count* c = response->add_by_level();
    c->set_key(level == CarrierLevel::kNone ? "NONE" : pb::CarrierLevel_Name(static_cast<pb::CarrierLevel>(level)));
    c->set_display_name(LevelName(level));
    c->set_count(stats.by_level[level]);
  }
  for (Grade grade : {Grade::kA, Grade::kB, Grade::kC, Grade::kD, Grade::kNone}) {
    pb::Count* c = response->add_by_grade();
    c->set_key(grade == Grade::kNone ? "UNGRADED" : GradeLetter(grade));
    c->set_display_name(GradeName(grade));
    c->set_count(stats.by_grade[grade]);
  }
  response->set_carriers(stats.carriers);
  response->set_national_status_at_risk(stats.national_status_at_risk);
  response->set_source(absl::StrCat("evaluation 载体库：东丽区大学科技园中", since, "–", request.year(),
                                    "年获批市级 ", stats.municipal_parks, " 家、获批国家级 ", stats.national_parks,
                                    " 家（按载体登记的级别认定年份累计）"));
  return absl::OkStatus();
}

#undef STIP_UNARY

}  // namespace stip::evaluation
