#include "services/cultivation/sqlite_cultivation_store.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "common/status_macros.h"

namespace stip::cultivation {
namespace {


const std::vector<absl::string_view>& Migrations() {
  static const auto* migrations = new std::vector<absl::string_view>{
      R"sql(
CREATE TABLE enterprises (
  uscc TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  registration_date TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  industry TEXT NOT NULL,
  tech_field TEXT NOT NULL,
  status INTEGER NOT NULL,
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL);
CREATE INDEX enterprises_org_unit ON enterprises(org_unit, uscc);
CREATE TABLE filings (
  uscc TEXT NOT NULL REFERENCES enterprises(uscc),
  year INTEGER NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (uscc, year));
CREATE INDEX filings_year ON filings(year, uscc);
CREATE TABLE pipelines (
  uscc TEXT NOT NULL REFERENCES enterprises(uscc),
  program TEXT NOT NULL,
  stage INTEGER NOT NULL,
  year INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  cert_issue_date TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  withdrawal_reason INTEGER NOT NULL,
  edition TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (uscc, program));
CREATE INDEX pipelines_program_stage ON pipelines(program, stage);
CREATE TABLE pipeline_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uscc TEXT NOT NULL,
  program TEXT NOT NULL,
  from_stage INTEGER NOT NULL,
  to_stage INTEGER NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  withdrawal_reason INTEGER NOT NULL,
  year INTEGER NOT NULL,
  edition TEXT NOT NULL,
  cert_issue_date TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  FOREIGN KEY (uscc, program) REFERENCES pipelines(uscc, program));
CREATE INDEX pipeline_events_key ON pipeline_events(uscc, program, seq);
CREATE INDEX pipeline_events_date ON pipeline_events(effective_date);
CREATE TABLE rule_editions (
  program TEXT NOT NULL,
  edition TEXT NOT NULL,
  json TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (program, edition));
)sql",
      // 2: status history (迁出/注销 with the date each took effect), so that past years count an enterprise by
      // its status on their 31 December. Backfill: one row per enterprise, its current status from its
      // registration date (when an enterprise that had already left did so is not known).
      R"sql(
CREATE TABLE enterprise_status_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  uscc TEXT NOT NULL REFERENCES enterprises(uscc),
  status INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL);
CREATE INDEX enterprise_status_history_key ON enterprise_status_history(uscc, seq);
INSERT INTO enterprise_status_history (uscc, status, effective_date, actor, time)
  SELECT uscc, status, registration_date, 'migration', create_time FROM enterprises ORDER BY uscc;
)sql",
      // 3: request ids of CreateEnterprise (AIP-155): the first response of each, returned to its retries.
      R"sql(
CREATE TABLE create_requests (
  request_id TEXT PRIMARY KEY,
  uscc TEXT NOT NULL,
  name TEXT NOT NULL,
  registration_date TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  industry TEXT NOT NULL,
  tech_field TEXT NOT NULL,
  status INTEGER NOT NULL,
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL);
CREATE INDEX create_requests_uscc ON create_requests(uscc);
)sql"};
  return *migrations;
}

constexpr char kEnterpriseColumns[] =
    "uscc, name, registration_date, org_unit, industry, tech_field, status, version, create_time, update_time";

EnterpriseRecord ReadEnterprise(const SqliteStatement& row, int first = 0) {
  EnterpriseRecord r;
  r.uscc = row.ColumnText(first + 0);
  r.name = row.ColumnText(first + 1);
  r.registration_date = row.ColumnText(first + 2);
  r.org_unit = row.ColumnText(first + 3);
  r.industry = row.ColumnText(first + 4);
  r.tech_field = row.ColumnText(first + 5);
  r.status = static_cast<EnterpriseStatus>(row.ColumnInt(first + 6));
  r.version = row.ColumnInt(first + 7);
  r.create_micros = row.ColumnInt(first + 8);
  r.update_micros = row.ColumnInt(first + 9);
  return r;
}

constexpr char kPipelineColumns[] =
    "p.uscc, p.program, p.stage, p.year, p.effective_date, p.cert_issue_date, p.valid_until, p.withdrawal_reason, "
    "p.edition, p.version, p.update_time, e.org_unit, e.name";

PipelineRecord ReadPipeline(const SqliteStatement& row) {
  PipelineRecord p;
  p.uscc = row.ColumnText(0);
  p.program = row.ColumnText(1);
  p.stage = static_cast<Stage>(row.ColumnInt(2));
  p.year = static_cast<int>(row.ColumnInt(3));
  p.effective_date = row.ColumnText(4);
  p.cert_issue_date = row.ColumnText(5);
  p.valid_until = row.ColumnText(6);
  p.withdrawal_reason = static_cast<WithdrawalReason>(row.ColumnInt(7));
  p.edition = row.ColumnText(8);
  p.version = row.ColumnInt(9);
  p.update_micros = row.ColumnInt(10);
  p.org_unit = row.ColumnText(11);
  p.enterprise_name = row.ColumnText(12);
  return p;
}

