#include "services/evaluation/grpc/evaluation_convert.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/enum_table.h"
#include "common/etag.h"
#include "common/proto_time.h"
#include "common/rules/criterion_proto.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "google/api/field_behavior.pb.h"
#include "services/evaluation/domain/performance_evaluator.h"

namespace stip::evaluation {
namespace {

using google::protobuf::FieldDescriptor;

constexpr auto kKinds =
    MakeEnumTable<CarrierKind, pb::CarrierKind>({{CarrierKind::kComprehensiveIncubator, pb::COMPREHENSIVE_INCUBATOR},
                                                 {CarrierKind::kSpecializedIncubator, pb::SPECIALIZED_INCUBATOR},
                                                 {CarrierKind::kMakerspace, pb::MAKERSPACE},
                                                 {CarrierKind::kUniversityPark, pb::UNIVERSITY_SCIENCE_PARK}});
static_assert(kKinds.Bijective() && kKinds.size() + 1 == pb::CarrierKind_ARRAYSIZE);

constexpr auto kLevels =
    MakeEnumTable<CarrierLevel, pb::CarrierLevel>({{CarrierLevel::kNone, pb::CARRIER_LEVEL_UNSPECIFIED},
                                                   {CarrierLevel::kDistrict, pb::DISTRICT},
                                                   {CarrierLevel::kMunicipal, pb::MUNICIPAL},
                                                   {CarrierLevel::kNational, pb::NATIONAL}});
static_assert(kLevels.Bijective() && kLevels.size() == pb::CarrierLevel_ARRAYSIZE);

constexpr auto kGrades = MakeEnumTable<Grade, pb::Grade>({{Grade::kNone, pb::GRADE_UNSPECIFIED},
                                                          {Grade::kA, pb::A},
                                                          {Grade::kB, pb::B},
                                                          {Grade::kC, pb::C},
                                                          {Grade::kD, pb::D}});
static_assert(kGrades.Bijective() && kGrades.size() == pb::Grade_ARRAYSIZE);

absl::StatusOr<CarrierKind> KindFromProto(pb::CarrierKind kind, absl::string_view field) {
  if (kind == pb::CARRIER_KIND_UNSPECIFIED) return CarrierKind::kUnspecified;
  if (std::optional<CarrierKind> known = kKinds.FromWire(kind)) return *known;
  return InvalidField(std::string(field), absl::StrCat("未定义的载体类型 ", static_cast<int>(kind)));
}

absl::StatusOr<CarrierLevel> LevelFromProto(pb::CarrierLevel level, absl::string_view field) {
  if (std::optional<CarrierLevel> known = kLevels.FromWire(level)) return *known;
  return InvalidField(std::string(field), absl::StrCat("未定义的级别 ", static_cast<int>(level)));
}

double FigureOf(const pb::AnnualReport& p, const FieldDescriptor* field) {
  const google::protobuf::Reflection* reflection = p.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE: return reflection->GetDouble(p, field);
    case FieldDescriptor::CPPTYPE_INT64: return static_cast<double>(reflection->GetInt64(p, field));
    case FieldDescriptor::CPPTYPE_INT32: return reflection->GetInt32(p, field);
    case FieldDescriptor::CPPTYPE_BOOL: return reflection->GetBool(p, field) ? 1 : 0;
    default: return 0;
  }
}

void SetFigure(pb::AnnualReport& p, const FieldDescriptor* field, double value) {
  const google::protobuf::Reflection* reflection = p.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE: reflection->SetDouble(&p, field, value); break;
    case FieldDescriptor::CPPTYPE_INT64: reflection->SetInt64(&p, field, static_cast<int64_t>(value)); break;
    case FieldDescriptor::CPPTYPE_INT32: reflection->SetInt32(&p, field, static_cast<int32_t>(value)); break;
    case FieldDescriptor::CPPTYPE_BOOL: reflection->SetBool(&p, field, value != 0); break;
    default: break;
  }
}

}  // namespace

