// The plans, org units, indicators, targets, key tasks and milestones, loaded from data/plans/*.json.
#ifndef STIP_SERVICES_INDICATORS_PLAN_CATALOG_H_
#define STIP_SERVICES_INDICATORS_PLAN_CATALOG_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::indicators {

enum class OrgUnitKind { kDistrict, kBureau, kStreet, kPark };

struct OrgUnitDef {
  std::string code;
  std::string display_name;
  OrgUnitKind kind = OrgUnitKind::kStreet;
  std::string parent;  // code; empty for the district
};

enum class Polarity { kHigherIsBetter, kLowerIsBetter };

// How unit values combine into the district value (see aggregation.h).
enum class IndicatorKind { kStock, kFlow, kRatio, kCumulativeCount };

// Where actual values come from: reports approved here, or another service's statistics.
enum class ValueSource { kReported, kCultivation, kEvaluation };

struct TargetDef {
  double value = 0;
  std::string text;  // as the plan's table writes it
};

struct StatusThresholds {
  double achieved = 1.0;
  double on_track = 0.9;
};

// Something a unit reports values for: an indicator (指标) or a key-task milestone (重点任务目标).
struct MeasureDef {
  std::string name;  // plans/{plan}/indicators/{code} or plans/{plan}/keyTasks/{n}/milestones/{code}
  std::string code;
  std::string display_name;
  std::string unit;
  bool is_milestone = false;
  int number = 0;  // indicator 序号, or the key task number of a milestone
  Polarity polarity = Polarity::kHigherIsBetter;
  IndicatorKind kind = IndicatorKind::kStock;
  ValueSource source = ValueSource::kReported;
  std::string source_note;
  std::map<int, TargetDef> targets;  // by year; a milestone has one target for the whole plan
  double period_target = 0;          // milestones only
  std::string lead_unit;
  std::vector<std::string> responsible_units;
  bool streets_and_parks_responsible = false;
};

struct KeyTaskDef {
  int number = 0;
  std::string title;
  std::string section;
  std::string lead_unit;
  std::vector<std::string> responsible_units;
  bool streets_and_parks_responsible = false;
  std::vector<std::string> milestones;  // measure names
};

struct PlanDef {
  std::string id;    // dongli-2020-2022
  std::string name;  // plans/dongli-2020-2022
  std::string display_name;
  std::string document;
  int start_year = 0;
  int end_year = 0;
  std::string district;
  StatusThresholds thresholds;
  std::vector<std::string> indicators;  // measure names in table order
  std::vector<KeyTaskDef> key_tasks;
};

class PlanCatalog {
 public:
  // Parses one plan file (the schema of data/plans/dongli-2020-2022.json) and checks its references.
  static absl::StatusOr<std::unique_ptr<PlanCatalog>> FromJson(absl::string_view json);
  // Every *.json in `dir`, merged (one district tree, several plans).
  static absl::StatusOr<std::unique_ptr<PlanCatalog>> LoadDirectory(const std::string& dir);

  const std::vector<OrgUnitDef>& org_units() const { return org_units_; }
  const std::vector<PlanDef>& plans() const { return plans_; }
  const OrgUnitDef* FindOrgUnit(absl::string_view code) const;
  const PlanDef* FindPlan(absl::string_view name) const;  // "plans/{id}"
  const MeasureDef* FindMeasure(absl::string_view name) const;
  const std::vector<const MeasureDef*>& measures() const { return measure_order_; }
  // The plan a measure belongs to.
  const PlanDef* PlanOf(const MeasureDef& measure) const;
  // Codes of units at or below `code` in the tree.
  bool IsWithin(absl::string_view code, absl::string_view ancestor) const;
  // Children of a unit in the aggregation tree (streets and parks; bureaus hold no values).
  const std::vector<const OrgUnitDef*>& ValueHoldingChildren(absl::string_view code) const;

 private:
  absl::Status Merge(absl::string_view json);
  absl::Status Validate() const;
  void BuildIndex();

  std::vector<OrgUnitDef> org_units_;
  std::vector<PlanDef> plans_;
  std::map<std::string, MeasureDef, std::less<>> measures_;
  std::vector<const MeasureDef*> measure_order_;
  // Aggregation walks the tree once per unit, measure and year: children are looked up, not searched.
  std::map<std::string, std::vector<const OrgUnitDef*>, std::less<>> children_;
};

absl::string_view OrgUnitName(OrgUnitKind kind);
absl::string_view IndicatorKindName(IndicatorKind kind);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_PLAN_CATALOG_H_