absl::Status InsertStatusChange(SqliteDb& db, const std::string& uscc, EnterpriseStatus status,
                                const std::string& effective_date, const std::string& actor, int64_t now) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement insert,
                        db.Prepare("INSERT INTO enterprise_status_history (uscc, status, effective_date, actor, time) "
                                   "VALUES (?,?,?,?,?)"));
  insert.Bind(1, uscc).Bind(2, static_cast<int>(status)).Bind(3, effective_date).Bind(4, actor).Bind(5, now);
  return insert.Run();
}

absl::StatusOr<std::vector<StatusChange>> StatusHistoryLocked(SqliteDb& db, const std::string& uscc) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db.Prepare("SELECT effective_date, status FROM enterprise_status_history WHERE uscc=? "
                                   "ORDER BY seq"));
  select.Bind(1, uscc);
  std::vector<StatusChange> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(StatusChange{select.ColumnText(0), static_cast<EnterpriseStatus>(select.ColumnInt(1))});
  }
  return out;
}

std::string TodayText() { return FormatDate(absl::ToCivilDay(absl::Now(), absl::LocalTimeZone())); }

// A new enterprise: the row, and its status from its registration date.
absl::Status InsertEnterprise(SqliteDb& db, const EnterpriseRecord& r) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement insert, db.Prepare(absl::StrCat("INSERT INTO enterprises (", kEnterpriseColumns,
                                                                        ") VALUES (?,?,?,?,?,?,?,?,?,?)")));
  insert.Bind(1, r.uscc).Bind(2, r.name).Bind(3, r.registration_date).Bind(4, r.org_unit).Bind(5, r.industry);
  insert.Bind(6, r.tech_field).Bind(7, static_cast<int>(r.status)).Bind(8, r.version).Bind(9, r.create_micros);
  insert.Bind(10, r.update_micros);
  STIP_RETURN_IF_ERROR(insert.Run());
  return InsertStatusChange(db, r.uscc, r.status, r.registration_date, "", r.create_micros);
}

absl::Status UpdateEnterpriseRow(SqliteDb& db, const EnterpriseRecord& r) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement update,
                        db.Prepare("UPDATE enterprises SET name=?, registration_date=?, org_unit=?, industry=?, "
                                   "tech_field=?, status=?, version=?, update_time=? WHERE uscc=?"));
  update.Bind(1, r.name).Bind(2, r.registration_date).Bind(3, r.org_unit).Bind(4, r.industry).Bind(5, r.tech_field);
  update.Bind(6, static_cast<int>(r.status)).Bind(7, r.version).Bind(8, r.update_micros).Bind(9, r.uscc);
  return update.Run();
}

absl::Status WriteFilingRow(SqliteDb& db, const FilingRecord& r, bool insert) {
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement statement,
      db.Prepare(insert ? "INSERT INTO filings (data, version, update_time, uscc, year) VALUES (?,?,?,?,?)"
                        : "UPDATE filings SET data=?, version=?, update_time=? WHERE uscc=? AND year=?"));
  statement.Bind(1, FilingToJson(r.data)).Bind(2, r.version).Bind(3, r.update_micros).Bind(4, r.uscc).Bind(5, r.year);
  return statement.Run();
}

absl::Status Aborted(int64_t current) {
  return absl::AbortedError(
      absl::StrCat("数据已被他人修改，请刷新后重试 (etag mismatch; current etag \"", current, "\")"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteCultivationStore>> SqliteCultivationStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteCultivationStore>(new SqliteCultivationStore(std::move(*db)));
}

// ---------------------------------------------------------------------------------------------- enterprises
absl::StatusOr<std::optional<EnterpriseRecord>> SqliteCultivationStore::GetEnterpriseLocked(const std::string& uscc) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare(absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises WHERE uscc=?")));
  select.Bind(1, uscc);
  STIP_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<EnterpriseRecord>();
  return std::optional<EnterpriseRecord>(ReadEnterprise(select));
}

absl::StatusOr<std::optional<EnterpriseRecord>> SqliteCultivationStore::GetEnterprise(const std::string& uscc) {
  std::lock_guard lock(db_->mutex());
  return GetEnterpriseLocked(uscc);
}

absl::StatusOr<std::vector<EnterpriseRecord>> SqliteCultivationStore::ListEnterprises(const std::string& org_unit,
                                                                                      EnterpriseStatus status,
                                                                                      int offset, int limit,
                                                                                      int* total) {
  std::lock_guard lock(db_->mutex());
  std::string where = " WHERE (?1 = '' OR org_unit = ?1) AND (?2 = 0 OR status = ?2)";
  STIP_ASSIGN_OR_RETURN(SqliteStatement count, db_->Prepare(absl::StrCat("SELECT COUNT(*) FROM enterprises", where)));
  count.Bind(1, org_unit).Bind(2, static_cast<int>(status));
  STIP_ASSIGN_OR_RETURN(bool has_count, count.Step());
  *total = has_count ? static_cast<int>(count.ColumnInt(0)) : 0;
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare(absl::StrCat("SELECT ", kEnterpriseColumns, " FROM enterprises", where,
                                                  " ORDER BY uscc LIMIT ?3 OFFSET ?4")));
  select.Bind(1, org_unit).Bind(2, static_cast<int>(status)).Bind(3, limit).Bind(4, offset);
  std::vector<EnterpriseRecord> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(ReadEnterprise(select));
  }
  return out;
}

