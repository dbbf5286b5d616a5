#include "services/indicators/indicator_service.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/paging.h"
#include "common/status.h"
#include "services/indicators/aggregation.h"
#include "services/indicators/progress.h"
#include "services/indicators/value_workflow.h"

namespace stip::indicators {
namespace {

constexpr absl::string_view kCollection = "indicators";
constexpr int kMaxNoteLength = 2000;

absl::Status NotFound(absl::string_view what, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("未找到", what, " (not found): ", name));
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  timestamp.set_nanos(static_cast<int>(absl::ToUnixNanos(time) % 1000000000));
  return timestamp;
}

std::string OrgUnitResource(absl::string_view code) { return absl::StrCat("orgUnits/", code); }

std::string ValueName(const StoredValue& value) {
  return absl::StrCat(value.measure, "/values/", value.year, "-", value.org_unit);
}

pb::ValueState ToProto(ValueState state) {
  switch (state) {
    case ValueState::kDraft: return pb::DRAFT;
    case ValueState::kSubmitted: return pb::SUBMITTED;
    case ValueState::kApproved: return pb::APPROVED;
  }
  return pb::VALUE_STATE_UNSPECIFIED;
}

pb::ValueSource ToProto(ValueSource source) {
  switch (source) {
    case ValueSource::kReported: return pb::REPORTED;
    case ValueSource::kCultivation: return pb::CULTIVATION;
    case ValueSource::kEvaluation: return pb::EVALUATION;
  }
  return pb::VALUE_SOURCE_UNSPECIFIED;
}

pb::IndicatorKind ToProto(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kStock: return pb::STOCK;
    case IndicatorKind::kFlow: return pb::FLOW;
    case IndicatorKind::kRatio: return pb::RATIO;
    case IndicatorKind::kCumulativeCount: return pb::CUMULATIVE_COUNT;
  }
  return pb::INDICATOR_KIND_UNSPECIFIED;
}

pb::ProgressStatus ToProto(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kAchieved: return pb::ACHIEVED;
    case ProgressStatus::kOnTrack: return pb::ON_TRACK;
    case ProgressStatus::kAtRisk: return pb::AT_RISK;
    case ProgressStatus::kNoData: return pb::NOT_REPORTED;
  }
  return pb::PROGRESS_STATUS_UNSPECIFIED;
}

void FillValue(const StoredValue& value, pb::ReportedValue* out) {
  out->set_name(ValueName(value));
  out->set_measure(value.measure);
  out->set_year(value.year);
  out->set_org_unit(OrgUnitResource(value.org_unit));
  out->set_value(value.value);
  out->set_note(value.note);
  if (value.numerator) out->set_numerator(*value.numerator);
  if (value.denominator) out->set_denominator(*value.denominator);
  out->set_state(ToProto(value.state));
  out->set_reporter(value.reporter);
  out->set_reporter_unit(value.reporter_unit.empty() ? "" : OrgUnitResource(value.reporter_unit));
  *out->mutable_update_time() = ToTimestamp(value.update_time);
  out->set_approver(value.approver);
  if (value.approve_time) *out->mutable_approve_time() = ToTimestamp(*value.approve_time);
  out->set_etag(absl::StrCat(value.version));
  out->set_review_comment(value.review_comment);
}

void FillIndicator(const MeasureDef& measure, pb::Indicator* out) {
  out->set_name(measure.name);
  out->set_code(measure.code);
  out->set_number(measure.number);
  out->set_display_name(measure.display_name);
  out->set_unit(measure.unit);
  out->set_polarity(measure.polarity == Polarity::kHigherIsBetter ? pb::HIGHER_IS_BETTER : pb::LOWER_IS_BETTER);
  out->set_kind(ToProto(measure.kind));
  for (const auto& [year, target] : measure.targets) {
    pb::Target* proto = out->add_targets();
    proto->set_year(year);
    proto->set_value(target.value);
    proto->set_text(target.text);
  }
  if (!measure.lead_unit.empty()) out->set_lead_unit(OrgUnitResource(measure.lead_unit));
  for (const std::string& unit : measure.responsible_units) out->add_responsible_units(OrgUnitResource(unit));
  out->set_streets_and_parks_responsible(measure.streets_and_parks_responsible);
  out->set_source(ToProto(measure.source));
  out->set_source_note(measure.source_note);
}

