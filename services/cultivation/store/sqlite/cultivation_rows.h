// The SQLite schema of cultivation (numbered migrations) and the row helpers both halves of the store use.
#ifndef STIP_SERVICES_CULTIVATION_STORE_SQLITE_CULTIVATION_ROWS_H_
#define STIP_SERVICES_CULTIVATION_STORE_SQLITE_CULTIVATION_ROWS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sqlite_db.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

const std::vector<absl::string_view>& CultivationMigrations();

inline constexpr char kEnterpriseColumns[] =
    "uscc, name, registration_date, org_unit, industry, tech_field, status, version, create_time, update_time, facts";
inline constexpr char kPipelineColumns[] =
    "p.uscc, p.program, p.stage, p.year, p.effective_date, p.cert_issue_date, p.valid_until, p.withdrawal_reason, "
    "p.edition, p.version, p.update_time, e.org_unit, e.name";

EnterpriseRecord ReadEnterprise(const SqliteStatement& row, int first = 0);
PipelineRecord ReadPipeline(const SqliteStatement& row);
absl::Status InsertStatusChange(SqliteDb& db, const std::string& uscc, EnterpriseStatus status,
                                const std::string& effective_date, const std::string& actor, int64_t time);
absl::StatusOr<std::vector<StatusChange>> StatusHistoryLocked(SqliteDb& db, const std::string& uscc);
absl::Status InsertEnterprise(SqliteDb& db, const EnterpriseRecord& r);
absl::Status UpdateEnterpriseRow(SqliteDb& db, const EnterpriseRecord& r);
absl::Status WriteFilingRow(SqliteDb& db, const FilingRecord& r, bool insert);

// A dry-run import decides its rows inside the transaction, then ends it with this status so nothing is kept.
inline absl::Status DryRunRollback() {
  return absl::CancelledError("stip: dry-run import rolled back");
}
inline bool IsDryRunRollback(const absl::Status& status) {
  return absl::IsCancelled(status) && status.message() == "stip: dry-run import rolled back";
}

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_STORE_SQLITE_CULTIVATION_ROWS_H_
