#include "services/indicators/domain/plan_catalog.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "nlohmann/json.hpp"

namespace stip::indicators {
namespace {

using nlohmann::json;

absl::StatusOr<OrgUnitKind> ParseOrgUnitKind(const std::string& text) {
  if (text == "DISTRICT") return OrgUnitKind::kDistrict;
  if (text == "BUREAU") return OrgUnitKind::kBureau;
  if (text == "STREET") return OrgUnitKind::kStreet;
  if (text == "PARK") return OrgUnitKind::kPark;
  return absl::InvalidArgumentError(absl::StrCat("unknown org unit kind ", text));
}

absl::StatusOr<IndicatorKind> ParseIndicatorKind(const std::string& text) {
  if (text == "STOCK") return IndicatorKind::kStock;
  if (text == "FLOW") return IndicatorKind::kFlow;
  if (text == "RATIO") return IndicatorKind::kRatio;
  if (text == "CUMULATIVE_COUNT") return IndicatorKind::kCumulativeCount;
  return absl::InvalidArgumentError(absl::StrCat("unknown indicator kind ", text));
}

absl::StatusOr<ValueSource> ParseSource(const std::string& text) {
  if (text == "REPORTED") return ValueSource::kReported;
  if (text == "CULTIVATION") return ValueSource::kCultivation;
  if (text == "EVALUATION") return ValueSource::kEvaluation;
  return absl::InvalidArgumentError(absl::StrCat("unknown value source ", text));
}

std::vector<std::string> Strings(const json& array) {
  std::vector<std::string> out;
  if (array.is_array()) {
    for (const auto& item : array) out.push_back(item.get<std::string>());
  }
  return out;
}

// One indicator of the plan's table; json exceptions propagate to Merge.
absl::StatusOr<MeasureDef> ParseIndicator(const json& item, const std::string& plan_name) {
  MeasureDef measure;
  measure.code = item.at("code").get<std::string>();
  measure.name = absl::StrCat(plan_name, "/indicators/", measure.code);
  measure.number = item.at("number").get<int>();
  measure.display_name = item.at("display_name").get<std::string>();
  measure.unit = item.at("unit").get<std::string>();
  measure.polarity = item.value("polarity", "HIGHER_IS_BETTER") == "LOWER_IS_BETTER" ? Polarity::kLowerIsBetter
                                                                                     : Polarity::kHigherIsBetter;
  absl::StatusOr<IndicatorKind> kind = ParseIndicatorKind(item.at("kind").get<std::string>());
  if (!kind.ok()) return kind.status();
  measure.kind = *kind;
  absl::StatusOr<ValueSource> source = ParseSource(item.value("source", "REPORTED"));
  if (!source.ok()) return source.status();
  measure.source = *source;
  measure.source_note = item.value("source_note", "");
  for (const auto& target : item.at("targets")) {
    measure.targets[target.at("year").get<int>()] = {target.at("value").get<double>(),
                                                     target.at("text").get<std::string>()};
  }
  measure.lead_unit = item.value("lead_unit", "");
  measure.responsible_units = Strings(item.value("responsible_units", json::array()));
  measure.streets_and_parks_responsible = item.value("streets_and_parks_responsible", false);
  return measure;
}

// One key task (重点任务) with its milestones, which go into `milestones`.
KeyTaskDef ParseKeyTask(const json& item, const std::string& plan_name, std::vector<MeasureDef>* milestones) {
  KeyTaskDef task;
  task.number = item.at("number").get<int>();
  task.title = item.at("title").get<std::string>();
  task.section = item.value("section", "");
  task.lead_unit = item.value("lead_unit", "");
  task.responsible_units = Strings(item.value("responsible_units", json::array()));
  task.streets_and_parks_responsible = item.value("streets_and_parks_responsible", false);
  for (const auto& milestone_json : item.value("milestones", json::array())) {
    MeasureDef milestone;
    milestone.is_milestone = true;
    milestone.code = milestone_json.at("code").get<std::string>();
    milestone.name = absl::StrCat(plan_name, "/keyTasks/", task.number, "/milestones/", milestone.code);
    milestone.number = task.number;
    milestone.display_name = milestone_json.at("display_name").get<std::string>();
    milestone.unit = milestone_json.at("unit").get<std::string>();
    milestone.kind = IndicatorKind::kFlow;  // new makers, projects, trainees per year
    milestone.period_target = milestone_json.at("target").get<double>();
    milestone.lead_unit = task.lead_unit;
    milestone.responsible_units = task.responsible_units;
    milestone.streets_and_parks_responsible = task.streets_and_parks_responsible;
    milestone.source_note = absl::StrCat("三、重点任务 ", task.number);
    task.milestones.push_back(milestone.name);
    milestones->push_back(std::move(milestone));
  }
  return task;
}

}  // namespace

absl::string_view OrgUnitName(OrgUnitKind kind) {
  switch (kind) {
    case OrgUnitKind::kDistrict: return "DISTRICT";
    case OrgUnitKind::kBureau: return "BUREAU";
    case OrgUnitKind::kStreet: return "STREET";
    case OrgUnitKind::kPark: return "PARK";
  }
  return "";
}

absl::string_view IndicatorKindName(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kStock: return "STOCK";
    case IndicatorKind::kFlow: return "FLOW";
    case IndicatorKind::kRatio: return "RATIO";
    case IndicatorKind::kCumulativeCount: return "CUMULATIVE_COUNT";
  }
  return "";
}