absl::StatusOr<EnterpriseRecord> SqliteCultivationStore::CreateEnterprise(EnterpriseRecord record,
                                                                          const std::string& request_id,
                                                                          const std::string& actor) {
  std::lock_guard lock(db_->mutex());
  EnterpriseRecord result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    if (!request_id.empty()) {
      STIP_ASSIGN_OR_RETURN(SqliteStatement seen,
                            db_->Prepare(absl::StrCat("SELECT ", kEnterpriseColumns,
                                                      " FROM create_requests WHERE request_id=?")));
      seen.Bind(1, request_id);
      STIP_ASSIGN_OR_RETURN(bool row, seen.Step());
      if (row) {
        EnterpriseRecord first = ReadEnterprise(seen);
        if (!first.SameData(record)) {
          return InvalidField("request_id",
                              absl::StrCat("request_id “", request_id, "” 已用于登记企业 ", first.uscc, "（", first.name,
                                           "），与本次请求的内容不同；新的登记请使用新的 request_id"));
        }
        result = first;
        return absl::OkStatus();
      }
    }
    auto remember = [&](const EnterpriseRecord& response) -> absl::Status {
      if (request_id.empty()) return absl::OkStatus();
      STIP_ASSIGN_OR_RETURN(SqliteStatement insert,
                            db_->Prepare(absl::StrCat("INSERT INTO create_requests (request_id, actor, time, ",
                                                      kEnterpriseColumns, ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")));
      insert.Bind(1, request_id).Bind(2, actor).Bind(3, NowMicros()).Bind(4, response.uscc).Bind(5, response.name);
      insert.Bind(6, response.registration_date).Bind(7, response.org_unit).Bind(8, response.industry);
      insert.Bind(9, response.tech_field).Bind(10, static_cast<int>(response.status)).Bind(11, response.version);
      insert.Bind(12, response.create_micros).Bind(13, response.update_micros);
      return insert.Run();
    };
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> existing, GetEnterpriseLocked(record.uscc));
    if (existing) {
      if (!request_id.empty() && existing->SameData(record)) {
        result = *existing;
        return remember(result);
      }
      return absl::AlreadyExistsError(absl::StrCat("企业 ", record.uscc, "（", existing->name, "）已登记 (already exists)"));
    }
    record.version = 1;
    record.create_micros = record.update_micros = NowMicros();
    STIP_RETURN_IF_ERROR(InsertEnterprise(*db_, record));
    result = record;
    return remember(result);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<EnterpriseRecord> SqliteCultivationStore::UpdateEnterprise(EnterpriseRecord record,
                                                                          std::optional<int64_t> expected_version,
                                                                          const std::string& status_effective_date,
                                                                          const std::string& actor) {
  std::lock_guard lock(db_->mutex());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> existing, GetEnterpriseLocked(record.uscc));
    if (!existing) return absl::NotFoundError(absl::StrCat("没有企业 ", record.uscc));
    if (expected_version && *expected_version != existing->version) return Aborted(existing->version);
    record.create_micros = existing->create_micros;
    if (existing->SameData(record)) {
      record = *existing;
      return absl::OkStatus();
    }
    record.version = existing->version + 1;
    record.update_micros = NowMicros();
    if (record.status != existing->status) {
      std::optional<absl::CivilDay> effective = ParseDate(status_effective_date);
      if (!effective) return InvalidField("status_effective_date", "日期格式应为YYYY-MM-DD");
      STIP_ASSIGN_OR_RETURN(std::vector<StatusChange> history, StatusHistoryLocked(*db_, record.uscc));
      std::optional<absl::CivilDay> today = ParseDate(TodayText());
      STIP_RETURN_IF_ERROR(CheckStatusChange(history, record.registration_date, *effective, *today));
      STIP_RETURN_IF_ERROR(InsertStatusChange(*db_, record.uscc, record.status, FormatDate(*effective), actor,
                                              record.update_micros));
    }
    return UpdateEnterpriseRow(*db_, record);
  });
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<std::map<std::string, std::vector<StatusChange>>> SqliteCultivationStore::StatusHistories(
    const std::string& org_unit) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT h.uscc, h.effective_date, h.status FROM enterprise_status_history h "
                                     "JOIN enterprises e ON e.uscc = h.uscc WHERE (?1 = '' OR e.org_unit = ?1) "
                                     "ORDER BY h.seq"));
  select.Bind(1, org_unit);
  std::map<std::string, std::vector<StatusChange>> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out[select.ColumnText(0)].push_back(
        StatusChange{select.ColumnText(1), static_cast<EnterpriseStatus>(select.ColumnInt(2))});
  }
  return out;
}

