#include "services/indicators/grpc/indicator_convert.h"

#include "absl/strings/str_cat.h"
#include "common/enum_table.h"
#include "common/proto_time.h"
#include "common/status.h"

namespace stip::indicators {
namespace {

constexpr auto kStates = MakeEnumTable<ValueState, pb::ValueState>(
    {{ValueState::kDraft, pb::DRAFT}, {ValueState::kSubmitted, pb::SUBMITTED}, {ValueState::kApproved, pb::APPROVED}});
static_assert(kStates.Bijective() && kStates.size() + 1 == pb::ValueState_ARRAYSIZE);

constexpr auto kSources = MakeEnumTable<ValueSource, pb::ValueSource>({{ValueSource::kReported, pb::REPORTED},
                                                                       {ValueSource::kCultivation, pb::CULTIVATION},
                                                                       {ValueSource::kEvaluation, pb::EVALUATION}});
static_assert(kSources.Bijective() && kSources.size() + 1 == pb::ValueSource_ARRAYSIZE);

constexpr auto kKinds =
    MakeEnumTable<IndicatorKind, pb::IndicatorKind>({{IndicatorKind::kStock, pb::STOCK},
                                                     {IndicatorKind::kFlow, pb::FLOW},
                                                     {IndicatorKind::kRatio, pb::RATIO},
                                                     {IndicatorKind::kCumulativeCount, pb::CUMULATIVE_COUNT}});
static_assert(kKinds.Bijective() && kKinds.size() + 1 == pb::IndicatorKind_ARRAYSIZE);

constexpr auto kStatuses =
    MakeEnumTable<ProgressStatus, pb::ProgressStatus>({{ProgressStatus::kAchieved, pb::ACHIEVED},
                                                       {ProgressStatus::kOnTrack, pb::ON_TRACK},
                                                       {ProgressStatus::kAtRisk, pb::AT_RISK},
                                                       {ProgressStatus::kNoData, pb::NOT_REPORTED}});
static_assert(kStatuses.Bijective() && kStatuses.size() + 1 == pb::ProgressStatus_ARRAYSIZE);

constexpr auto kOrgUnitKinds = MakeEnumTable<OrgUnitKind, pb::OrgUnitKind>({{OrgUnitKind::kDistrict, pb::DISTRICT},
                                                                            {OrgUnitKind::kBureau, pb::BUREAU},
                                                                            {OrgUnitKind::kStreet, pb::STREET},
                                                                            {OrgUnitKind::kPark, pb::PARK}});
static_assert(kOrgUnitKinds.Bijective() && kOrgUnitKinds.size() + 1 == pb::OrgUnitKind_ARRAYSIZE);

constexpr auto kPolarities = MakeEnumTable<Polarity, pb::Polarity>(
    {{Polarity::kHigherIsBetter, pb::HIGHER_IS_BETTER}, {Polarity::kLowerIsBetter, pb::LOWER_IS_BETTER}});
static_assert(kPolarities.Bijective() && kPolarities.size() + 1 == pb::Polarity_ARRAYSIZE);

constexpr auto kTrends =
    MakeEnumTable<Trend, pb::Trend>({{Trend::kUp, pb::UP}, {Trend::kDown, pb::DOWN}, {Trend::kFlat, pb::FLAT}});
static_assert(kTrends.Bijective() && kTrends.size() + 1 == pb::Trend_ARRAYSIZE);

std::string OrgUnitResource(absl::string_view code) {
  return code.empty() ? "" : absl::StrCat("orgUnits/", code);
}

void ToProto(const IndicatorProgressView& view, pb::IndicatorProgress* out) {
  const MeasureDef& measure = *view.measure;
  out->set_indicator(measure.name);
  out->set_number(measure.number);
  out->set_display_name(measure.display_name);
  out->set_unit(measure.unit);
  out->set_kind(kKinds.ToWire(measure.kind, pb::INDICATOR_KIND_UNSPECIFIED));
  if (view.target != nullptr) {
    out->set_target(view.target->value);
    out->set_target_text(view.target->text);
  }
  out->set_source(kSources.ToWire(view.current.source, pb::VALUE_SOURCE_UNSPECIFIED));
  out->set_source_detail(view.current.detail);
  if (view.attainment) {
    out->set_has_actual(true);
    out->set_actual(view.current.value);
    out->set_attainment(*view.attainment);
    out->set_gap(view.current.value - view.target->value);
    out->set_gap_unit(measure.unit == "%" ? "百分点 (pp)" : measure.unit);
  }
  out->set_status(kStatuses.ToWire(view.status, pb::PROGRESS_STATUS_UNSPECIFIED));
  if (view.previous) {
    out->set_has_previous(true);
    out->set_previous(*view.previous);
  }
  if (view.trend) out->set_trend(kTrends.ToWire(*view.trend, pb::TREND_UNSPECIFIED));
  if (view.forecast) {
    pb::Forecast* proto = out->mutable_forecast();
    proto->set_value(view.forecast->value);
    proto->set_points(view.forecast->points);
    proto->set_low_confidence(view.forecast->low_confidence);
    proto->set_slope(view.forecast->slope);
    proto->set_required_slope(view.forecast->required_slope);
    proto->set_final_target(view.final_target);
  }
}

void ToProto(const MilestoneProgressView& view, pb::MilestoneProgress* out) {
  out->set_milestone(view.milestone->name);
  out->set_key_task(view.key_task);
  out->set_display_name(view.milestone->display_name);
  out->set_unit(view.milestone->unit);
  out->set_target(view.milestone->period_target);
  if (view.cumulative) {
    out->set_has_actual(true);
    out->set_actual(*view.cumulative);
    out->set_attainment(view.attainment);
  }
  out->set_status(kStatuses.ToWire(view.status, pb::PROGRESS_STATUS_UNSPECIFIED));
}

}  // namespace

pb::OrgUnitKind ToProto(OrgUnitKind kind) {
  return kOrgUnitKinds.ToWire(kind, pb::ORG_UNIT_KIND_UNSPECIFIED);
}

void ToProto(const OrgUnitDef& unit, pb::OrgUnit* out) {
  out->set_name(OrgUnitResource(unit.code));
  out->set_code(unit.code);
  out->set_display_name(unit.display_name);
  out->set_kind(ToProto(unit.kind));
  out->set_parent(OrgUnitResource(unit.parent));
}

void ToProto(const PlanDef& plan, pb::Plan* out) {
  out->set_name(plan.name);
  out->set_display_name(plan.display_name);
  out->set_document(plan.document);
  out->set_start_year(plan.start_year);
  out->set_end_year(plan.end_year);
  out->set_district(OrgUnitResource(plan.district));
  out->mutable_status_thresholds()->set_achieved(plan.thresholds.achieved);
  out->mutable_status_thresholds()->set_on_track(plan.thresholds.on_track);
  out->set_indicator_count(static_cast<int>(plan.indicators.size()));
  out->set_key_task_count(static_cast<int>(plan.key_tasks.size()));
}

void ToProto(const MeasureDef& measure, pb::Indicator* out) {
  out->set_name(measure.name);
  out->set_code(measure.code);
  out->set_number(measure.number);
  out->set_display_name(measure.display_name);
  out->set_unit(measure.unit);
  out->set_polarity(kPolarities.ToWire(measure.polarity, pb::POLARITY_UNSPECIFIED));
  out->set_kind(kKinds.ToWire(measure.kind, pb::INDICATOR_KIND_UNSPECIFIED));
  for (const auto& [year, target] : measure.targets) {
    pb::Target* proto = out->add_targets();
    proto->set_year(year);
    proto->set_value(target.value);
    proto->set_text(target.text);
  }
  out->set_lead_unit(OrgUnitResource(measure.lead_unit));
  for (const std::string& unit : measure.responsible_units) out->add_responsible_units(OrgUnitResource(unit));
  out->set_streets_and_parks_responsible(measure.streets_and_parks_responsible);
  out->set_source(kSources.ToWire(measure.source, pb::VALUE_SOURCE_UNSPECIFIED));
  out->set_source_note(measure.source_note);
}

void ToProto(const PlanDef& plan, const KeyTaskDef& task, const PlanCatalog& catalog, pb::KeyTask* out) {
  out->set_name(absl::StrCat(plan.name, "/keyTasks/", task.number));
  out->set_number(task.number);
  out->set_title(task.title);
  out->set_section(task.section);
  out->set_lead_unit(OrgUnitResource(task.lead_unit));
  for (const std::string& unit : task.responsible_units) out->add_responsible_units(OrgUnitResource(unit));
  out->set_streets_and_parks_responsible(task.streets_and_parks_responsible);
  for (const std::string& name : task.milestones) {
    const MeasureDef* milestone = catalog.FindMeasure(name);
    pb::Milestone* proto = out->add_milestones();
    proto->set_name(milestone->name);
    proto->set_code(milestone->code);
    proto->set_display_name(milestone->display_name);
    proto->set_unit(milestone->unit);
    proto->set_target(milestone->period_target);
  }
}

void ToProto(const StoredValue& value, pb::ReportedValue* out) {
  out->set_name(ValueName(value));
  out->set_measure(value.measure);
  out->set_year(value.year);
  out->set_org_unit(OrgUnitResource(value.org_unit));
  out->set_value(value.value);
  out->set_note(value.note);
  if (value.numerator) out->set_numerator(*value.numerator);
  if (value.denominator) out->set_denominator(*value.denominator);
  out->set_state(kStates.ToWire(value.state, pb::VALUE_STATE_UNSPECIFIED));
  out->set_reporter(value.reporter);
  out->set_reporter_unit(OrgUnitResource(value.reporter_unit));
  *out->mutable_update_time() = ToTimestamp(value.update_time);
  out->set_approver(value.approver);
  if (value.approve_time) *out->mutable_approve_time() = ToTimestamp(*value.approve_time);
  out->set_etag(absl::StrCat(value.version));
  out->set_review_comment(value.review_comment);
}

void ToProto(const std::string& value_name, const ValueRevisionRecord& record, pb::ValueRevision* out) {
  out->set_value(value_name);
  out->set_revision(record.revision);
  out->set_action(record.action);
  out->set_actor(record.actor);
  out->set_actor_unit(OrgUnitResource(record.actor_unit));
  *out->mutable_time() = ToTimestamp(record.time);
  out->set_had_old_value(record.old_value.has_value());
  if (record.old_value) out->set_old_value(*record.old_value);
  out->set_new_value(record.new_value);
  if (record.old_state) out->set_old_state(kStates.ToWire(*record.old_state, pb::VALUE_STATE_UNSPECIFIED));
  out->set_new_state(kStates.ToWire(record.new_state, pb::VALUE_STATE_UNSPECIFIED));
  out->set_comment(record.comment);
}

void ToProto(const PlanProgressView& view, pb::PlanProgress* out) {
  out->set_plan(view.plan->name);
  out->set_year(view.year);
  for (const IndicatorProgressView& indicator : view.indicators) {
    ToProto(indicator, out->add_indicators());
    if (indicator.forecast) out->mutable_indicators()->rbegin()->mutable_forecast()->set_year(view.plan->end_year);
  }
  for (const MilestoneProgressView& milestone : view.milestones) ToProto(milestone, out->add_milestones());
  auto count = [&](ProgressStatus status) {
    auto it = view.by_status.find(status);
    return it == view.by_status.end() ? 0 : it->second;
  };
  out->set_achieved(count(ProgressStatus::kAchieved));
  out->set_on_track(count(ProgressStatus::kOnTrack));
  out->set_at_risk(count(ProgressStatus::kAtRisk));
  out->set_no_data(count(ProgressStatus::kNoData));
}

void ToProto(const AggregateView& view, pb::Aggregate* out) {
  out->set_indicator(view.measure->name);
  out->set_year(view.year);
  out->set_has_value(view.value.has_value);
  out->set_value(view.value.value);
  out->set_source(kSources.ToWire(view.value.source, pb::VALUE_SOURCE_UNSPECIFIED));
  out->set_source_detail(view.value.detail);
  out->set_method(view.value.detail);
  for (const StoredValue& value : view.contributions) {
    pb::Contribution* contribution = out->add_contributions();
    contribution->set_org_unit(OrgUnitResource(value.org_unit));
    contribution->set_year(value.year);
    contribution->set_value(value.value);
    if (value.numerator) contribution->set_numerator(*value.numerator);
    if (value.denominator) contribution->set_denominator(*value.denominator);
    contribution->set_state(kStates.ToWire(value.state, pb::VALUE_STATE_UNSPECIFIED));
  }
}

ValueReport FromProto(const pb::ReportValueRequest& request) {
  ValueReport report;
  report.measure = request.parent();
  report.year = request.year();
  report.org_unit = OrgUnitCode(request.org_unit());
  report.value = request.value();
  if (request.numerator() != 0 || request.denominator() != 0) {
    report.numerator = request.numerator();
    report.denominator = request.denominator();
  }
  report.note = request.note();
  report.submit = request.submit();
  report.etag = request.etag();
  return report;
}

ValueEdit FromProto(const pb::UpdateValueRequest& request) {
  ValueEdit edit;
  edit.paths.assign(request.update_mask().paths().begin(), request.update_mask().paths().end());
  edit.value = request.value().value();
  edit.note = request.value().note();
  edit.numerator = request.value().numerator();
  edit.denominator = request.value().denominator();
  edit.etag = request.value().etag();
  return edit;
}

absl::StatusOr<std::vector<ValueState>> StatesFromProto(const google::protobuf::RepeatedField<int>& states) {
  std::vector<ValueState> out;
  for (int state : states) {
    std::optional<ValueState> known = kStates.FromWire(static_cast<pb::ValueState>(state));
    if (!known) return InvalidField("states", "unknown value state");
    out.push_back(*known);
  }
  return out;
}

}  // namespace stip::indicators