absl::StatusOr<std::unique_ptr<PlanCatalog>> PlanCatalog::FromJson(absl::string_view text) {
  auto catalog = std::unique_ptr<PlanCatalog>(new PlanCatalog);  // NOLINT(modernize-make-unique): private constructor
  if (absl::Status status = catalog->Merge(text); !status.ok()) return status;
  if (absl::Status status = catalog->Validate(); !status.ok()) return status;
  catalog->BuildIndex();
  return catalog;
}

absl::StatusOr<std::unique_ptr<PlanCatalog>> PlanCatalog::LoadDirectory(const std::string& dir) {
  auto catalog = std::unique_ptr<PlanCatalog>(new PlanCatalog);  // NOLINT(modernize-make-unique): private constructor
  absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(dir);
  if (!files.ok()) return files.status();
  if (files->empty()) return absl::NotFoundError(absl::StrCat("no plan files (*.json) in ", dir));
  for (const DataFile& file : *files) {
    if (absl::Status status = catalog->Merge(file.contents); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", status.message()));
    }
  }
  if (absl::Status status = catalog->Validate(); !status.ok()) return status;
  catalog->BuildIndex();
  return catalog;
}

absl::Status PlanCatalog::Merge(absl::string_view text) {
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return absl::InvalidArgumentError("not a JSON object");
  try {
    for (const auto& unit : root.value("org_units", json::array())) {
      std::string code = unit.at("code").get<std::string>();
      if (FindOrgUnit(code) != nullptr) continue;  // several plans share one district tree
      absl::StatusOr<OrgUnitKind> kind = ParseOrgUnitKind(unit.at("kind").get<std::string>());
      if (!kind.ok()) return kind.status();
      org_units_.push_back({code, unit.at("display_name").get<std::string>(), *kind, unit.value("parent", "")});
    }
    const json& plan_json = root.at("plan");
    PlanDef plan;
    plan.id = plan_json.at("id").get<std::string>();
    plan.name = absl::StrCat("plans/", plan.id);
    plan.display_name = plan_json.at("display_name").get<std::string>();
    plan.document = plan_json.value("document", "");
    plan.start_year = plan_json.at("start_year").get<int>();
    plan.end_year = plan_json.at("end_year").get<int>();
    plan.district = plan_json.at("district").get<std::string>();
    if (plan_json.contains("status_thresholds")) {
      plan.thresholds.achieved = plan_json["status_thresholds"].value("achieved", 1.0);
      plan.thresholds.on_track = plan_json["status_thresholds"].value("on_track", 0.9);
    }
    for (const auto& item : plan_json.at("indicators")) {
      absl::StatusOr<MeasureDef> measure = ParseIndicator(item, plan.name);
      if (!measure.ok()) return measure.status();
      std::string name = measure->name;
      plan.indicators.push_back(name);
      measures_[name] = *std::move(measure);
    }
    for (const auto& item : plan_json.value("key_tasks", json::array())) {
      std::vector<MeasureDef> milestones;
      plan.key_tasks.push_back(ParseKeyTask(item, plan.name, &milestones));
      for (MeasureDef& milestone : milestones) measures_[milestone.name] = std::move(milestone);
    }
    plans_.push_back(std::move(plan));
  } catch (const json::exception& error) {
    return absl::InvalidArgumentError(absl::StrCat("plan file: ", error.what()));
  }
  measure_order_.clear();
  for (const PlanDef& plan : plans_) {
    for (const std::string& name : plan.indicators) measure_order_.push_back(&measures_.find(name)->second);
    for (const KeyTaskDef& task : plan.key_tasks) {
      for (const std::string& name : task.milestones) measure_order_.push_back(&measures_.find(name)->second);
    }
  }
  return absl::OkStatus();
}