// -------------------------------------------------------------------------------------------------- filings
absl::StatusOr<std::optional<FilingRecord>> SqliteCultivationStore::GetFilingLocked(const std::string& uscc, int year) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT data, version, update_time FROM filings WHERE uscc=? AND year=?"));
  select.Bind(1, uscc).Bind(2, year);
  STIP_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<FilingRecord>();
  FilingRecord r;
  r.uscc = uscc;
  r.year = year;
  STIP_ASSIGN_OR_RETURN(r.data, FilingFromJson(select.ColumnText(0)));
  r.version = select.ColumnInt(1);
  r.update_micros = select.ColumnInt(2);
  return std::optional<FilingRecord>(std::move(r));
}

absl::StatusOr<std::optional<FilingRecord>> SqliteCultivationStore::GetFiling(const std::string& uscc, int year) {
  std::lock_guard lock(db_->mutex());
  return GetFilingLocked(uscc, year);
}

absl::StatusOr<std::vector<FilingRecord>> SqliteCultivationStore::ListFilings(const std::string& uscc) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_->Prepare("SELECT year, data, version, update_time FROM filings WHERE uscc=? ORDER BY year"));
  select.Bind(1, uscc);
  std::vector<FilingRecord> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    FilingRecord r;
    r.uscc = uscc;
    r.year = static_cast<int>(select.ColumnInt(0));
    STIP_ASSIGN_OR_RETURN(r.data, FilingFromJson(select.ColumnText(1)));
    r.version = select.ColumnInt(2);
    r.update_micros = select.ColumnInt(3);
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<std::pair<FilingRecord, WriteOutcome>> SqliteCultivationStore::PutFiling(
    const std::string& uscc, int year, const FilingData& data, PutMode mode, std::optional<int64_t> expected_version) {
  std::lock_guard lock(db_->mutex());
  FilingRecord result;
  WriteOutcome outcome = WriteOutcome::kUnchanged;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(uscc));
    if (!enterprise) return absl::NotFoundError(absl::StrCat("没有企业 ", uscc, " (enterprise not found)"));
    STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> existing, GetFilingLocked(uscc, year));
    if (existing && mode == PutMode::kCreate) {
      return absl::AlreadyExistsError(absl::StrCat("企业 ", uscc, " 的 ", year, " 年度年报已存在 (filing exists)"));
    }
    if (!existing && mode == PutMode::kUpdate) {
      return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 没有 ", year, " 年度年报 (filing not found)"));
    }
    if (existing && expected_version && *expected_version != existing->version) return Aborted(existing->version);
    result.uscc = uscc;
    result.year = year;
    result.data = data;
    if (existing && existing->data == data) {
      result = *existing;
      outcome = WriteOutcome::kUnchanged;
      return absl::OkStatus();
    }
    result.version = existing ? existing->version + 1 : 1;
    result.update_micros = NowMicros();
    outcome = existing ? WriteOutcome::kUpdated : WriteOutcome::kCreated;
    return WriteFilingRow(*db_, result, !existing);
  });
  if (!status.ok()) return status;
  return std::make_pair(result, outcome);
}