void FillPlan(const PlanDef& plan, pb::Plan* out) {
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

// "orgUnits/huaming" or "huaming" → "huaming".
std::string OrgUnitCode(absl::string_view text) {
  absl::ConsumePrefix(&text, "orgUnits/");
  return std::string(text);
}

struct ValueKey {
  std::string measure;
  int year = 0;
  std::string org_unit;
};

absl::StatusOr<ValueKey> ParseValueName(absl::string_view name, absl::string_view field) {
  size_t at = name.rfind("/values/");
  ValueKey key;
  if (at != absl::string_view::npos) {
    key.measure = std::string(name.substr(0, at));
    absl::string_view suffix = name.substr(at + 8);
    size_t dash = suffix.find('-');
    if (dash != absl::string_view::npos && absl::SimpleAtoi(suffix.substr(0, dash), &key.year)) {
      key.org_unit = std::string(suffix.substr(dash + 1));
      if (!key.org_unit.empty()) return key;
    }
  }
  return InvalidField(std::string(field),
                      absl::StrCat("'", name, "' is not a value name such as "
                                              "plans/dongli-2020-2022/indicators/rd-intensity/values/2021-dongli"));
}

bool IsWholeNumberUnit(absl::string_view unit) { return unit == "家" || unit == "人" || unit == "项"; }

// Checks a number against the measure's unit; adds violations under `field`.
void CheckNumber(const MeasureDef& measure, absl::string_view field, double value, FieldViolations& violations) {
  if (!std::isfinite(value)) {
    violations.Add(std::string(field), "必须是有限数值 (must be a finite number)");
    return;
  }
  if (value < 0) {
    violations.Add(std::string(field), absl::StrCat(measure.display_name, "不能为负数 (must not be negative)"));
  }
  if (measure.unit == "%" && value > 100) {
    violations.Add(std::string(field), "百分比不能超过100 (a percentage cannot exceed 100)");
  }
  if (IsWholeNumberUnit(measure.unit) && value != std::floor(value)) {
    violations.Add(std::string(field), absl::StrCat("以", measure.unit, "计的数量必须是整数 (must be a whole number)"));
  }
}

std::string PageQuery(std::initializer_list<absl::string_view> parts) { return absl::StrJoin(parts, "|"); }

std::map<std::string, std::vector<UnitValue>> ByMeasure(const std::vector<StoredValue>& stored) {
  std::map<std::string, std::vector<UnitValue>> values;
  for (const StoredValue& value : stored) {
    values[value.measure].push_back({value.org_unit, value.year, value.value, value.numerator, value.denominator});
  }
  return values;
}

}  // namespace