pb::CarrierLevel ToProto(CarrierLevel level) {
  return kLevels.ToWire(level, pb::CARRIER_LEVEL_UNSPECIFIED);
}

absl::StatusOr<std::pair<std::string, std::string>> ChildName(absl::string_view name, absl::string_view collection,
                                                              absl::string_view field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "carriers" || parts[2] != collection || !IsCarrierId(parts[1]) ||
      parts[3].empty()) {
    return InvalidField(std::string(field), absl::StrCat("'", name, "' 应如 carriers/cauc-park/", collection, "/2021"));
  }
  return std::make_pair(parts[1], parts[3]);
}

absl::StatusOr<std::pair<std::string, int>> YearChild(absl::string_view name, absl::string_view collection,
                                                      absl::string_view field) {
  STIP_ASSIGN_OR_RETURN(auto key, ChildName(name, collection, field));
  int year = 0;
  if (!absl::SimpleAtoi(key.second, &year) || year < 1000 || year > 9999) {
    return InvalidField(std::string(field), absl::StrCat("'", key.second, "' 不是有效年份 (not a year)"));
  }
  return std::make_pair(key.first, year);
}

absl::StatusOr<Carrier> FromProto(const pb::Carrier& p) {
  Carrier c;
  c.id = p.id();
  c.display_name = p.display_name();
  STIP_ASSIGN_OR_RETURN(c.kind, KindFromProto(p.kind(), "carrier.kind"));
  for (int i = 0; i < p.levels_size(); ++i) {
    const pb::LevelGrant& g = p.levels(i);
    STIP_ASSIGN_OR_RETURN(CarrierLevel level, LevelFromProto(g.level(), absl::StrCat("carrier.levels[", i, "].level")));
    c.levels.push_back({level, g.year(), g.document(), g.revoked_year()});
  }
  c.operator_name = p.operator_();
  c.org_unit = p.org_unit();
  for (const pb::Contact& x : p.contacts()) c.contacts.push_back({x.name(), x.role(), x.phone(), x.email()});
  c.university = p.university();
  c.established_date = p.established_date();
  c.independent_legal_person = p.independent_legal_person();
  c.registered_in_tianjin = p.registered_in_tianjin();
  c.in_dongli = p.in_dongli();
  c.note = p.note();
  c.plan_task = p.plan_task();
  return c;
}

absl::StatusOr<CarrierFilter> FromProto(const pb::ListCarriersRequest& request) {
  CarrierFilter filter;
  STIP_ASSIGN_OR_RETURN(filter.kind, KindFromProto(request.kind(), "kind"));
  if (request.level() != pb::CARRIER_LEVEL_UNSPECIFIED) {
    STIP_ASSIGN_OR_RETURN(filter.level, LevelFromProto(request.level(), "level"));
  }
  filter.org_unit = request.org_unit();
  return filter;
}

// Report figures ↔ proto fields of the same name (reflection keeps the two lists in one place).
AnnualReport FromProto(const pb::AnnualReport& p) {
  AnnualReport r;
  r.year = p.year();
  r.summary = p.summary();
  for (const FigureDef& def : Figures()) {
    const FieldDescriptor* field = p.GetDescriptor()->FindFieldByName(def.name);
    if (field == nullptr) continue;
    double value = FigureOf(p, field);
    if (value != 0) r.figures[def.name] = value;
  }
  return r;
}

Rubric FromProto(const pb::RubricVersion& p, absl::string_view rubric_id) {
  Rubric r;
  r.rubric = std::string(rubric_id);
  r.version = p.version();
  r.title = p.title();
  r.effective_year = p.effective_year();
  r.provisional = p.provisional();
  r.pass_total = p.pass_total();
  for (const std::string& note : p.notes()) r.notes.push_back(note);
  for (const pb::RubricItem& i : p.items()) {
    r.items.push_back({i.id(), i.title(), i.description(), i.evidence(), i.max_score(), i.pass_score(), i.source(),
                       i.provisional() || p.provisional()});
  }
  return r;
}

