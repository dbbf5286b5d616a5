// The cultivation reports' queries as the API asks them: ScreenEnterprises, ListAlerts, GetTierStatistics and
// GetPipelineStatistics turn their request into one domain call here, and DownloadReport makes its file from the
// same call, so a downloaded sheet always holds what the method answers.
#ifndef STIP_SERVICES_CULTIVATION_GRPC_REPORT_QUERIES_H_
#define STIP_SERVICES_CULTIVATION_GRPC_REPORT_QUERIES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/caller.h"
#include "common/tables/table_file.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/domain/pipeline_service.h"
#include "stip/cultivation/v1/cultivation.pb.h"

namespace stip::cultivation {

namespace pb = ::stip::cultivation::v1;

// An optional YYYY-MM-DD field: empty is nullopt, anything else must be a date.
absl::StatusOr<std::optional<absl::CivilDay>> OptionalDate(const std::string& text, absl::string_view field);

struct AlertQuery {
  int year = 0;
  std::string org_unit;  // scoped to the caller
  std::string page_key;  // what a page token is bound to
  std::vector<AlertInfo> alerts;
};

class ReportQueries {
 public:
  ReportQueries(const EnterpriseRegistry* registry, const CultivationEngine* engine, PipelineService* pipelines)
      : registry_(registry), engine_(engine), pipelines_(pipelines) {}

  // `report`: a dry run that lists every evaluated enterprise, whatever the request says.
  absl::StatusOr<ScreenResult> Screen(const Caller& caller, const pb::ScreenEnterprisesRequest& request,
                                      bool report) const;
  absl::StatusOr<AlertQuery> Alerts(const Caller& caller, const pb::ListAlertsRequest& request) const;
  absl::StatusOr<TierCounts> Tiers(const Caller& caller, const pb::GetTierStatisticsRequest& request,
                                   std::string* org_unit) const;
  absl::StatusOr<std::vector<StageCount>> Stages(const Caller& caller, const pb::GetPipelineStatisticsRequest& request,
                                                 std::string* org_unit) const;
  // DownloadReport: the report `request.report` names, as the file `request.format` asks for.
  absl::StatusOr<TableBytes> Download(const Caller& caller, const pb::DownloadReportRequest& request) const;

 private:
  absl::StatusOr<Table> ReportTable(const Caller& caller, const pb::DownloadReportRequest& request) const;

  const EnterpriseRegistry* registry_;
  const CultivationEngine* engine_;
  PipelineService* pipelines_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_GRPC_REPORT_QUERIES_H_