absl::StatusOr<std::vector<RowWrite>> SqliteCultivationStore::ImportEnterprises(
    const std::vector<EnterpriseRecord>& rows, const std::string& scope_org_unit) {
  std::lock_guard lock(db_->mutex());
  std::vector<RowWrite> results(rows.size());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    int64_t now = NowMicros();
    for (size_t i = 0; i < rows.size(); ++i) {
      EnterpriseRecord record = rows[i];
      RowWrite& result = results[i];
      STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> existing, GetEnterpriseLocked(record.uscc));
      if (!scope_org_unit.empty() &&
          (record.org_unit != scope_org_unit || (existing && existing->org_unit != scope_org_unit))) {
        result = {WriteOutcome::kRejected, "所属街道园区", "只能导入本单位（" + scope_org_unit + "）的企业"};
        continue;
      }
      if (existing && existing->SameData(record)) {
        result.outcome = WriteOutcome::kUnchanged;
        continue;
      }
      record.update_micros = now;
      if (existing) {
        record.version = existing->version + 1;
        record.create_micros = existing->create_micros;
        STIP_RETURN_IF_ERROR(UpdateEnterpriseRow(*db_, record));
        if (record.status != existing->status) {
          // A CSV row carries no date: the change takes effect on the import date (never before the last one).
          STIP_ASSIGN_OR_RETURN(std::vector<StatusChange> history, StatusHistoryLocked(*db_, record.uscc));
          std::string effective = TodayText();
          for (const StatusChange& change : history) effective = std::max(effective, change.effective_date);
          STIP_RETURN_IF_ERROR(InsertStatusChange(*db_, record.uscc, record.status, effective, "csv-import", now));
        }
        result.outcome = WriteOutcome::kUpdated;
      } else {
        record.version = 1;
        record.create_micros = now;
        STIP_RETURN_IF_ERROR(InsertEnterprise(*db_, record));
        result.outcome = WriteOutcome::kCreated;
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return results;
}

absl::StatusOr<std::vector<RowWrite>> SqliteCultivationStore::ImportFilings(const std::vector<FilingRecord>& rows,
                                                                            const std::string& scope_org_unit) {
  std::lock_guard lock(db_->mutex());
  std::vector<RowWrite> results(rows.size());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    int64_t now = NowMicros();
    for (size_t i = 0; i < rows.size(); ++i) {
      FilingRecord record = rows[i];
      RowWrite& result = results[i];
      STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(record.uscc));
      if (!enterprise) {
        result = {WriteOutcome::kRejected, "统一社会信用代码", "企业尚未登记，请先导入企业名录"};
        continue;
      }
      if (!scope_org_unit.empty() && enterprise->org_unit != scope_org_unit) {
        result = {WriteOutcome::kRejected, "统一社会信用代码", "只能导入本单位（" + scope_org_unit + "）企业的年报"};
        continue;
      }
      STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> existing, GetFilingLocked(record.uscc, record.year));
      if (existing && existing->data == record.data) {
        result.outcome = WriteOutcome::kUnchanged;
        continue;
      }
      record.version = existing ? existing->version + 1 : 1;
      record.update_micros = now;
      STIP_RETURN_IF_ERROR(WriteFilingRow(*db_, record, !existing));
      result.outcome = existing ? WriteOutcome::kUpdated : WriteOutcome::kCreated;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return results;
}

absl::Status SqliteCultivationStore::ForEachEnterprise(const std::string& org_unit,
                                                       const std::function<void(const EnterpriseRecord&)>& sink) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare(absl::StrCat("SELECT ", kEnterpriseColumns,
                                                  " FROM enterprises WHERE (?1 = '' OR org_unit = ?1) ORDER BY uscc")));
  select.Bind(1, org_unit);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::OkStatus();
    sink(ReadEnterprise(select));
  }
}

absl::Status SqliteCultivationStore::ForEachFiling(const std::string& org_unit, int year,
                                                   const std::function<void(const FilingRecord&)>& sink) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT f.uscc, f.year, f.data, f.version, f.update_time FROM filings f "
                                     "JOIN enterprises e ON e.uscc = f.uscc "
                                     "WHERE (?1 = '' OR e.org_unit = ?1) AND (?2 = 0 OR f.year = ?2) "
                                     "ORDER BY f.uscc, f.year"));
  select.Bind(1, org_unit).Bind(2, year);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) return absl::OkStatus();
    FilingRecord r;
    r.uscc = select.ColumnText(0);
    r.year = static_cast<int>(select.ColumnInt(1));
    STIP_ASSIGN_OR_RETURN(r.data, FilingFromJson(select.ColumnText(2)));
    r.version = select.ColumnInt(3);
    r.update_micros = select.ColumnInt(4);
    sink(r);
  }
}