AssessmentInput FromProto(const pb::Assessment& in) {
  AssessmentInput input{in.year(), in.rubric(), in.rubric_version(), {}, in.assessor(), in.comment()};
  for (const pb::ItemScore& s : in.items()) {
    input.items.push_back({s.item_id(), s.score(), s.evidence(), s.comment(), false});
  }
  return input;
}

void ToProto(const CarrierView& view, pb::Carrier* out) {
  const Carrier& c = view.carrier;
  out->set_name(absl::StrCat("carriers/", c.id));
  out->set_id(c.id);
  out->set_display_name(c.display_name);
  out->set_kind(kKinds.ToWire(c.kind, pb::CARRIER_KIND_UNSPECIFIED));
  out->set_kind_display_name(KindName(c.kind));
  for (const LevelGrant& g : c.levels) {
    pb::LevelGrant* level = out->add_levels();
    level->set_level(ToProto(g.level));
    level->set_year(g.year);
    level->set_document(g.document);
    level->set_display_name(LevelName(g.level));
    level->set_revoked_year(g.revoked_year);
  }
  out->set_current_level(ToProto(CurrentLevel(c)));
  out->set_operator_(c.operator_name);
  out->set_org_unit(c.org_unit);
  for (const Contact& contact : c.contacts) {
    pb::Contact* p = out->add_contacts();
    p->set_name(contact.name);
    p->set_role(contact.role);
    p->set_phone(contact.phone);
    p->set_email(contact.email);
  }
  out->set_university(c.university);
  out->set_established_date(c.established_date);
  out->set_independent_legal_person(c.independent_legal_person);
  out->set_registered_in_tianjin(c.registered_in_tianjin);
  out->set_in_dongli(c.in_dongli);
  out->set_note(c.note);
  out->set_plan_task(c.plan_task);
  out->set_national_status_at_risk(view.national_status_at_risk);
  out->set_etag(EtagOf(c.version));
  *out->mutable_update_time() = ToTimestamp(c.update_time);
}

void ToProto(const AnnualReport& r, pb::AnnualReport* p) {
  p->set_name(absl::StrCat("carriers/", r.carrier_id, "/reports/", r.year));
  p->set_year(r.year);
  p->set_summary(r.summary);
  p->set_submitter(r.submitter);
  *p->mutable_update_time() = ToTimestamp(r.update_time);
  p->set_etag(EtagOf(r.version));
  for (const auto& [name, value] : r.figures) {
    const FieldDescriptor* field = p->GetDescriptor()->FindFieldByName(name);
    if (field != nullptr) SetFigure(*p, field, value);
  }
}

void ToProto(const RecognitionResult& result, pb::RecognitionCheck* check) {
  check->set_program(result.edition->program);
  check->set_edition(result.edition->edition);
  check->set_title(result.edition->title);
  check->set_document(result.edition->document);
  check->set_level(ToProto(result.level));
  check->set_eligible(result.evaluation.eligible);
  check->set_outcome(rules::ToProto(result.evaluation.outcome));
  check->set_provisional(result.evaluation.provisional);
  for (const std::string& note : result.edition->notes) check->add_notes(note);
  for (const rules::CriterionResult& r : result.evaluation.results) {
    rules::ToProto(r, check->add_criteria());
    check->add_criterion_depth(r.depth);
  }
}

void ToProto(const RubricVersion& version, pb::RubricVersion* p) {
  const Rubric& r = version.rubric;
  p->set_name(absl::StrCat("rubrics/", r.rubric, "/versions/", r.version));
  p->set_rubric(r.rubric);
  p->set_version(r.version);
  p->set_title(r.title);
  p->set_effective_year(r.effective_year);
  p->set_provisional(r.provisional);
  p->set_pass_total(r.pass_total);
  for (const RubricItem& item : r.items) {
    pb::RubricItem* i = p->add_items();
    i->set_id(item.id);
    i->set_title(item.title);
    i->set_description(item.description);
    i->set_evidence(item.evidence);
    i->set_max_score(item.max_score);
    i->set_pass_score(item.pass_score);
    i->set_source(item.source);
    i->set_provisional(item.provisional);
  }
  for (const std::string& note : r.notes) p->add_notes(note);
  p->set_origin(version.document.origin);
  p->set_creator(version.document.creator);
  *p->mutable_create_time() = ToTimestamp(version.document.create_time);
}

