#include "services/indicators/store/sqlite/sqlite_indicator_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/etag.h"

namespace stip::indicators {
namespace {

const std::vector<absl::string_view> kMigrations = {
    // 1: org units, measures, values and their revisions.
    R"sql(
CREATE TABLE org_units (
  code TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent TEXT REFERENCES org_units(code)
);
CREATE TABLE measures (
  name TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL
);
CREATE TABLE reported_values (
  id INTEGER PRIMARY KEY,
  measure TEXT NOT NULL REFERENCES measures(name),
  year INTEGER NOT NULL,
  org_unit TEXT NOT NULL REFERENCES org_units(code),
  value REAL NOT NULL,
  numerator REAL,
  denominator REAL,
  note TEXT NOT NULL DEFAULT '',
  state INTEGER NOT NULL,
  reporter TEXT NOT NULL,
  reporter_unit TEXT NOT NULL,
  update_time INTEGER NOT NULL,
  approver TEXT NOT NULL DEFAULT '',
  approve_time INTEGER,
  review_comment TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  UNIQUE (measure, year, org_unit)
);
CREATE TABLE value_revisions (
  value_id INTEGER NOT NULL REFERENCES reported_values(id),
  revision INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_unit TEXT NOT NULL,
  time INTEGER NOT NULL,
  old_value REAL,
  new_value REAL NOT NULL,
  old_state INTEGER,
  new_state INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (value_id, revision)
);
CREATE INDEX reported_values_by_year ON reported_values(year, measure);
)sql",
};

constexpr absl::string_view kValueColumns =
    "id, measure, year, org_unit, value, numerator, denominator, note, state, reporter, reporter_unit, "
    "update_time, approver, approve_time, review_comment, version";

int64_t Micros(absl::Time time) {
  return absl::ToUnixMicros(time);
}

StoredValue ReadValue(const SqliteStatement& row) {
  StoredValue value;
  value.id = row.ColumnInt(0);
  value.measure = row.ColumnText(1);
  value.year = static_cast<int>(row.ColumnInt(2));
  value.org_unit = row.ColumnText(3);
  value.value = row.ColumnDouble(4);
  value.numerator = row.ColumnOptionalDouble(5);
  value.denominator = row.ColumnOptionalDouble(6);
  value.note = row.ColumnText(7);
  value.state = static_cast<ValueState>(row.ColumnInt(8));
  value.reporter = row.ColumnText(9);
  value.reporter_unit = row.ColumnText(10);
  value.update_time = absl::FromUnixMicros(row.ColumnInt(11));
  value.approver = row.ColumnText(12);
  if (!row.ColumnIsNull(13)) value.approve_time = absl::FromUnixMicros(row.ColumnInt(13));
  value.review_comment = row.ColumnText(14);
  value.version = row.ColumnInt(15);
  return value;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> SqliteIndicatorStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, kMigrations);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteIndicatorStore>(new SqliteIndicatorStore(std::move(*db)));
}

