// The dated-records part of SqliteCultivationStore: one row per record, its fields as JSON (dated_record.h).
#include <functional>
#include <mutex>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "services/cultivation/store/sqlite/cultivation_rows.h"
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

absl::Status SqliteCultivationStore::PutTierEvaluation(const TierEvaluationRecord& r) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement upsert,
                        db_->Prepare("INSERT OR REPLACE INTO tier_evaluations (uscc, program, year, outcome, edition, "
                                     "reason, actor, time, review) VALUES (?,?,?,?,?,?,?,?,?)"));
  upsert.Bind(1, r.uscc).Bind(2, r.program).Bind(3, r.year).Bind(4, static_cast<int>(r.outcome)).Bind(5, r.edition);
  upsert.Bind(6, r.reason).Bind(7, r.actor).Bind(8, r.time_micros).Bind(9, r.outcome == TierOutcome::kPassed ? 0 : 1);
  return upsert.Run();
}

absl::StatusOr<std::vector<TierEvaluationRecord>> SqliteCultivationStore::ListTierEvaluations(const std::string& uscc) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT program, year, outcome, edition, reason, actor, time FROM "
                                     "tier_evaluations WHERE uscc=? ORDER BY program, year, review"));
  select.Bind(1, uscc);
  std::vector<TierEvaluationRecord> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back({uscc, select.ColumnText(0), static_cast<int>(select.ColumnInt(1)),
                   static_cast<TierOutcome>(select.ColumnInt(2)), select.ColumnText(3), select.ColumnText(4),
                   select.ColumnText(5), select.ColumnInt(6)});
  }
  return out;
}

absl::StatusOr<std::optional<RowWrite>> SqliteCultivationStore::ImportRefusalLocked(const std::string& uscc,
                                                                                    const std::string& scope_org_unit,
                                                                                    absl::string_view what) {
  STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(uscc));
  if (!enterprise) return RowWrite::Rejected("统一社会信用代码", "企业尚未登记，请先导入企业名录");
  if (!scope_org_unit.empty() && enterprise->org_unit != scope_org_unit) {
    return RowWrite::Rejected("统一社会信用代码", absl::StrCat("只能导入本单位（", scope_org_unit, "）企业的", what));
  }
  return std::optional<RowWrite>();
}

absl::StatusOr<std::vector<RowWrite>> SqliteCultivationStore::ImportRecords(const std::vector<DatedRecord>& rows,
                                                                            const std::string& scope_org_unit,
                                                                            bool dry_run) {
  std::lock_guard lock(db_->mutex());
  std::vector<RowWrite> results(rows.size());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    int64_t now = NowMicros();
    for (size_t i = 0; i < rows.size(); ++i) {
      const DatedRecord& record = rows[i];
      RowWrite& result = results[i];
      STIP_ASSIGN_OR_RETURN(std::optional<RowWrite> refusal, ImportRefusalLocked(record.uscc, scope_org_unit, "记录"));
      if (refusal) {
        result = *refusal;
        continue;
      }
      std::string data = RecordToJson(record);
      STIP_ASSIGN_OR_RETURN(SqliteStatement same,
                            db_->Prepare("SELECT 1 FROM enterprise_records WHERE uscc=? AND data=? LIMIT 1"));
      same.Bind(1, record.uscc).Bind(2, data);
      STIP_ASSIGN_OR_RETURN(bool exists, same.Step());
      if (exists) {
        result.outcome = WriteOutcome::kUnchanged;
        continue;
      }
      STIP_ASSIGN_OR_RETURN(SqliteStatement insert, db_->Prepare("INSERT INTO enterprise_records(uscc, kind, data, "
                                                                 "create_time) VALUES (?, ?, ?, ?)"));
      insert.Bind(1, record.uscc).Bind(2, RecordKindCode(record.kind)).Bind(3, data).Bind(4, now);
      STIP_RETURN_IF_ERROR(insert.Run());
      result.outcome = WriteOutcome::kCreated;
    }
    return dry_run ? DryRunRollback() : absl::OkStatus();
  });
  if (!status.ok() && !IsDryRunRollback(status)) return status;
  return results;
}

absl::Status SqliteCultivationStore::ForEachRecord(const std::string& org_unit,
                                                   const std::function<void(const DatedRecord&)>& sink) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT r.uscc, r.id, r.data, r.create_time FROM enterprise_records r "
                                     "JOIN enterprises e ON e.uscc = r.uscc WHERE (?1 = '' OR e.org_unit = ?1) "
                                     "ORDER BY r.uscc, r.id"));
  select.Bind(1, org_unit);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    STIP_ASSIGN_OR_RETURN(DatedRecord record, RecordFromJson(select.ColumnText(2)));
    record.uscc = select.ColumnText(0);
    record.id = absl::StrCat(select.ColumnInt(1));
    record.create_micros = select.ColumnInt(3);
    sink(record);
  }
  return absl::OkStatus();
}

}  // namespace stip::cultivation
