// The dated-records part of SqliteCultivationStore: one row per record, its fields as JSON (dated_record.h).
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"

namespace stip::cultivation {

absl::StatusOr<DatedRecord> SqliteCultivationStore::AddRecord(const DatedRecord& record) {
  std::lock_guard lock(db_->mutex());
  DatedRecord stored = record;
  stored.create_micros = NowMicros();
  STIP_ASSIGN_OR_RETURN(SqliteStatement insert, db_->Prepare("INSERT INTO enterprise_records(uscc, kind, data, "
                                                             "create_time) VALUES (?, ?, ?, ?)"));
  insert.Bind(1, record.uscc).Bind(2, RecordKindCode(record.kind)).Bind(3, RecordToJson(record));
  insert.Bind(4, stored.create_micros);
  STIP_RETURN_IF_ERROR(insert.Run());
  stored.id = absl::StrCat(db_->LastInsertId());
  return stored;
}

absl::StatusOr<std::vector<DatedRecord>> SqliteCultivationStore::ListRecords(const std::string& uscc) {
  std::lock_guard lock(db_->mutex());
  return ListRecordsLocked(uscc);
}

absl::StatusOr<std::vector<DatedRecord>> SqliteCultivationStore::ListRecordsLocked(const std::string& uscc) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT id, data, create_time FROM enterprise_records WHERE uscc=? ORDER BY id"));
  select.Bind(1, uscc);
  std::vector<DatedRecord> records;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    STIP_ASSIGN_OR_RETURN(DatedRecord record, RecordFromJson(select.ColumnText(1)));
    record.uscc = uscc;
    record.id = absl::StrCat(select.ColumnInt(0));
    record.create_micros = select.ColumnInt(2);
    records.push_back(std::move(record));
  }
  return records;
}

absl::Status SqliteCultivationStore::DeleteRecord(const std::string& uscc, const std::string& id) {
  int64_t number = 0;
  if (!absl::SimpleAtoi(id, &number)) return absl::NotFoundError(absl::StrCat("记录不存在：", id));
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement remove, db_->Prepare("DELETE FROM enterprise_records WHERE uscc=? AND id=?"));
  remove.Bind(1, uscc).Bind(2, number);
  STIP_RETURN_IF_ERROR(remove.Run());
  STIP_ASSIGN_OR_RETURN(SqliteStatement changes, db_->Prepare("SELECT changes()"));
  STIP_ASSIGN_OR_RETURN(bool row, changes.Step());
  if (!row || changes.ColumnInt(0) == 0) {
    return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 没有编号为 ", id, " 的记录"));
  }
  return absl::OkStatus();
}

}  // namespace stip::cultivation