absl::Status SqliteIndicatorStore::SyncCatalog(const PlanCatalog& catalog) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return db_->InTransaction([&]() -> absl::Status {
    // Parents first: the district has none, everything else hangs below it.
    for (int pass = 0; pass < 2; ++pass) {
      for (const OrgUnitDef& unit : catalog.org_units()) {
        if ((pass == 0) != unit.parent.empty()) continue;
        absl::StatusOr<SqliteStatement> upsert = db_->Prepare(
            "INSERT INTO org_units(code, display_name, kind, parent) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET display_name = excluded.display_name, kind = excluded.kind, "
            "parent = excluded.parent");
        if (!upsert.ok()) return upsert.status();
        upsert->Bind(1, unit.code).Bind(2, unit.display_name).Bind(3, OrgUnitName(unit.kind));
        if (unit.parent.empty()) {
          upsert->BindNull(4);
        } else {
          upsert->Bind(4, unit.parent);
        }
        if (absl::Status status = upsert->Run(); !status.ok()) return status;
      }
    }
    for (const MeasureDef* measure : catalog.measures()) {
      absl::StatusOr<SqliteStatement> upsert = db_->Prepare(
          "INSERT INTO measures(name, display_name, unit, kind) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name, unit = excluded.unit, "
          "kind = excluded.kind");
      if (!upsert.ok()) return upsert.status();
      upsert->Bind(1, measure->name)
          .Bind(2, measure->display_name)
          .Bind(3, measure->unit)
          .Bind(4, IndicatorKindName(measure->kind));
      if (absl::Status status = upsert->Run(); !status.ok()) return status;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<StoredValue>> SqliteIndicatorStore::FindValue(absl::string_view measure, int year,
                                                                           absl::string_view org_unit) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      absl::StrCat("SELECT ", kValueColumns, " FROM reported_values WHERE measure = ? AND year = ? AND org_unit = ?"));
  if (!query.ok()) return query.status();
  query->Bind(1, measure).Bind(2, year).Bind(3, org_unit);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredValue>();
  return std::optional<StoredValue>(ReadValue(*query));
}

absl::StatusOr<std::vector<StoredValue>> SqliteIndicatorStore::ListValues(const ValueQuery& filter) {
  std::vector<std::string> where = {"1 = 1"};
  if (!filter.measures.empty()) {
    where.push_back(
        absl::StrCat("measure IN (", absl::StrJoin(std::vector<std::string>(filter.measures.size(), "?"), ","), ")"));
  }
  if (filter.year) where.emplace_back("year = ?");
  if (filter.max_year) where.emplace_back("year <= ?");
  if (!filter.org_unit.empty()) where.emplace_back("org_unit = ?");
  if (!filter.states.empty()) {
    where.push_back(
        absl::StrCat("state IN (", absl::StrJoin(std::vector<std::string>(filter.states.size(), "?"), ","), ")"));
  }
  std::string sql = absl::StrCat("SELECT ", kValueColumns, " FROM reported_values WHERE ",
                                 absl::StrJoin(where, " AND "), " ORDER BY measure, year, org_unit");
  if (filter.limit > 0) absl::StrAppend(&sql, " LIMIT ", filter.limit, " OFFSET ", filter.offset);
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(sql);
  if (!query.ok()) return query.status();
  int index = 1;
  for (const std::string& measure : filter.measures) query->Bind(index++, measure);
  if (filter.year) query->Bind(index++, *filter.year);
  if (filter.max_year) query->Bind(index++, *filter.max_year);
  if (!filter.org_unit.empty()) query->Bind(index++, filter.org_unit);
  for (ValueState state : filter.states) query->Bind(index++, static_cast<int>(state));
  std::vector<StoredValue> values;
  while (true) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    values.push_back(ReadValue(*query));
  }
  return values;
}

