// The plan's progress as the table the bureau puts in its reports (CSV or .xlsx, Chinese headers): a row per
// indicator with the year's target as the plan writes it, the actual, attainment, gap, status, trend, the forecast
// to the plan's last year, where the value came from and the lead unit; then the key-task milestones.
#ifndef STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_TABLE_H_
#define STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_TABLE_H_

#include "common/tables/table_file.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/progress_report.h"

namespace stip::indicators {

Table ProgressTable(const PlanProgressView& view, const PlanCatalog& catalog);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_DOMAIN_PROGRESS_TABLE_H_