// ---------------------------------------------------------------------------------------------------- cohort
absl::StatusOr<std::vector<Cohort>> SqliteCultivationStore::LoadCohort(int year, const std::string& org_unit,
                                                                       bool require_filing) {
  std::lock_guard lock(db_->mutex());
  std::vector<Cohort> cohort;
  std::map<std::string, size_t> index;
  {
    STIP_ASSIGN_OR_RETURN(
        SqliteStatement select,
        db_->Prepare(absl::StrCat(
            "SELECT ", kEnterpriseColumns, " FROM enterprises e WHERE status = 1 AND (?1 = '' OR org_unit = ?1) ",
            "AND (?3 = 0 OR EXISTS (SELECT 1 FROM filings f WHERE f.uscc = e.uscc AND f.year = ?2)) ORDER BY uscc")));
    select.Bind(1, org_unit).Bind(2, year).Bind(3, require_filing ? 1 : 0);
    while (true) {
      STIP_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      Cohort c;
      c.enterprise = ReadEnterprise(select);
      c.facts.uscc = c.enterprise.uscc;
      c.facts.registration_date = c.enterprise.registration_date;
      c.facts.tech_field = c.enterprise.tech_field;
      index[c.enterprise.uscc] = cohort.size();
      cohort.push_back(std::move(c));
    }
  }
  {
    STIP_ASSIGN_OR_RETURN(
        SqliteStatement select,
        db_->Prepare("SELECT f.uscc, f.year, f.data FROM filings f JOIN enterprises e ON e.uscc = f.uscc "
                     "WHERE e.status = 1 AND (?1 = '' OR e.org_unit = ?1) AND f.year BETWEEN ?2 AND ?3"));
    select.Bind(1, org_unit).Bind(2, year - 3).Bind(3, year);
    while (true) {
      STIP_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      auto it = index.find(select.ColumnText(0));
      if (it == index.end()) continue;
      STIP_ASSIGN_OR_RETURN(FilingData data, FilingFromJson(select.ColumnText(2)));
      cohort[it->second].facts.filings[static_cast<int>(select.ColumnInt(1))] = std::move(data);
    }
  }
  {
    STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                          db_->Prepare(absl::StrCat("SELECT ", kPipelineColumns,
                                                    " FROM pipelines p JOIN enterprises e ON e.uscc = p.uscc "
                                                    "WHERE e.status = 1 AND (?1 = '' OR e.org_unit = ?1)")));
    select.Bind(1, org_unit);
    while (true) {
      STIP_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      PipelineRecord p = ReadPipeline(select);
      auto it = index.find(p.uscc);
      if (it == index.end()) continue;
      if (p.program == kHighTech && !p.cert_issue_date.empty()) {
        cohort[it->second].facts.hte_certificates.push_back(p.cert_issue_date);
      }
      cohort[it->second].pipelines.push_back(std::move(p));
    }
  }
  return cohort;
}

absl::StatusOr<std::optional<Cohort>> SqliteCultivationStore::LoadOne(const std::string& uscc) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(uscc));
  if (!enterprise) return std::optional<Cohort>();
  Cohort c;
  c.enterprise = *enterprise;
  c.facts.uscc = uscc;
  c.facts.registration_date = enterprise->registration_date;
  c.facts.tech_field = enterprise->tech_field;
  STIP_ASSIGN_OR_RETURN(SqliteStatement filings, db_->Prepare("SELECT year, data FROM filings WHERE uscc=?"));
  filings.Bind(1, uscc);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, filings.Step());
    if (!row) break;
    STIP_ASSIGN_OR_RETURN(FilingData data, FilingFromJson(filings.ColumnText(1)));
    c.facts.filings[static_cast<int>(filings.ColumnInt(0))] = std::move(data);
  }
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement pipelines,
      db_->Prepare(absl::StrCat("SELECT ", kPipelineColumns,
                                " FROM pipelines p JOIN enterprises e ON e.uscc = p.uscc WHERE p.uscc=?")));
  pipelines.Bind(1, uscc);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, pipelines.Step());
    if (!row) break;
    PipelineRecord p = ReadPipeline(pipelines);
    if (p.program == kHighTech && !p.cert_issue_date.empty()) c.facts.hte_certificates.push_back(p.cert_issue_date);
    c.pipelines.push_back(std::move(p));
  }
  return std::optional<Cohort>(std::move(c));
}

// ------------------------------------------------------------------------------------------------- pipelines
absl::StatusOr<std::optional<PipelineRecord>> SqliteCultivationStore::GetPipelineLocked(const std::string& uscc,
                                                                                        const std::string& program) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare(absl::StrCat("SELECT ", kPipelineColumns,
                                                  " FROM pipelines p JOIN enterprises e ON e.uscc = p.uscc "
                                                  "WHERE p.uscc=? AND p.program=?")));
  select.Bind(1, uscc).Bind(2, program);
  STIP_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<PipelineRecord>();
  return std::optional<PipelineRecord>(ReadPipeline(select));
}

absl::StatusOr<std::optional<PipelineRecord>> SqliteCultivationStore::GetPipeline(const std::string& uscc,
                                                                                  const std::string& program) {
  std::lock_guard lock(db_->mutex());
  return GetPipelineLocked(uscc, program);
}

absl::StatusOr<std::vector<PipelineRecord>> SqliteCultivationStore::ListPipelines(const std::string& uscc,
                                                                                  const std::string& program,
                                                                                  Stage stage,
                                                                                  const std::string& org_unit,
                                                                                  int offset, int limit) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_->Prepare(
          absl::StrCat("SELECT ", kPipelineColumns,
                       " FROM pipelines p JOIN enterprises e ON e.uscc = p.uscc "
                       "WHERE (?1 = '' OR p.uscc = ?1) AND (?2 = '' OR p.program = ?2) AND (?3 = 0 OR p.stage = ?3) "
                       "AND (?4 = '' OR e.org_unit = ?4) ORDER BY p.uscc, p.program LIMIT ?5 OFFSET ?6")));
  select.Bind(1, uscc)
      .Bind(2, program)
      .Bind(3, static_cast<int>(stage))
      .Bind(4, org_unit)
      .Bind(5, limit)
      .Bind(6, offset);
  std::vector<PipelineRecord> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(ReadPipeline(select));
  }
  return out;
}