absl::Status PlanCatalog::Validate() const {
  for (const OrgUnitDef& unit : org_units_) {
    if (!unit.parent.empty() && FindOrgUnit(unit.parent) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("org unit ", unit.code, " has unknown parent ", unit.parent));
    }
  }
  for (const auto& [name, measure] : measures_) {
    std::vector<std::string> units = measure.responsible_units;
    if (!measure.lead_unit.empty()) units.push_back(measure.lead_unit);
    for (const std::string& code : units) {
      if (FindOrgUnit(code) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(name, " names unknown unit ", code));
      }
    }
  }
  for (const PlanDef& plan : plans_) {
    if (FindOrgUnit(plan.district) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(plan.name, " names unknown district ", plan.district));
    }
    if (plan.start_year > plan.end_year) return absl::InvalidArgumentError(absl::StrCat(plan.name, ": bad years"));
  }
  return absl::OkStatus();
}

const OrgUnitDef* PlanCatalog::FindOrgUnit(absl::string_view code) const {
  for (const OrgUnitDef& unit : org_units_) {
    if (unit.code == code) return &unit;
  }
  return nullptr;
}

const PlanDef* PlanCatalog::FindPlan(absl::string_view name) const {
  for (const PlanDef& plan : plans_) {
    if (plan.name == name) return &plan;
  }
  return nullptr;
}

const MeasureDef* PlanCatalog::FindMeasure(absl::string_view name) const {
  auto it = measures_.find(name);
  return it == measures_.end() ? nullptr : &it->second;
}

const PlanDef* PlanCatalog::PlanOf(const MeasureDef& measure) const {
  for (const PlanDef& plan : plans_) {
    if (absl::string_view(measure.name).substr(0, plan.name.size() + 1) == plan.name + "/") return &plan;
  }
  return nullptr;
}

bool PlanCatalog::IsWithin(absl::string_view code, absl::string_view ancestor) const {
  for (const OrgUnitDef* unit = FindOrgUnit(code); unit != nullptr;
       unit = unit->parent.empty() ? nullptr : FindOrgUnit(unit->parent)) {
    if (unit->code == ancestor) return true;
  }
  return false;
}

void PlanCatalog::BuildIndex() {
  children_.clear();
  for (const OrgUnitDef& unit : org_units_) {
    children_[unit.code];  // every unit has an entry, possibly empty
    if (!unit.parent.empty() && unit.kind != OrgUnitKind::kBureau) children_[unit.parent].push_back(&unit);
  }
}

const std::vector<const OrgUnitDef*>& PlanCatalog::ValueHoldingChildren(absl::string_view code) const {
  static const std::vector<const OrgUnitDef*> kNone;
  auto it = children_.find(code);
  return it == children_.end() ? kNone : it->second;
}

}  // namespace stip::indicators