void ToProto(const SchemeVersion& version, pb::PerformanceSchemeVersion* out) {
  const StoredDocument& d = version.document;
  out->set_name(absl::StrCat("performanceSchemes/", d.id, "/versions/", d.version));
  out->set_scheme(d.id);
  out->set_version(d.version);
  if (version.scheme) {
    out->set_title(version.scheme->title);
    out->set_provisional(version.scheme->provisional);
  }
  out->set_definition_json(d.json);
  out->set_origin(d.origin);
  out->set_creator(d.creator);
  *out->mutable_create_time() = ToTimestamp(d.create_time);
}

void ToProto(const AssessmentRecord& r, pb::Assessment* out) {
  out->set_name(absl::StrCat("carriers/", r.carrier_id, "/assessments/", r.id));
  out->set_year(r.year);
  out->set_rubric(r.rubric);
  out->set_rubric_version(r.rubric_version);
  for (const AssessedItem& item : r.items) {
    pb::ItemScore* p = out->add_items();
    p->set_item_id(item.score.item_id);
    p->set_score(item.score.score);
    p->set_evidence(item.score.evidence);
    p->set_comment(item.score.comment);
    p->set_title(item.title);
    p->set_max_score(item.max_score);
    p->set_met(item.score.met);
  }
  out->set_assessor(r.assessor);
  out->set_comment(r.comment);
  out->set_total(r.total);
  out->set_max_total(r.max_total);
  out->set_passed(r.passed);
  out->set_result(r.result);
  out->set_items_met(r.items_met);
  out->set_provisional(r.provisional);
  out->set_recorded_by(r.recorded_by);
  *out->mutable_create_time() = ToTimestamp(r.create_time);
  out->set_superseded(r.superseded);
}

void ToProto(const PerformanceRecord& r, pb::PerformanceEvaluation* out) {
  out->set_name(absl::StrCat("carriers/", r.carrier_id, "/performanceEvaluations/", r.year));
  out->set_year(r.year);
  out->set_scheme(r.scheme);
  out->set_scheme_version(r.scheme_version);
  out->set_provisional(r.provisional);
  out->set_total(r.result.total);
  out->set_grade(kGrades.ToWire(r.result.grade, pb::GRADE_UNSPECIFIED));
  out->set_grade_display_name(GradeName(r.result.grade));
  for (const CategoryResult& c : r.result.categories) {
    pb::CategoryScore* p = out->add_categories();
    p->set_id(c.id);
    p->set_title(c.title);
    p->set_weight(c.weight);
    p->set_score(c.score);
  }
  for (const IndicatorResult& i : r.result.indicators) {
    pb::IndicatorScore* p = out->add_indicators();
    p->set_id(i.id);
    p->set_title(i.title);
    p->set_category(i.category);
    p->set_weight(i.weight);
    p->set_basis(i.basis);
    p->set_actual(i.actual);
    p->set_missing(i.missing);
    p->set_score(i.score);
  }
  for (const std::string& c : r.result.cutoffs) out->add_cutoffs(c);
  out->set_loses_national_status(r.loses_national_status);
  out->set_national_status_note(r.national_status_note);
  out->set_evaluator(r.evaluator);
  *out->mutable_update_time() = ToTimestamp(r.update_time);
  out->set_etag(EtagOf(r.version));
}

