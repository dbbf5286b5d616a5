// IndicatorStore on an embedded SQLite file (WAL, foreign keys, numbered migrations).
#ifndef STIP_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_
#define STIP_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_

#include <memory>
#include <string>

#include "common/sqlite_db.h"
#include "services/indicators/store/indicator_store.h"

namespace stip::indicators {

class SqliteIndicatorStore : public IndicatorStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> Open(const std::string& path);

  absl::Status SyncCatalog(const PlanCatalog& catalog) override;
  absl::StatusOr<std::optional<StoredValue>> FindValue(absl::string_view measure, int year,
                                                       absl::string_view org_unit) override;
  absl::StatusOr<std::vector<StoredValue>> ListValues(const ValueQuery& query) override;
  absl::StatusOr<StoredValue> SaveValue(const StoredValue& value, const ValueRevisionRecord& revision) override;
  absl::Status DeleteValue(int64_t value_id) override;
  absl::StatusOr<std::vector<ValueRevisionRecord>> ListRevisions(int64_t value_id, int offset, int limit) override;

 private:
  explicit SqliteIndicatorStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_SQLITE_INDICATOR_STORE_H_