absl::StatusOr<std::vector<PipelineEventRecord>> SqliteCultivationStore::ListEvents(const std::string& uscc,
                                                                                    const std::string& program,
                                                                                    int offset, int limit) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select,
                        db_->Prepare("SELECT seq, from_stage, to_stage, actor, time, effective_date, reason, "
                                     "withdrawal_reason, year, edition FROM pipeline_events WHERE uscc=? AND program=? "
                                     "ORDER BY seq LIMIT ? OFFSET ?"));
  select.Bind(1, uscc).Bind(2, program).Bind(3, limit).Bind(4, offset);
  std::vector<PipelineEventRecord> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    PipelineEventRecord e;
    e.sequence = select.ColumnInt(0);
    e.from = static_cast<Stage>(select.ColumnInt(1));
    e.to = static_cast<Stage>(select.ColumnInt(2));
    e.actor = select.ColumnText(3);
    e.time_micros = select.ColumnInt(4);
    e.effective_date = select.ColumnText(5);
    e.reason = select.ColumnText(6);
    e.withdrawal_reason = static_cast<WithdrawalReason>(select.ColumnInt(7));
    e.year = static_cast<int>(select.ColumnInt(8));
    e.edition = select.ColumnText(9);
    out.push_back(std::move(e));
  }
  return out;
}

absl::Status SqliteCultivationStore::WriteTransitionLocked(const std::string& uscc, const std::string& program,
                                                           Stage from, const TransitionSpec& spec,
                                                           int64_t next_version) {
  int64_t now = NowMicros();
  bool certifying = spec.to == Stage::kCertified;
  bool keeps_certificate = spec.to == Stage::kExpired || spec.to == Stage::kWithdrawn;
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement upsert,
      db_->Prepare("INSERT INTO pipelines (uscc, program, stage, year, effective_date, cert_issue_date, valid_until, "
                   "withdrawal_reason, edition, version, update_time) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
                   "ON CONFLICT (uscc, program) DO UPDATE SET stage=?3, year=?4, effective_date=?5, "
                   "cert_issue_date=CASE WHEN ?12 THEN ?6 WHEN ?13 THEN cert_issue_date ELSE '' END, "
                   "valid_until=CASE WHEN ?12 THEN ?7 WHEN ?13 THEN valid_until ELSE '' END, "
                   "withdrawal_reason=?8, edition=CASE WHEN ?9 = '' THEN edition ELSE ?9 END, version=?10, "
                   "update_time=?11"));
  upsert.Bind(1, uscc)
      .Bind(2, program)
      .Bind(3, static_cast<int>(spec.to))
      .Bind(4, spec.year)
      .Bind(5, spec.effective_date);
  upsert.Bind(6, certifying ? spec.cert_issue_date : std::string())
      .Bind(7, certifying ? spec.valid_until : std::string());
  upsert.Bind(8, static_cast<int>(spec.withdrawal_reason)).Bind(9, spec.edition).Bind(10, next_version).Bind(11, now);
  upsert.Bind(12, certifying ? 1 : 0).Bind(13, keeps_certificate ? 1 : 0);
  STIP_RETURN_IF_ERROR(upsert.Run());
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement event,
      db_->Prepare("INSERT INTO pipeline_events (uscc, program, from_stage, to_stage, actor, time, effective_date, "
                   "reason, withdrawal_reason, year, edition, cert_issue_date, valid_until) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  event.Bind(1, uscc).Bind(2, program).Bind(3, static_cast<int>(from)).Bind(4, static_cast<int>(spec.to));
  event.Bind(5, spec.actor).Bind(6, now).Bind(7, spec.effective_date).Bind(8, spec.reason);
  event.Bind(9, static_cast<int>(spec.withdrawal_reason)).Bind(10, spec.year).Bind(11, spec.edition);
  event.Bind(12, certifying ? spec.cert_issue_date : std::string())
      .Bind(13, certifying ? spec.valid_until : std::string());
  return event.Run();
}