void ToProto(const CarrierStats& stats, pb::CarrierStatistics* response) {
  response->set_year(stats.year);
  response->set_since_year(stats.since_year);
  response->set_municipal_university_parks(stats.municipal_parks);
  response->set_national_university_parks(stats.national_parks);
  response->set_municipal_university_parks_all_time(stats.municipal_parks_all_time);
  response->set_national_university_parks_all_time(stats.national_parks_all_time);
  for (const std::string& id : stats.municipal_park_ids)
    response->add_municipal_university_park_names("carriers/" + id);
  for (const std::string& id : stats.national_park_ids) response->add_national_university_park_names("carriers/" + id);
  for (CarrierKind kind : {CarrierKind::kComprehensiveIncubator, CarrierKind::kSpecializedIncubator,
                           CarrierKind::kMakerspace, CarrierKind::kUniversityPark}) {
    pb::Count* c = response->add_by_kind();
    c->set_key(pb::CarrierKind_Name(kKinds.ToWire(kind, pb::CARRIER_KIND_UNSPECIFIED)));
    c->set_display_name(KindName(kind));
    c->set_count(stats.by_kind.count(kind) ? stats.by_kind.at(kind) : 0);
  }
  for (CarrierLevel level :
       {CarrierLevel::kNone, CarrierLevel::kDistrict, CarrierLevel::kMunicipal, CarrierLevel::kNational}) {
    pb::Count* c = response->add_by_level();
    c->set_key(level == CarrierLevel::kNone ? "NONE" : pb::CarrierLevel_Name(ToProto(level)));
    c->set_display_name(LevelName(level));
    c->set_count(stats.by_level.count(level) ? stats.by_level.at(level) : 0);
  }
  for (Grade grade : {Grade::kA, Grade::kB, Grade::kC, Grade::kD, Grade::kNone}) {
    pb::Count* c = response->add_by_grade();
    c->set_key(grade == Grade::kNone ? "UNGRADED" : GradeLetter(grade));
    c->set_display_name(GradeName(grade));
    c->set_count(stats.by_grade.count(grade) ? stats.by_grade.at(grade) : 0);
  }
  response->set_carriers(stats.carriers);
  response->set_national_status_at_risk(stats.national_status_at_risk);
  response->set_source(StatisticsSource(stats));
}

namespace {

bool IsFigure(const FieldDescriptor* field) {
  static const std::set<std::string> kKeys = {"name", "year", "etag"};
  if (kKeys.count(field->name()) > 0) return false;
  const auto& behaviors = field->options().GetRepeatedExtension(google::api::field_behavior);
  return std::find(behaviors.begin(), behaviors.end(), google::api::OUTPUT_ONLY) == behaviors.end();
}

}  // namespace

absl::StatusOr<pb::AnnualReport> ApplyReportMask(const pb::AnnualReport& stored, const pb::AnnualReport& patch,
                                                 const google::protobuf::FieldMask& mask) {
  const google::protobuf::Descriptor* type = pb::AnnualReport::descriptor();
  std::vector<const FieldDescriptor*> listed;
  if (mask.paths().empty()) patch.GetReflection()->ListFields(patch, &listed);
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (int i = 0; i < type->field_count(); ++i) listed.push_back(type->field(i));
      continue;
    }
    const FieldDescriptor* field = type->FindFieldByName(path);
    if (field == nullptr) field = type->FindFieldByCamelcaseName(path);
    if (field == nullptr || !IsFigure(field)) {
      return InvalidField("update_mask", absl::StrCat("年报中没有可修改的字段“", path, "” (not a report figure)"));
    }
    listed.push_back(field);
  }
  std::set<const FieldDescriptor*> seen;
  std::vector<const FieldDescriptor*> fields;
  for (const FieldDescriptor* field : listed) {
    if (IsFigure(field) && seen.insert(field).second) fields.push_back(field);
  }
  // Swapping with a copy of the patch moves exactly the named figures (set or cleared) into the stored report.
  pb::AnnualReport merged = stored;
  pb::AnnualReport source = patch;
  merged.GetReflection()->SwapFields(&merged, &source, fields);
  merged.set_etag(patch.etag());
  return merged;
}

}  // namespace stip::evaluation