absl::Status SqliteIndicatorStore::DeleteValue(int64_t value_id) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return db_->InTransaction([&]() -> absl::Status {
    for (const char* sql :
         {"DELETE FROM value_revisions WHERE value_id = ?", "DELETE FROM reported_values WHERE id = ?"}) {
      absl::StatusOr<SqliteStatement> statement = db_->Prepare(sql);
      if (!statement.ok()) return statement.status();
      statement->Bind(1, value_id);
      if (absl::Status status = statement->Run(); !status.ok()) return status;
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<StoredValue> SqliteIndicatorStore::SaveValue(const StoredValue& input,
                                                            const ValueRevisionRecord& revision) {
  StoredValue value = input;
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    absl::StatusOr<SqliteStatement> write =
        value.id == 0 ? db_->Prepare(
                            "INSERT INTO reported_values(measure, year, org_unit, value, numerator, denominator, note, "
                            "state, reporter, reporter_unit, update_time, approver, approve_time, review_comment, "
                            "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1)")
                      : db_->Prepare(
                            "UPDATE reported_values SET measure = ?1, year = ?2, org_unit = ?3, value = ?4, "
                            "numerator = ?5, denominator = ?6, note = ?7, state = ?8, reporter = ?9, "
                            "reporter_unit = ?10, update_time = ?11, approver = ?12, approve_time = ?13, "
                            "review_comment = ?14, version = version + 1 WHERE id = ?15 AND version = ?16");
    if (!write.ok()) return write.status();
    write->Bind(1, value.measure)
        .Bind(2, value.year)
        .Bind(3, value.org_unit)
        .Bind(4, value.value)
        .Bind(5, value.numerator)
        .Bind(6, value.denominator)
        .Bind(7, value.note)
        .Bind(8, static_cast<int>(value.state))
        .Bind(9, value.reporter)
        .Bind(10, value.reporter_unit)
        .Bind(11, Micros(value.update_time))
        .Bind(12, value.approver)
        .Bind(14, value.review_comment);
    if (value.approve_time) {
      write->Bind(13, Micros(*value.approve_time));
    } else {
      write->BindNull(13);
    }
    if (value.id != 0) write->Bind(15, value.id).Bind(16, value.version);
    if (absl::Status s = write->Run(); !s.ok()) {
      if (s.code() == absl::StatusCode::kFailedPrecondition) {
        return absl::AbortedError("这个数值刚被他人修改 (changed concurrently); read it again and retry");
      }
      return s;
    }
    absl::StatusOr<SqliteStatement> changes = db_->Prepare("SELECT changes()");
    if (!changes.ok()) return changes.status();
    if (absl::StatusOr<bool> row = changes->Step(); !row.ok()) return row.status();
    if (changes->ColumnInt(0) != 1) {
      return EtagMismatch("这个数值");
    }
    if (value.id == 0) {
      value.id = db_->LastInsertId();
      value.version = 1;
    } else {
      value.version += 1;
    }
    absl::StatusOr<SqliteStatement> append = db_->Prepare(
        "INSERT INTO value_revisions(value_id, revision, action, actor, actor_unit, time, old_value, new_value, "
        "old_state, new_state, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!append.ok()) return append.status();
    append->Bind(1, value.id)
        .Bind(2, value.version)
        .Bind(3, revision.action)
        .Bind(4, revision.actor)
        .Bind(5, revision.actor_unit)
        .Bind(6, Micros(revision.time))
        .Bind(7, revision.old_value)
        .Bind(8, revision.new_value)
        .Bind(10, static_cast<int>(revision.new_state))
        .Bind(11, revision.comment);
    if (revision.old_state) {
      append->Bind(9, static_cast<int>(*revision.old_state));
    } else {
      append->BindNull(9);
    }
    return append->Run();
  });
  if (!status.ok()) return status;
  return value;
}

absl::StatusOr<std::vector<ValueRevisionRecord>> SqliteIndicatorStore::ListRevisions(int64_t value_id, int offset,
                                                                                     int limit) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT revision, action, actor, actor_unit, time, old_value, new_value, old_state, new_state, comment "
      "FROM value_revisions WHERE value_id = ? ORDER BY revision LIMIT ? OFFSET ?");
  if (!query.ok()) return query.status();
  query->Bind(1, value_id).Bind(2, limit).Bind(3, offset);
  std::vector<ValueRevisionRecord> revisions;
  while (true) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ValueRevisionRecord record;
    record.revision = query->ColumnInt(0);
    record.action = query->ColumnText(1);
    record.actor = query->ColumnText(2);
    record.actor_unit = query->ColumnText(3);
    record.time = absl::FromUnixMicros(query->ColumnInt(4));
    record.old_value = query->ColumnOptionalDouble(5);
    record.new_value = query->ColumnDouble(6);
    if (!query->ColumnIsNull(7)) record.old_state = static_cast<ValueState>(query->ColumnInt(7));
    record.new_state = static_cast<ValueState>(query->ColumnInt(8));
    record.comment = query->ColumnText(9);
    revisions.push_back(std::move(record));
  }
  return revisions;
}

}  // namespace stip::indicators