struct IndicatorServiceImpl::YearValue {
  int year = 0;
  bool has_value = false;
  double value = 0;
  ValueSource source = ValueSource::kReported;
  std::string detail;
};

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListOrgUnits(grpc::CallbackServerContext* context,
                                                             const pb::ListOrgUnitsRequest* request,
                                                             pb::ListOrgUnitsResponse* response) {
  return runtime_->Unary(context, "ListOrgUnits", [&](const Caller&) -> absl::Status {
    absl::StatusOr<PageRequest> page =
        ParsePage(request->page_size(), request->page_token(), PageQuery({absl::StrCat(request->kind())}));
    if (!page.ok()) return page.status();
    int index = 0, returned = 0;
    for (const OrgUnitDef& unit : catalog_->org_units()) {
      auto kind = static_cast<pb::OrgUnitKind>(static_cast<int>(unit.kind) + 1);
      if (request->kind() != pb::ORG_UNIT_KIND_UNSPECIFIED && request->kind() != kind) continue;
      if (index++ < page->offset || returned >= page->size) continue;
      pb::OrgUnit* out = response->add_org_units();
      out->set_name(OrgUnitResource(unit.code));
      out->set_code(unit.code);
      out->set_display_name(unit.display_name);
      out->set_kind(kind);
      if (!unit.parent.empty()) out->set_parent(OrgUnitResource(unit.parent));
      ++returned;
    }
    response->set_next_page_token(index > page->offset + returned
                                      ? NextPageToken(*page, returned, PageQuery({absl::StrCat(request->kind())}))
                                      : "");
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListPlans(grpc::CallbackServerContext* context,
                                                          const pb::ListPlansRequest* request,
                                                          pb::ListPlansResponse* response) {
  return runtime_->Unary(context, "ListPlans", [&](const Caller&) -> absl::Status {
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), "");
    if (!page.ok()) return page.status();
    const auto& plans = catalog_->plans();
    int end = std::min<int>(static_cast<int>(plans.size()), page->offset + page->size);
    for (int i = page->offset; i < end; ++i) FillPlan(plans[i], response->add_plans());
    if (end < static_cast<int>(plans.size())) response->set_next_page_token(NextPageToken(*page, end - page->offset, ""));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::GetPlan(grpc::CallbackServerContext* context,
                                                        const pb::GetPlanRequest* request, pb::Plan* response) {
  return runtime_->Unary(context, "GetPlan", [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->name());
    if (plan == nullptr) return NotFound("计划 plan", request->name());
    FillPlan(*plan, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListIndicators(grpc::CallbackServerContext* context,
                                                               const pb::ListIndicatorsRequest* request,
                                                               pb::ListIndicatorsResponse* response) {
  return runtime_->Unary(context, "ListIndicators", [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->parent());
    if (plan == nullptr) return NotFound("计划 plan", request->parent());
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    int total = static_cast<int>(plan->indicators.size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) {
      FillIndicator(*catalog_->FindMeasure(plan->indicators[i]), response->add_indicators());
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::GetIndicator(grpc::CallbackServerContext* context,
                                                             const pb::GetIndicatorRequest* request,
                                                             pb::Indicator* response) {
  return runtime_->Unary(context, "GetIndicator", [&](const Caller&) -> absl::Status {
    const MeasureDef* measure = catalog_->FindMeasure(request->name());
    if (measure == nullptr || measure->is_milestone) return NotFound("指标 indicator", request->name());
    FillIndicator(*measure, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListKeyTasks(grpc::CallbackServerContext* context,
                                                             const pb::ListKeyTasksRequest* request,
                                                             pb::ListKeyTasksResponse* response) {
  return runtime_->Unary(context, "ListKeyTasks", [&](const Caller&) -> absl::Status {
    const PlanDef* plan = catalog_->FindPlan(request->parent());
    if (plan == nullptr) return NotFound("计划 plan", request->parent());
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    int total = static_cast<int>(plan->key_tasks.size());
    int end = std::min(total, page->offset + page->size);
    for (int i = page->offset; i < end; ++i) {
      const KeyTaskDef& task = plan->key_tasks[i];
      pb::KeyTask* out = response->add_key_tasks();
      out->set_name(absl::StrCat(plan->name, "/keyTasks/", task.number));
      out->set_number(task.number);
      out->set_title(task.title);
      out->set_section(task.section);
      if (!task.lead_unit.empty()) out->set_lead_unit(OrgUnitResource(task.lead_unit));
      for (const std::string& unit : task.responsible_units) out->add_responsible_units(OrgUnitResource(unit));
      out->set_streets_and_parks_responsible(task.streets_and_parks_responsible);
      for (const std::string& name : task.milestones) {
        const MeasureDef* milestone = catalog_->FindMeasure(name);
        pb::Milestone* proto = out->add_milestones();
        proto->set_name(milestone->name);
        proto->set_code(milestone->code);
        proto->set_display_name(milestone->display_name);
        proto->set_unit(milestone->unit);
        proto->set_target(milestone->period_target);
      }
    }
    if (end < total) response->set_next_page_token(NextPageToken(*page, end - page->offset, request->parent()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ReportValue(grpc::CallbackServerContext* context,
                                                            const pb::ReportValueRequest* request,
                                                            pb::ReportedValue* response) {
  return runtime_->Unary(context, "ReportValue",
                         [&](const Caller& caller) { return DoReport(caller, *request, response); });
}

absl::Status IndicatorServiceImpl::DoReport(const Caller& caller, const pb::ReportValueRequest& request,
                                            pb::ReportedValue* response, absl::string_view action) {
  const MeasureDef* measure = catalog_->FindMeasure(request.parent());
  if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", request.parent());
  const PlanDef* plan = catalog_->PlanOf(*measure);
  FieldViolations violations;
  if (request.year() < plan->start_year || request.year() > plan->end_year) {
    violations.Add("year", absl::StrCat("年份必须在计划期", plan->start_year, "–", plan->end_year,
                                        "内 (the year must be within the plan)"));
  }
  std::string org_unit = OrgUnitCode(request.org_unit());
  const OrgUnitDef* unit = catalog_->FindOrgUnit(org_unit);
  if (org_unit.empty()) {
    violations.Add("org_unit", "请填写所报数值所属的单位 (org_unit is required: the district, a street or a park)");
  } else if (unit == nullptr) {
    violations.Add("org_unit", absl::StrCat("未知单位 (unknown org unit) '", request.org_unit(), "'"));
  } else if (unit->kind == OrgUnitKind::kBureau) {
    violations.Add("org_unit", absl::StrCat(unit->display_name,
                                            "是职能部门，请报送全区(dongli)或街道园区的数值 (a bureau holds no values: "
                                            "report for the district or a street/park)"));
  }
  bool has_parts = request.numerator() != 0 || request.denominator() != 0;
  double value = request.value();
  if (has_parts) {
    if (measure->kind != IndicatorKind::kRatio) {
      violations.Add("numerator", "只有比重类指标可以报送分子分母 (only ratio indicators take numerator/denominator)");
    } else if (request.denominator() <= 0) {
      violations.Add("denominator", "分母必须大于0 (the denominator must be positive)");
    } else if (request.numerator() < 0) {
      violations.Add("numerator", "分子不能为负数 (must not be negative)");
    } else if (request.numerator() > request.denominator()) {
      violations.Add("numerator", "分子不能大于分母 (a share cannot exceed its whole)");
    } else {
      double computed = request.numerator() / request.denominator() * 100.0;
      if (value == 0) {
        value = computed;
      } else if (std::fabs(value - computed) > 0.005) {
        violations.Add("value", absl::StrCat("数值与分子/分母不一致 (value ", value, " ≠ numerator/denominator×100 = ",
                                             computed, ")"));
      }
    }
  }
  CheckNumber(*measure, "value", value, violations);
  if (request.note().size() > static_cast<size_t>(kMaxNoteLength)) {
    violations.Add("note", absl::StrCat("说明不能超过", kMaxNoteLength, "字节 (note too long)"));
  }
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status allowed = policy_.CanReport(caller, *measure, org_unit); !allowed.ok()) return allowed;

  absl::StatusOr<std::optional<StoredValue>> existing = store_->FindValue(measure->name, request.year(), org_unit);
  if (!existing.ok()) return existing.status();
  std::optional<ValueState> current;
  StoredValue stored;
  if (existing->has_value()) {
    stored = **existing;
    current = stored.state;
    if (!request.etag().empty() && request.etag() != absl::StrCat(stored.version)) {
      return absl::AbortedError("这个数值已被他人修改 (etag mismatch): read it again and retry");
    }
  }
  absl::StatusOr<ValueState> next =
      NextState(current, request.submit() ? ValueAction::kReportAndSubmit : ValueAction::kReport);
  if (!next.ok()) return next.status();
  ValueRevisionRecord revision;
  revision.action = action.empty() ? (request.submit() ? "report+submit" : "report") : std::string(action);
  revision.actor = caller.subject;
  revision.actor_unit = caller.org_unit;
  revision.time = absl::Now();
  if (current) {
    revision.old_value = stored.value;
    revision.old_state = current;
  }
  revision.new_value = value;
  revision.new_state = *next;
  revision.comment = request.note();
  stored.measure = measure->name;
  stored.year = request.year();
  stored.org_unit = org_unit;
  stored.value = value;
  stored.numerator = has_parts ? std::optional<double>(request.numerator()) : std::nullopt;
  stored.denominator = has_parts ? std::optional<double>(request.denominator()) : std::nullopt;
  stored.note = request.note();
  stored.state = *next;
  stored.reporter = caller.subject;
  stored.reporter_unit = caller.org_unit;
  stored.update_time = revision.time;
  stored.review_comment.clear();
  absl::StatusOr<StoredValue> saved = store_->SaveValue(stored, revision);
  if (!saved.ok()) return saved.status();
  notifier_->Publish(kCollection);
  FillValue(*saved, response);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::UpdateValue(grpc::CallbackServerContext* context,
                                                            const pb::UpdateValueRequest* request,
                                                            pb::ReportedValue* response) {
  return runtime_->Unary(context, "UpdateValue",
                         [&](const Caller& caller) { return DoUpdate(caller, *request, response); });
}

absl::Status IndicatorServiceImpl::DoUpdate(const Caller& caller, const pb::UpdateValueRequest& request,
                                            pb::ReportedValue* response) {
  absl::StatusOr<ValueKey> key = ParseValueName(request.value().name(), "value.name");
  if (!key.ok()) return key.status();
  const MeasureDef* measure = catalog_->FindMeasure(key->measure);
  if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", key->measure);
  std::vector<std::string> paths(request.update_mask().paths().begin(), request.update_mask().paths().end());
  if (paths.empty()) paths = {"value", "note", "numerator", "denominator"};
  FieldViolations violations;
  for (const std::string& path : paths) {
    if (path != "value" && path != "note" && path != "numerator" && path != "denominator") {
      violations.Add("update_mask", absl::StrCat("'", path, "' cannot be changed (only value, note, numerator, denominator)"));
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::optional<StoredValue>> existing = store_->FindValue(key->measure, key->year, key->org_unit);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) return NotFound("数值 value", request.value().name());
  // Reuse the report path: it validates and authorises the merged value exactly as a fresh report.
  const StoredValue& stored = **existing;
  pb::ReportValueRequest merged;
  merged.set_parent(key->measure);
  merged.set_year(key->year);
  merged.set_org_unit(key->org_unit);
  merged.set_value(stored.value);
  merged.set_note(stored.note);
  if (stored.numerator) merged.set_numerator(*stored.numerator);
  if (stored.denominator) merged.set_denominator(*stored.denominator);
  for (const std::string& path : paths) {
    if (path == "value") merged.set_value(request.value().value());
    if (path == "note") merged.set_note(request.value().note());
    if (path == "numerator") merged.set_numerator(request.value().numerator());
    if (path == "denominator") merged.set_denominator(request.value().denominator());
  }
  if (std::find(paths.begin(), paths.end(), "value") == paths.end() &&
      (std::find(paths.begin(), paths.end(), "numerator") != paths.end() ||
       std::find(paths.begin(), paths.end(), "denominator") != paths.end())) {
    merged.set_value(0);  // recomputed from the new parts
  }
  merged.set_submit(stored.state == ValueState::kSubmitted);
  merged.set_etag(request.value().etag().empty() ? absl::StrCat(stored.version) : request.value().etag());
  return DoReport(caller, merged, response, "update");
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::GetValue(grpc::CallbackServerContext* context,
                                                         const pb::GetValueRequest* request,
                                                         pb::ReportedValue* response) {
  return runtime_->Unary(context, "GetValue", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<ValueKey> key = ParseValueName(request->name(), "name");
    if (!key.ok()) return key.status();
    if (!policy_.CanRead(caller, key->org_unit)) {
      return absl::PermissionDeniedError("无权查看其他单位的数值 (park accounts read only their own unit)");
    }
    absl::StatusOr<std::optional<StoredValue>> value = store_->FindValue(key->measure, key->year, key->org_unit);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return NotFound("数值 value", request->name());
    FillValue(**value, response);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListValues(grpc::CallbackServerContext* context,
                                                           const pb::ListValuesRequest* request,
                                                           pb::ListValuesResponse* response) {
  return runtime_->Unary(context, "ListValues", [&](const Caller& caller) -> absl::Status {
    const MeasureDef* measure = catalog_->FindMeasure(request->parent());
    if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", request->parent());
    ValueQuery query;
    query.measures = {measure->name};
    if (request->year() != 0) query.year = request->year();
    query.org_unit = OrgUnitCode(request->org_unit());
    if (!query.org_unit.empty() && catalog_->FindOrgUnit(query.org_unit) == nullptr) {
      return InvalidField("org_unit", absl::StrCat("未知单位 (unknown org unit) '", request->org_unit(), "'"));
    }
    if (caller.role == Role::kPark) {
      if (query.org_unit.empty()) query.org_unit = caller.org_unit;
      if (!policy_.CanRead(caller, query.org_unit)) {
        return absl::PermissionDeniedError("无权查看其他单位的数值 (park accounts read only their own unit)");
      }
    }
    std::string states;
    for (int state : request->states()) {
      if (state < pb::DRAFT || state > pb::APPROVED) return InvalidField("states", "unknown value state");
      query.states.push_back(static_cast<ValueState>(state - 1));
      absl::StrAppend(&states, state, ",");
    }
    std::string fingerprint =
        PageQuery({request->parent(), absl::StrCat(request->year()), query.org_unit, states});
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), fingerprint);
    if (!page.ok()) return page.status();
    query.offset = page->offset;
    query.limit = page->size;
    absl::StatusOr<std::vector<StoredValue>> values = store_->ListValues(query);
    if (!values.ok()) return values.status();
    for (const StoredValue& value : *values) FillValue(value, response->add_values());
    response->set_next_page_token(NextPageToken(*page, static_cast<int>(values->size()), fingerprint));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::SubmitValue(grpc::CallbackServerContext* context,
                                                            const pb::TransitionValueRequest* request,
                                                            pb::ReportedValue* response) {
  return runtime_->Unary(context, "SubmitValue", [&](const Caller& caller) {
    return DoTransition(caller, *request, static_cast<int>(ValueAction::kSubmit), response);
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ApproveValue(grpc::CallbackServerContext* context,
                                                             const pb::TransitionValueRequest* request,
                                                             pb::ReportedValue* response) {
  return runtime_->Unary(context, "ApproveValue", [&](const Caller& caller) {
    return DoTransition(caller, *request, static_cast<int>(ValueAction::kApprove), response);
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::RejectValue(grpc::CallbackServerContext* context,
                                                            const pb::TransitionValueRequest* request,
                                                            pb::ReportedValue* response) {
  return runtime_->Unary(context, "RejectValue", [&](const Caller& caller) {
    return DoTransition(caller, *request, static_cast<int>(ValueAction::kReject), response);
  });
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ReopenValue(grpc::CallbackServerContext* context,
                                                            const pb::TransitionValueRequest* request,
                                                            pb::ReportedValue* response) {
  return runtime_->Unary(context, "ReopenValue", [&](const Caller& caller) {
    return DoTransition(caller, *request, static_cast<int>(ValueAction::kReopen), response);
  });
}

absl::Status IndicatorServiceImpl::DoTransition(const Caller& caller, const pb::TransitionValueRequest& request,
                                                int action_number, pb::ReportedValue* response) {
  auto action = static_cast<ValueAction>(action_number);
  absl::StatusOr<ValueKey> key = ParseValueName(request.name(), "name");
  if (!key.ok()) return key.status();
  const MeasureDef* measure = catalog_->FindMeasure(key->measure);
  if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", key->measure);
  if (request.comment().size() > static_cast<size_t>(kMaxNoteLength)) {
    return InvalidField("comment", "意见过长 (comment too long)");
  }
  absl::Status allowed;
  switch (action) {
    case ValueAction::kSubmit: allowed = policy_.CanReport(caller, *measure, key->org_unit); break;
    case ValueAction::kApprove:
    case ValueAction::kReject: allowed = policy_.CanReview(caller, *measure); break;
    default: allowed = policy_.CanReopen(caller); break;
  }
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::optional<StoredValue>> existing = store_->FindValue(key->measure, key->year, key->org_unit);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) return NotFound("数值 value", request.name());
  StoredValue stored = **existing;
  if (!request.etag().empty() && request.etag() != absl::StrCat(stored.version)) {
    return absl::AbortedError("这个数值已被他人修改 (etag mismatch): read it again and retry");
  }
  absl::StatusOr<ValueState> next = NextState(stored.state, action);
  if (!next.ok()) return next.status();
  ValueRevisionRecord revision;
  revision.action = std::string(ValueActionName(action));
  revision.actor = caller.subject;
  revision.actor_unit = caller.org_unit;
  revision.time = absl::Now();
  revision.old_value = stored.value;
  revision.new_value = stored.value;
  revision.old_state = stored.state;
  revision.new_state = *next;
  revision.comment = request.comment();
  stored.state = *next;
  if (action == ValueAction::kApprove) {
    stored.approver = caller.subject;
    stored.approve_time = revision.time;
  } else if (action == ValueAction::kReopen) {
    stored.approver.clear();
    stored.approve_time.reset();
  }
  if (action == ValueAction::kReject || action == ValueAction::kReopen || action == ValueAction::kApprove) {
    stored.review_comment = request.comment();
  }
  absl::StatusOr<StoredValue> saved = store_->SaveValue(stored, revision);
  if (!saved.ok()) return saved.status();
  notifier_->Publish(kCollection);
  FillValue(*saved, response);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::ListValueRevisions(grpc::CallbackServerContext* context,
                                                                   const pb::ListValueRevisionsRequest* request,
                                                                   pb::ListValueRevisionsResponse* response) {
  return runtime_->Unary(context, "ListValueRevisions", [&](const Caller& caller) -> absl::Status {
    absl::StatusOr<ValueKey> key = ParseValueName(request->parent(), "parent");
    if (!key.ok()) return key.status();
    if (!policy_.CanRead(caller, key->org_unit)) {
      return absl::PermissionDeniedError("无权查看其他单位的数值 (park accounts read only their own unit)");
    }
    absl::StatusOr<std::optional<StoredValue>> value = store_->FindValue(key->measure, key->year, key->org_unit);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return NotFound("数值 value", request->parent());
    absl::StatusOr<PageRequest> page = ParsePage(request->page_size(), request->page_token(), request->parent());
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<ValueRevisionRecord>> revisions =
        store_->ListRevisions((*value)->id, page->offset, page->size);
    if (!revisions.ok()) return revisions.status();
    for (const ValueRevisionRecord& record : *revisions) {
      pb::ValueRevision* out = response->add_revisions();
      out->set_value(request->parent());
      out->set_revision(record.revision);
      out->set_action(record.action);
      out->set_actor(record.actor);
      out->set_actor_unit(record.actor_unit.empty() ? "" : OrgUnitResource(record.actor_unit));
      *out->mutable_time() = ToTimestamp(record.time);
      out->set_had_old_value(record.old_value.has_value());
      if (record.old_value) out->set_old_value(*record.old_value);
      out->set_new_value(record.new_value);
      if (record.old_state) out->set_old_state(ToProto(*record.old_state));
      out->set_new_state(ToProto(record.new_state));
      out->set_comment(record.comment);
    }
    response->set_next_page_token(NextPageToken(*page, static_cast<int>(revisions->size()), request->parent()));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<StoredValue>> IndicatorServiceImpl::CountedValues(std::vector<std::string> measures,
                                                                            int year, bool include_submitted) {
  ValueQuery query;
  query.measures = std::move(measures);
  query.max_year = year;
  query.states = {ValueState::kApproved};
  if (include_submitted) query.states.push_back(ValueState::kSubmitted);
  return store_->ListValues(query);
}

std::vector<IndicatorServiceImpl::YearValue> IndicatorServiceImpl::DistrictSeries(
    const PlanDef& plan, const MeasureDef& measure, int year, const std::vector<UnitValue>& values,
    RequestSources& sources) {
  std::vector<YearValue> series;
  std::string fallback_detail;
  if (measure.source != ValueSource::kReported && external_ != nullptr) {
    bool all_external = true;
    for (int y = plan.start_year; y <= year; ++y) {
      absl::StatusOr<ExternalValue> fetched = sources.Fetch(measure, y);
      if (!fetched.ok()) {
        all_external = false;
        fallback_detail = absl::StrCat(
            fetched.status().code() == absl::StatusCode::kNotFound ? "" : "source service unavailable: ",
            fetched.status().message(), "; using approved reports");
        break;
      }
      series.push_back({y, true, fetched->value, measure.source, fetched->detail});
    }
    if (all_external) return series;
    series.clear();
  }
  for (int y = plan.start_year; y <= year; ++y) {
    AggregateResult result = Aggregate(*catalog_, measure, plan.district, y, plan.start_year, values);
    series.push_back({y, result.has_value, result.value, ValueSource::kReported,
                      fallback_detail.empty() ? result.method : absl::StrCat(result.method, " (", fallback_detail, ")")});
  }
  return series;
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::AggregateIndicator(grpc::CallbackServerContext* context,
                                                                   const pb::AggregateIndicatorRequest* request,
                                                                   pb::Aggregate* response) {
  return runtime_->Unary(context, "AggregateIndicator",
                         [&](const Caller&) { return DoAggregate(*request, response); });
}

absl::Status IndicatorServiceImpl::DoAggregate(const pb::AggregateIndicatorRequest& request, pb::Aggregate* response) {
  const MeasureDef* measure = catalog_->FindMeasure(request.name());
  if (measure == nullptr) return NotFound("指标或任务目标 (indicator or milestone)", request.name());
  const PlanDef* plan = catalog_->PlanOf(*measure);
  if (request.year() < plan->start_year || request.year() > plan->end_year) {
    return InvalidField("year", absl::StrCat("年份必须在计划期", plan->start_year, "–", plan->end_year, "内"));
  }
  response->set_indicator(measure->name);
  response->set_year(request.year());
  absl::StatusOr<std::vector<StoredValue>> stored =
      CountedValues({measure->name}, request.year(), request.include_submitted());
  if (!stored.ok()) return stored.status();
  RequestSources sources(external_);
  std::vector<YearValue> series =
      DistrictSeries(*plan, *measure, request.year(), ByMeasure(*stored)[measure->name], sources);
  const YearValue& last = series.back();
  response->set_has_value(last.has_value);
  response->set_value(last.value);
  response->set_source(ToProto(last.source));
  response->set_source_detail(last.detail);
  response->set_method(last.detail);
  if (last.source == ValueSource::kReported) {
    for (const StoredValue& value : *stored) {
      // A cumulative count is formed from every plan year so far; the others from the year itself.
      if (measure->kind != IndicatorKind::kCumulativeCount && value.year != request.year()) continue;
      pb::Contribution* out = response->add_contributions();
      out->set_org_unit(OrgUnitResource(value.org_unit));
      out->set_year(value.year);
      out->set_value(value.value);
      if (value.numerator) out->set_numerator(*value.numerator);
      if (value.denominator) out->set_denominator(*value.denominator);
      out->set_state(ToProto(value.state));
    }
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* IndicatorServiceImpl::GetProgress(grpc::CallbackServerContext* context,
                                                            const pb::GetProgressRequest* request,
                                                            pb::PlanProgress* response) {
  return runtime_->Unary(context, "GetProgress",
                         [&](const Caller&) { return DoProgress(*request, response); });
}

absl::Status IndicatorServiceImpl::DoProgress(const pb::GetProgressRequest& request,
                                              pb::PlanProgress* response) {
  const PlanDef* plan = catalog_->FindPlan(request.plan());
  if (plan == nullptr) return NotFound("计划 plan", request.plan());
  if (request.year() < plan->start_year || request.year() > plan->end_year) {
    return InvalidField("year", absl::StrCat("年份必须在计划期", plan->start_year, "–", plan->end_year,
                                             "内 (year must be within the plan, e.g. ?year=", plan->start_year, ")"));
  }
  response->set_plan(plan->name);
  response->set_year(request.year());
  // One query for every indicator and milestone of the plan, not one per measure.
  std::vector<std::string> measures = plan->indicators;
  for (const KeyTaskDef& task : plan->key_tasks) measures.insert(measures.end(), task.milestones.begin(), task.milestones.end());
  absl::StatusOr<std::vector<StoredValue>> stored =
      CountedValues(std::move(measures), request.year(), request.include_submitted());
  if (!stored.ok()) return stored.status();
  std::map<std::string, std::vector<UnitValue>> values = ByMeasure(*stored);
  RequestSources sources(external_);
  for (const std::string& name : plan->indicators) {
    const MeasureDef& measure = *catalog_->FindMeasure(name);
    std::vector<YearValue> series = DistrictSeries(*plan, measure, request.year(), values[name], sources);
    pb::IndicatorProgress* out = response->add_indicators();
    out->set_indicator(measure.name);
    out->set_number(measure.number);
    out->set_display_name(measure.display_name);
    out->set_unit(measure.unit);
    out->set_kind(ToProto(measure.kind));
    auto target = measure.targets.find(request.year());
    if (target != measure.targets.end()) {
      out->set_target(target->second.value);
      out->set_target_text(target->second.text);
    }
    const YearValue& current = series.back();
    out->set_source(ToProto(current.source));
    out->set_source_detail(current.detail);
    std::optional<double> attainment;
    if (current.has_value && target != measure.targets.end()) {
      out->set_has_actual(true);
      out->set_actual(current.value);
      attainment = Attainment(measure.polarity, current.value, target->second.value);
      out->set_attainment(*attainment);
      out->set_gap(current.value - target->second.value);
      out->set_gap_unit(measure.unit == "%" ? "百分点 (pp)" : measure.unit);
    }
    ProgressStatus status = StatusOf(attainment, plan->thresholds);
    out->set_status(ToProto(status));
    if (series.size() >= 2) {
      const YearValue& previous = series[series.size() - 2];
      if (previous.has_value) {
        out->set_has_previous(true);
        out->set_previous(previous.value);
        if (current.has_value) {
          Trend trend = TrendOf(previous.value, current.value);
          out->set_trend(trend == Trend::kUp ? pb::UP : trend == Trend::kDown ? pb::DOWN : pb::FLAT);
        }
      }
    }
    std::vector<YearPoint> points;
    for (const YearValue& point : series) {
      if (point.has_value) points.push_back({point.year, point.value});
    }
    auto final_target = measure.targets.find(plan->end_year);
    double final_value = final_target == measure.targets.end() ? 0 : final_target->second.value;
    if (std::optional<ForecastResult> forecast = ForecastFinalYear(points, plan->end_year, final_value)) {
      pb::Forecast* proto = out->mutable_forecast();
      proto->set_year(plan->end_year);
      proto->set_value(forecast->value);
      proto->set_points(forecast->points);
      proto->set_low_confidence(forecast->low_confidence);
      proto->set_slope(forecast->slope);
      proto->set_required_slope(forecast->required_slope);
      proto->set_final_target(final_value);
    }
    switch (status) {
      case ProgressStatus::kAchieved: response->set_achieved(response->achieved() + 1); break;
      case ProgressStatus::kOnTrack: response->set_on_track(response->on_track() + 1); break;
      case ProgressStatus::kAtRisk: response->set_at_risk(response->at_risk() + 1); break;
      case ProgressStatus::kNoData: response->set_no_data(response->no_data() + 1); break;
    }
  }
  for (const KeyTaskDef& task : plan->key_tasks) {
    for (const std::string& name : task.milestones) {
      const MeasureDef& milestone = *catalog_->FindMeasure(name);
      std::vector<YearValue> series = DistrictSeries(*plan, milestone, request.year(), values[name], sources);
      std::optional<double> cumulative;
      for (const YearValue& point : series) {
        if (point.has_value) cumulative = cumulative.value_or(0) + point.value;
      }
      pb::MilestoneProgress* out = response->add_milestones();
      out->set_milestone(milestone.name);
      out->set_key_task(task.number);
      out->set_display_name(milestone.display_name);
      out->set_unit(milestone.unit);
      out->set_target(milestone.period_target);
      if (cumulative) {
        out->set_has_actual(true);
        out->set_actual(*cumulative);
        out->set_attainment(milestone.period_target > 0 ? *cumulative / milestone.period_target : 1.0);
      }
      out->set_status(ToProto(MilestoneStatus(cumulative, milestone.period_target, request.year(), plan->start_year,
                                              plan->end_year, plan->thresholds)));
    }
  }
  return absl::OkStatus();
}

}  // namespace stip::indicators