absl::StatusOr<PipelineRecord> SqliteCultivationStore::Transition(const std::string& uscc, const std::string& program,
                                                                  const TransitionSpec& spec,
                                                                  std::optional<int64_t> expected_version) {
  std::lock_guard lock(db_->mutex());
  PipelineRecord result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(uscc));
    if (!enterprise) return absl::NotFoundError(absl::StrCat("没有企业 ", uscc));
    STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> current, GetPipelineLocked(uscc, program));
    Stage from = current ? current->stage : Stage::kNone;
    int64_t version = current ? current->version : 0;
    if (expected_version && *expected_version != version) return Aborted(version);
    STIP_RETURN_IF_ERROR(CheckTransition(from, spec.to, spec.withdrawal_reason, spec.reason));
    if (current && spec.effective_date < current->effective_date) {
      return absl::InvalidArgumentError(absl::StrCat("生效日期 ", spec.effective_date, " 早于当前阶段“",
                                                     StageName(from), "”的生效日期 ", current->effective_date,
                                                     " (effective_date)"));
    }
    STIP_RETURN_IF_ERROR(WriteTransitionLocked(uscc, program, from, spec, version + 1));
    STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> written, GetPipelineLocked(uscc, program));
    result = *written;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<int> SqliteCultivationStore::ScreenMany(const std::vector<std::string>& usccs,
                                                       const std::string& program, const TransitionSpec& spec) {
  std::lock_guard lock(db_->mutex());
  int moved = 0;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    for (const std::string& uscc : usccs) {
      STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> current, GetPipelineLocked(uscc, program));
      Stage from = current ? current->stage : Stage::kNone;
      if (from != Stage::kNone && from != Stage::kExpired && from != Stage::kWithdrawn) continue;
      STIP_RETURN_IF_ERROR(WriteTransitionLocked(uscc, program, from, spec, (current ? current->version : 0) + 1));
      ++moved;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return moved;
}

absl::StatusOr<std::vector<CultivationStore::StageAt>> SqliteCultivationStore::StagesAt(const std::string& date,
                                                                                        const std::string& org_unit) {
  std::lock_guard lock(db_->mutex());
  // SQLite returns the other columns of the row that holds the MAX (documented "bare column" behaviour): the
  // last event by effective date, then by sequence.
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_->Prepare("SELECT ev.uscc, ev.program, ev.to_stage, ev.valid_until, e.org_unit, ev.year, e.status, "
                   "MAX(ev.effective_date || printf('%012d', ev.seq)) FROM pipeline_events ev "
                   "JOIN enterprises e ON e.uscc = ev.uscc WHERE ev.effective_date <= ?1 "
                   "AND (?2 = '' OR e.org_unit = ?2) GROUP BY ev.uscc, ev.program"));
  select.Bind(1, date).Bind(2, org_unit);
  std::vector<StageAt> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(StageAt{select.ColumnText(0), select.ColumnText(1), static_cast<Stage>(select.ColumnInt(2)),
                          select.ColumnText(3), select.ColumnText(4), static_cast<int>(select.ColumnInt(5)),
                          static_cast<EnterpriseStatus>(select.ColumnInt(6))});
  }
  // A certification's valid_until lives on its own event; carry it for CERTIFIED rows (already there).
  return out;
}

absl::StatusOr<std::vector<CultivationStore::CertAndListing>> SqliteCultivationStore::CertificatesAndListings(
    int year, const std::string& org_unit) {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_->Prepare("SELECT f.uscc, e.org_unit, f.year, json_extract(f.data, '$.hte_cert_issue_date'), "
                   "json_extract(f.data, '$.listed_company'), e.status FROM filings f JOIN enterprises e ON e.uscc = f.uscc "
                   "WHERE (?2 = '' OR e.org_unit = ?2) AND f.year <= ?1 "
                   "AND (json_extract(f.data, '$.hte_cert_issue_date') IS NOT NULL OR "
                   "(f.year = ?1 AND json_extract(f.data, '$.listed_company') = 1)) ORDER BY f.uscc"));
  select.Bind(1, year).Bind(2, org_unit);
  std::vector<CertAndListing> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    std::string uscc = select.ColumnText(0);
    if (out.empty() || out.back().uscc != uscc) {
      out.push_back(CertAndListing{uscc, select.ColumnText(1), {}, false,
                                   static_cast<EnterpriseStatus>(select.ColumnInt(5))});
    }
    if (!select.ColumnIsNull(3)) out.back().hte_issue_dates.push_back(select.ColumnText(3));
    if (select.ColumnInt(2) == year && !select.ColumnIsNull(4) && select.ColumnInt(4) == 1) out.back().listed = true;
  }
  return out;
}

// --------------------------------------------------------------------------------------------- rule editions
absl::Status SqliteCultivationStore::AddRuleEdition(const std::string& program, const std::string& edition,
                                                    const std::string& json, const std::string& actor) {
  std::lock_guard lock(db_->mutex());
  return db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(
        SqliteStatement insert,
        db_->Prepare("INSERT INTO rule_editions (program, edition, json, actor, time) VALUES (?,?,?,?,?)"));
    insert.Bind(1, program).Bind(2, edition).Bind(3, json).Bind(4, actor).Bind(5, NowMicros());
    return insert.Run();
  });
}

absl::StatusOr<std::vector<std::string>> SqliteCultivationStore::ListRuleEditionJson() {
  std::lock_guard lock(db_->mutex());
  STIP_ASSIGN_OR_RETURN(SqliteStatement select, db_->Prepare("SELECT json FROM rule_editions ORDER BY time"));
  std::vector<std::string> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(select.ColumnText(0));
  }
  return out;
}

}  // namespace stip::cultivation
