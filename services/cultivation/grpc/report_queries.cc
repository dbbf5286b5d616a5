#include "services/cultivation/grpc/report_queries.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/domain/report_tables.h"
#include "services/cultivation/grpc/cultivation_convert.h"

namespace stip::cultivation {

absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(const std::string& text, absl::string_view field) {
  if (text.empty()) return std::optional<absl::CivilDay>();
  std::optional<absl::CivilDay> day = ParseDate(text);
  if (!day) return InvalidField(std::string(field), "日期格式应为YYYY-MM-DD");
  return day;
}

absl::StatusOr<ScreenResult> ReportQueries::Screen(const Caller& caller, const pb::ScreenEnterprisesRequest& request,
                                                   bool report) const {
  STIP_ASSIGN_OR_RETURN(std::string program, ProgramId(request.program(), "program"));
  STIP_ASSIGN_OR_RETURN(int fiscal_year, FiscalYearOf(request.application_year(), request.year()));
  ScreenRequest screen{program,
                       fiscal_year,
                       request.org_unit(),
                       request.edition(),
                       request.effective_date(),
                       request.dry_run() || report,
                       std::nullopt,
                       {request.from_programs().begin(), request.from_programs().end()},
                       report};
  STIP_ASSIGN_OR_RETURN(screen.as_of, OptionalDate(request.as_of_date(), "as_of_date"));
  return pipelines_->Screen(caller, screen);
}

absl::StatusOr<AlertQuery> ReportQueries::Alerts(const Caller& caller, const pb::ListAlertsRequest& request) const {
  AlertQuery query;
  STIP_ASSIGN_OR_RETURN(query.org_unit, CultivationAccess::ScopedOrgUnit(caller, request.org_unit()));
  STIP_ASSIGN_OR_RETURN(query.year, FiscalYearOf(request.application_year(), request.year()));
  STIP_RETURN_IF_ERROR(registry_->years().Check(query.year, "year", "2021"));
  if (request.within_days() < 0) return InvalidField("within_days", "不能为负数");
  int within = request.within_days() == 0 ? 90 : request.within_days();
  STIP_ASSIGN_OR_RETURN(std::optional<absl::CivilDay> as_of, OptionalDate(request.as_of_date(), "as_of_date"));
  absl::CivilDay day = as_of.value_or(Today());
  STIP_ASSIGN_OR_RETURN(AlertKindCode kind, FromProto(request.kind(), "kind"));
  query.page_key =
      absl::StrCat(query.year, "|", within, "|", query.org_unit, "|", FormatDate(day), "|", request.kind());
  STIP_ASSIGN_OR_RETURN(query.alerts, engine_->Alerts(query.year, within, query.org_unit, day, kind));
  return query;
}

absl::StatusOr<TierCounts> ReportQueries::Tiers(const Caller& caller, const pb::GetTierStatisticsRequest& request,
                                                std::string* org_unit) const {
  STIP_ASSIGN_OR_RETURN(*org_unit, CultivationAccess::ScopedOrgUnit(caller, request.org_unit()));
  STIP_RETURN_IF_ERROR(registry_->years().Check(request.year(), "year", "2021"));
  return engine_->TierStatistics(request.year(), *org_unit);
}

absl::StatusOr<std::vector<StageCount>> ReportQueries::Stages(const Caller& caller,
                                                              const pb::GetPipelineStatisticsRequest& request,
                                                              std::string* org_unit) const {
  STIP_ASSIGN_OR_RETURN(*org_unit, CultivationAccess::ScopedOrgUnit(caller, request.org_unit()));
  return engine_->PipelineStatistics(request.year(), *org_unit, request.program());
}

absl::StatusOr<Table> ReportQueries::ReportTable(const Caller& caller, const pb::DownloadReportRequest& request) const {
  const OrgUnitNames& names = registry_->org_units();
  std::string org_unit;
  switch (request.report()) {
    case pb::SCREENING: {
      absl::StatusOr<ScreenResult> result = Screen(caller, request.screening(), /*report=*/true);
      if (!result.ok()) return WithFieldPrefix(result.status(), "screening");
      return ScreeningTable(*result, names);
    }
    case pb::ALERTS: {
      absl::StatusOr<AlertQuery> query = Alerts(caller, request.alerts());
      if (!query.ok()) return WithFieldPrefix(query.status(), "alerts");
      return AlertsTable(query->alerts, query->year + 1, query->org_unit, names);
    }
    case pb::TIER_STATISTICS: {
      absl::StatusOr<TierCounts> counts = Tiers(caller, request.tier_statistics(), &org_unit);
      if (!counts.ok()) return WithFieldPrefix(counts.status(), "tier_statistics");
      return TierStatisticsTable(*counts, request.tier_statistics().year(), org_unit, names);
    }
    case pb::PIPELINE_STATISTICS: {
      absl::StatusOr<std::vector<StageCount>> counts = Stages(caller, request.pipeline_statistics(), &org_unit);
      if (!counts.ok()) return WithFieldPrefix(counts.status(), "pipeline_statistics");
      return PipelineStatisticsTable(*counts, request.pipeline_statistics().year(), org_unit, names);
    }
    default: break;
  }
  return InvalidField("report",
                      "请指定报表：SCREENING（遴选结果）、ALERTS（预警）、TIER_STATISTICS（梯度培育统计）或 "
                      "PIPELINE_STATISTICS（四个一批统计）");
}

absl::StatusOr<TableBytes> ReportQueries::Download(const Caller& caller,
                                                   const pb::DownloadReportRequest& request) const {
  STIP_ASSIGN_OR_RETURN(Table table, ReportTable(caller, request));
  return RenderTable(table, request.format() == type::v1::XLSX ? TableFormat::kXlsx : TableFormat::kCsv);
}

}  // namespace stip::cultivation
