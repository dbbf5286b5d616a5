#include "services/indicators/domain/value_reporting.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/year_range.h"

namespace stip::indicators {
namespace {

constexpr absl::string_view kCollection = "indicators";
constexpr size_t kMaxNoteLength = 2000;
constexpr absl::string_view kMeasureWhat = "指标或任务目标 (indicator or milestone)";
constexpr absl::string_view kValueWhat = "这个数值";

bool IsWholeNumberUnit(absl::string_view unit) {
  return unit == "家" || unit == "人" || unit == "项";
}

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

void CheckOrgUnit(const PlanCatalog& catalog, const std::string& code, FieldViolations& violations) {
  const OrgUnitDef* unit = catalog.FindOrgUnit(code);
  if (code.empty()) {
    violations.Add("org_unit", "请填写所报数值所属的单位 (org_unit is required: the district, a street or a park)");
  } else if (unit == nullptr) {
    violations.Add("org_unit", absl::StrCat("未知单位 (unknown org unit) '", code, "'"));
  } else if (unit->kind == OrgUnitKind::kBureau) {
    violations.Add("org_unit", absl::StrCat(unit->display_name,
                                            "是职能部门，请报送全区(dongli)或街道园区的数值 (a bureau holds no values: "
                                            "report for the district or a street/park)"));
  }
}

// 比重类指标的分子分母: a share cannot exceed its whole, and a value given beside the parts must agree with them.
void CheckParts(const MeasureDef& measure, const ValueReport& report, double& value, FieldViolations& violations) {
  double numerator = report.numerator.value_or(0), denominator = report.denominator.value_or(0);
  if (measure.kind != IndicatorKind::kRatio) {
    violations.Add("numerator", "只有比重类指标可以报送分子分母 (only ratio indicators take numerator/denominator)");
  } else if (denominator <= 0) {
    violations.Add("denominator", "分母必须大于0 (the denominator must be positive)");
  } else if (numerator < 0) {
    violations.Add("numerator", "分子不能为负数 (must not be negative)");
  } else if (numerator > denominator) {
    violations.Add("numerator", "分子不能大于分母 (a share cannot exceed its whole)");
  } else {
    double computed = numerator / denominator * 100.0;
    if (value == 0) {
      value = computed;
    } else if (std::fabs(value - computed) > 0.005) {
      violations.Add("value", absl::StrCat("数值与分子/分母不一致 (value ", value,
                                           " ≠ numerator/denominator×100 = ", computed, ")"));
    }
  }
}

ValueRevisionRecord RevisionOf(const Caller& caller, absl::string_view action, const StoredValue* before,
                               double new_value, ValueState new_state, const std::string& comment) {
  ValueRevisionRecord revision;
  revision.action = std::string(action);
  revision.actor = caller.subject;
  revision.actor_unit = caller.org_unit;
  revision.time = absl::Now();
  if (before != nullptr) {
    revision.old_value = before->value;
    revision.old_state = before->state;
  }
  revision.new_value = new_value;
  revision.new_state = new_state;
  revision.comment = comment;
  return revision;
}

bool Names(const std::vector<std::string>& paths, absl::string_view path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace

std::string ValueName(const StoredValue& value) {
  return absl::StrCat(value.measure, "/values/", value.year, "-", value.org_unit);
}

std::string OrgUnitCode(absl::string_view text) {
  absl::ConsumePrefix(&text, "orgUnits/");
  return std::string(text);
}

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
                      absl::StrCat("'", name,
                                   "' is not a value name such as "
                                   "plans/dongli-2020-2022/indicators/rd-intensity/values/2021-dongli"));
}

absl::StatusOr<const MeasureDef*> ValueReporting::Measure(absl::string_view name) const {
  const MeasureDef* measure = catalog_->FindMeasure(name);
  if (measure == nullptr) return NotFound(kMeasureWhat, name);
  return measure;
}

absl::StatusOr<StoredValue> ValueReporting::Existing(const ValueKey& key) {
  STIP_ASSIGN_OR_RETURN(std::optional<StoredValue> existing, store_->FindValue(key.measure, key.year, key.org_unit));
  if (!existing) return NotFound("数值 value", absl::StrCat(key.measure, "/values/", key.year, "-", key.org_unit));
  return *existing;
}

absl::StatusOr<StoredValue> ValueReporting::Save(const StoredValue& value, const ValueRevisionRecord& revision) {
  STIP_ASSIGN_OR_RETURN(StoredValue saved, store_->SaveValue(value, revision));
  if (notifier_ != nullptr) notifier_->Publish(kCollection);
  return saved;
}

absl::Status ValueReporting::Validate(const ValueReport& report, const MeasureDef& measure, double& value) const {
  const PlanDef* plan = catalog_->PlanOf(measure);
  FieldViolations violations;
  if (absl::Status year = PlanYears(plan->start_year, plan->end_year).Check(report.year, "year"); !year.ok()) {
    violations.Add("year", std::string(year.message()));
  }
  CheckOrgUnit(*catalog_, report.org_unit, violations);
  value = report.value;
  if (report.numerator || report.denominator) CheckParts(measure, report, value, violations);
  CheckNumber(measure, "value", value, violations);
  if (report.note.size() > kMaxNoteLength) {
    violations.Add("note", absl::StrCat("说明不能超过", kMaxNoteLength, "字节 (note too long)"));
  }
  return violations.ToStatus();
}

absl::StatusOr<StoredValue> ValueReporting::Report(const Caller& caller, const ValueReport& report) {
  return Write(caller, report, report.submit ? "report+submit" : "report");
}

absl::StatusOr<StoredValue> ValueReporting::Write(const Caller& caller, const ValueReport& report,
                                                  absl::string_view action) {
  STIP_ASSIGN_OR_RETURN(const MeasureDef* measure, Measure(report.measure));
  double value = 0;
  STIP_RETURN_IF_ERROR(Validate(report, *measure, value));
  STIP_RETURN_IF_ERROR(policy_.CanReport(caller, *measure, report.org_unit));
  STIP_ASSIGN_OR_RETURN(std::optional<StoredValue> existing,
                        store_->FindValue(measure->name, report.year, report.org_unit));
  if (existing) STIP_RETURN_IF_ERROR(CheckEtag(report.etag, existing->version, kValueWhat));
  std::optional<ValueState> current;
  if (existing) current = existing->state;
  STIP_ASSIGN_OR_RETURN(ValueState next,
                        NextState(current, report.submit ? ValueAction::kReportAndSubmit : ValueAction::kReport));
  ValueRevisionRecord revision = RevisionOf(caller, action, existing ? &*existing : nullptr, value, next, report.note);
  StoredValue stored = existing.value_or(StoredValue{});
  stored.measure = measure->name;
  stored.year = report.year;
  stored.org_unit = report.org_unit;
  stored.value = value;
  stored.numerator = report.numerator;
  stored.denominator = report.denominator;
  stored.note = report.note;
  stored.state = next;
  stored.reporter = caller.subject;
  stored.reporter_unit = caller.org_unit;
  stored.update_time = revision.time;
  stored.review_comment.clear();
  return Save(stored, revision);
}

absl::StatusOr<StoredValue> ValueReporting::Edit(const Caller& caller, const ValueKey& key, const ValueEdit& edit) {
  STIP_RETURN_IF_ERROR(Measure(key.measure).status());
  std::vector<std::string> paths = edit.paths;
  if (paths.empty()) paths = {"value", "note", "numerator", "denominator"};
  FieldViolations violations;
  for (const std::string& path : paths) {
    if (path != "value" && path != "note" && path != "numerator" && path != "denominator") {
      violations.Add("update_mask",
                     absl::StrCat("'", path, "' cannot be changed (only value, note, numerator, denominator)"));
    }
  }
  STIP_RETURN_IF_ERROR(violations.ToStatus());
  STIP_ASSIGN_OR_RETURN(StoredValue stored, Existing(key));
  // The merged value is validated and authorised exactly as a fresh report.
  ValueReport merged{key.measure,
                     key.year,
                     key.org_unit,
                     stored.value,
                     stored.numerator,
                     stored.denominator,
                     stored.note,
                     stored.state == ValueState::kSubmitted,
                     edit.etag.empty() ? EtagOf(stored.version) : edit.etag};
  if (Names(paths, "value")) merged.value = edit.value;
  if (Names(paths, "note")) merged.note = edit.note;
  if (Names(paths, "numerator")) merged.numerator = edit.numerator;
  if (Names(paths, "denominator")) merged.denominator = edit.denominator;
  if (!Names(paths, "value") && (Names(paths, "numerator") || Names(paths, "denominator"))) {
    merged.value = 0;  // recomputed from the new parts
  }
  if (merged.numerator.value_or(0) == 0 && merged.denominator.value_or(0) == 0) {
    merged.numerator.reset();
    merged.denominator.reset();
  }
  return Write(caller, merged, "update");
}

absl::StatusOr<StoredValue> ValueReporting::Transition(const Caller& caller, const ValueKey& key, ValueAction action,
                                                       const std::string& comment, const std::string& etag) {
  STIP_ASSIGN_OR_RETURN(const MeasureDef* measure, Measure(key.measure));
  if (comment.size() > kMaxNoteLength) return InvalidField("comment", "意见过长 (comment too long)");
  STIP_RETURN_IF_ERROR(policy_.CanTransition(caller, *measure, key.org_unit, action));
  STIP_ASSIGN_OR_RETURN(StoredValue stored, Existing(key));
  STIP_RETURN_IF_ERROR(CheckEtag(etag, stored.version, kValueWhat));
  STIP_ASSIGN_OR_RETURN(ValueState next, NextState(stored.state, action));
  ValueRevisionRecord revision = RevisionOf(caller, ValueActionName(action), &stored, stored.value, next, comment);
  stored.state = next;
  if (action == ValueAction::kApprove) {
    stored.approver = caller.subject;
    stored.approve_time = revision.time;
  } else if (action == ValueAction::kReopen) {
    stored.approver.clear();
    stored.approve_time.reset();
  }
  if (action != ValueAction::kSubmit) stored.review_comment = comment;
  return Save(stored, revision);
}

absl::Status ValueReporting::Delete(const Caller& caller, const ValueKey& key, const std::string& etag) {
  STIP_ASSIGN_OR_RETURN(const MeasureDef* measure, Measure(key.measure));
  STIP_RETURN_IF_ERROR(policy_.CanReport(caller, *measure, key.org_unit));
  STIP_ASSIGN_OR_RETURN(StoredValue stored, Existing(key));
  STIP_RETURN_IF_ERROR(CheckEtag(etag, stored.version, kValueWhat));
  if (stored.state != ValueState::kDraft) {
    return absl::FailedPreconditionError(
        "只能删除草稿状态的数值；已提交或已审核的数值请退回或重新打开后修改 (only a draft can be deleted)");
  }
  STIP_RETURN_IF_ERROR(store_->DeleteValue(stored.id));
  if (notifier_ != nullptr) notifier_->Publish(kCollection);
  return absl::OkStatus();
}

absl::StatusOr<StoredValue> ValueReporting::Get(const Caller& caller, const ValueKey& key) {
  STIP_RETURN_IF_ERROR(policy_.CheckRead(caller, key.org_unit));
  return Existing(key);
}

absl::StatusOr<std::vector<StoredValue>> ValueReporting::List(const Caller& caller, ValueFilter filter, int offset,
                                                              int limit) {
  STIP_ASSIGN_OR_RETURN(const MeasureDef* measure, Measure(filter.measure));
  if (!filter.org_unit.empty() && catalog_->FindOrgUnit(filter.org_unit) == nullptr) {
    return InvalidField("org_unit", absl::StrCat("未知单位 (unknown org unit) '", filter.org_unit, "'"));
  }
  if (caller.role == Role::kPark) {
    if (filter.org_unit.empty()) filter.org_unit = caller.org_unit;
    STIP_RETURN_IF_ERROR(policy_.CheckRead(caller, filter.org_unit));
  }
  ValueQuery query;
  query.measures = {measure->name};
  if (filter.year != 0) query.year = filter.year;
  query.org_unit = filter.org_unit;
  query.states = filter.states;
  query.offset = offset;
  query.limit = limit;
  return store_->ListValues(query);
}

absl::StatusOr<std::vector<ValueRevisionRecord>> ValueReporting::Revisions(const Caller& caller, const ValueKey& key,
                                                                           int offset, int limit) {
  STIP_RETURN_IF_ERROR(policy_.CheckRead(caller, key.org_unit));
  STIP_ASSIGN_OR_RETURN(StoredValue value, Existing(key));
  return store_->ListRevisions(value.id, offset, limit);
}

}  // namespace stip::indicators
