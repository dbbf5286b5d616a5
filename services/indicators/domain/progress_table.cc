#include "services/indicators/domain/progress_table.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace stip::indicators {
namespace {

// Figures as people write them: 2.93, 380, 0.54 (no binary tail; six significant digits is more than any target).
std::string Figure(double value) {
  return absl::StrFormat("%.6g", value);
}

std::string Percent(double share) {
  return absl::StrFormat("%.1f%%", share * 100);
}

std::string StatusText(ProgressStatus status) {
  switch (status) {
    case ProgressStatus::kAchieved: return "已达标";
    case ProgressStatus::kOnTrack: return "正常推进";
    case ProgressStatus::kAtRisk: return "存在风险";
    case ProgressStatus::kNoData: return "暂无数据";
  }
  return "";
}

std::string TrendText(const std::optional<Trend>& trend) {
  if (!trend) return "";
  switch (*trend) {
    case Trend::kUp: return "上升";
    case Trend::kDown: return "下降";
    case Trend::kFlat: return "持平";
  }
  return "";
}

std::string SourceText(ValueSource source) {
  switch (source) {
    case ValueSource::kReported: return "单位填报";
    case ValueSource::kCultivation: return "企业培育库";
    case ValueSource::kEvaluation: return "载体评价";
  }
  return "";
}

std::string UnitName(const PlanCatalog& catalog, const std::string& code) {
  const OrgUnitDef* unit = catalog.FindOrgUnit(code);
  return unit == nullptr ? code : unit->display_name;
}

std::vector<std::string> IndicatorRow(const IndicatorProgressView& view, const PlanCatalog& catalog) {
  const MeasureDef& m = *view.measure;
  bool has = view.attainment.has_value();
  std::string gap;
  if (has) gap = absl::StrCat(Figure(view.current.value - view.target->value), m.unit == "%" ? " 百分点" : "");
  std::string forecast;
  if (view.forecast) {
    forecast =
        absl::StrCat(Figure(view.forecast->value), view.forecast->low_confidence ? "（数据点少，仅供参考）" : "");
  }
  return {absl::StrCat(m.number),
          m.display_name,
          m.unit,
          view.target ? view.target->text : "",
          has ? Figure(view.current.value) : "",
          has ? Percent(*view.attainment) : "",
          gap,
          StatusText(view.status),
          view.previous ? Figure(*view.previous) : "",
          TrendText(view.trend),
          forecast,
          has ? SourceText(view.current.source) : "",
          UnitName(catalog, m.lead_unit)};
}

std::vector<std::string> MilestoneRow(const MilestoneProgressView& view, const PlanCatalog& catalog) {
  const MeasureDef& m = *view.milestone;
  bool has = view.cumulative.has_value();
  return {absl::StrCat("重点任务", view.key_task),
          m.display_name,
          m.unit,
          absl::StrCat(Figure(m.period_target), "（计划期累计）"),
          has ? Figure(*view.cumulative) : "",
          has ? Percent(view.attainment) : "",
          "",
          StatusText(view.status),
          "",
          "",
          "",
          has ? "单位填报" : "",
          UnitName(catalog, m.lead_unit)};
}

}  // namespace

Table ProgressTable(const PlanProgressView& view, const PlanCatalog& catalog) {
  Table table;
  table.title = absl::StrCat("计划进展-", view.plan->id, "-", view.year);
  table.ascii_title = absl::StrCat("progress-", view.plan->id, "-", view.year);
  table.header = {"序号",
                  "指标",
                  "单位",
                  "年度目标",
                  "实际值",
                  "完成率",
                  "差距",
                  "状态",
                  "上年实际",
                  "趋势",
                  absl::StrCat(view.plan->end_year, "年预测"),
                  "数据来源",
                  "牵头单位"};
  for (const IndicatorProgressView& indicator : view.indicators) table.rows.push_back(IndicatorRow(indicator, catalog));
  for (const MilestoneProgressView& milestone : view.milestones) table.rows.push_back(MilestoneRow(milestone, catalog));
  return table;
}

}  // namespace stip::indicators
