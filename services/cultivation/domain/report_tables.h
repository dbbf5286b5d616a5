// The cultivation reports as tables with Chinese headers, for the files officers download (CSV or .xlsx): a
// screening's per-enterprise results, the alerts, the tier counts behind indicators 3–6 and 13, and the 四个一批
// stage counts. The same use cases answer the API; these only lay the answers out as a sheet.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_REPORT_TABLES_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_REPORT_TABLES_H_

#include <map>
#include <string>
#include <vector>

#include "common/tables/table_file.h"
#include "services/cultivation/domain/cultivation_engine.h"

namespace stip::cultivation {

// Org-unit code → name (华明高新区); a code not in the map is shown as it is.
using OrgUnitNames = std::map<std::string, std::string>;

Table ScreeningTable(const ScreenResult& result, const OrgUnitNames& names);
Table AlertsTable(const std::vector<AlertInfo>& alerts, int year, const std::string& org_unit,
                  const OrgUnitNames& names);
Table TierStatisticsTable(const TierCounts& counts, int year, const std::string& org_unit, const OrgUnitNames& names);
Table PipelineStatisticsTable(const std::vector<StageCount>& counts, int year, const std::string& org_unit,
                              const OrgUnitNames& names);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_REPORT_TABLES_H_
