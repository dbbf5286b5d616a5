#include "services/evaluation/store/sqlite/sqlite_evaluation_store.h"

#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "services/evaluation/store/sqlite/evaluation_codec.h"

namespace stip::evaluation {
namespace {

const std::vector<absl::string_view> kMigrations = {
    // 1: carriers, annual reports, versioned documents, assessments, performance evaluations.
    R"sql(
CREATE TABLE carriers (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  levels TEXT NOT NULL,
  operator TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  contacts TEXT NOT NULL,
  university TEXT NOT NULL,
  established_date TEXT NOT NULL,
  independent_legal_person INTEGER NOT NULL,
  registered_in_tianjin INTEGER NOT NULL,
  in_dongli INTEGER NOT NULL,
  note TEXT NOT NULL,
  plan_task TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE TABLE reports (
  carrier_id TEXT NOT NULL REFERENCES carriers(id),
  year INTEGER NOT NULL,
  figures TEXT NOT NULL,
  summary TEXT NOT NULL,
  submitter TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (carrier_id, year)
);
CREATE TABLE documents (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  json TEXT NOT NULL,
  origin TEXT NOT NULL,
  creator TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (kind, id, version)
);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY,
  carrier_id TEXT NOT NULL REFERENCES carriers(id),
  year INTEGER NOT NULL,
  payload TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX assessments_by_carrier ON assessments(carrier_id, year);
CREATE TABLE performance (
  carrier_id TEXT NOT NULL REFERENCES carriers(id),
  year INTEGER NOT NULL,
  grade INTEGER NOT NULL,
  loses_national INTEGER NOT NULL,
  payload TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (carrier_id, year)
);
)sql",
};

constexpr absl::string_view kCarrierColumns =
    "id, display_name, kind, levels, operator, org_unit, contacts, university, established_date, "
    "independent_legal_person, registered_in_tianjin, in_dongli, note, plan_task, version, update_time";

int64_t Micros(absl::Time time) {
  return absl::ToUnixMicros(time);
}

Carrier ReadCarrier(const SqliteStatement& row) {
  Carrier c;
  c.id = row.ColumnText(0);
  c.display_name = row.ColumnText(1);
  c.kind = static_cast<CarrierKind>(row.ColumnInt(2));
  c.levels = LevelsFromJson(row.ColumnText(3));
  c.operator_name = row.ColumnText(4);
  c.org_unit = row.ColumnText(5);
  c.contacts = ContactsFromJson(row.ColumnText(6));
  c.university = row.ColumnText(7);
  c.established_date = row.ColumnText(8);
  c.independent_legal_person = row.ColumnInt(9) != 0;
  c.registered_in_tianjin = row.ColumnInt(10) != 0;
  c.in_dongli = row.ColumnInt(11) != 0;
  c.note = row.ColumnText(12);
  c.plan_task = row.ColumnText(13);
  c.version = row.ColumnInt(14);
  c.update_time = absl::FromUnixMicros(row.ColumnInt(15));
  return c;
}

AnnualReport ReadReport(const SqliteStatement& row) {
  AnnualReport r;
  r.carrier_id = row.ColumnText(0);
  r.year = static_cast<int>(row.ColumnInt(1));
  r.figures = FiguresFromJson(row.ColumnText(2));
  r.summary = row.ColumnText(3);
  r.submitter = row.ColumnText(4);
  r.version = row.ColumnInt(5);
  r.update_time = absl::FromUnixMicros(row.ColumnInt(6));
  return r;
}

absl::Status Changed(SqliteDb& db, absl::string_view what) {
  absl::StatusOr<SqliteStatement> changes = db.Prepare("SELECT changes()");
  if (!changes.ok()) return changes.status();
  absl::StatusOr<bool> row = changes->Step();
  if (!row.ok()) return row.status();
  if (changes->ColumnInt(0) == 0) {
    return EtagMismatch(what);
  }
  return absl::OkStatus();
}

template <typename T, typename Reader>
absl::StatusOr<std::vector<T>> All(SqliteStatement& query, Reader reader) {
  std::vector<T> out;
  while (true) {
    absl::StatusOr<bool> row = query.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(reader(query));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteEvaluationStore>> SqliteEvaluationStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, kMigrations);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteEvaluationStore>(new SqliteEvaluationStore(std::move(*db)));
}

absl::Status SqliteEvaluationStore::SeedCarriers(const std::vector<Carrier>& carriers) {
  for (const Carrier& carrier : carriers) {
    absl::StatusOr<Carrier> saved = SaveCarrier(carrier, true);
    if (!saved.ok() && saved.status().code() != absl::StatusCode::kAlreadyExists) return saved.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Carrier>> SqliteEvaluationStore::FindCarrierLocked(absl::string_view id) {
  absl::StatusOr<SqliteStatement> query =
      db_->Prepare(absl::StrCat("SELECT ", kCarrierColumns, " FROM carriers WHERE id = ?1"));
  if (!query.ok()) return query.status();
  query->Bind(1, id);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Carrier>();
  return std::optional<Carrier>(ReadCarrier(*query));
}

absl::StatusOr<std::optional<Carrier>> SqliteEvaluationStore::FindCarrier(absl::string_view id) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return FindCarrierLocked(id);
}

absl::StatusOr<std::vector<Carrier>> SqliteEvaluationStore::ListCarriers() {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query =
      db_->Prepare(absl::StrCat("SELECT ", kCarrierColumns, " FROM carriers ORDER BY id"));
  if (!query.ok()) return query.status();
  return All<Carrier>(*query, ReadCarrier);
}

absl::StatusOr<Carrier> SqliteEvaluationStore::SaveCarrier(const Carrier& carrier, bool insert) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  Carrier saved = carrier;
  saved.version = insert ? 1 : carrier.version + 1;
  saved.update_time = absl::Now();
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    if (insert) {
      absl::StatusOr<std::optional<Carrier>> existing = FindCarrierLocked(carrier.id);
      if (!existing.ok()) return existing.status();
      if (existing->has_value())
        return absl::AlreadyExistsError(absl::StrCat("载体 ", carrier.id, " 已存在 (carrier exists)"));
    }
    absl::StatusOr<SqliteStatement> statement =
        insert ? db_->Prepare(
                     absl::StrCat("INSERT INTO carriers(", kCarrierColumns,
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"))
               : db_->Prepare(
                     "UPDATE carriers SET display_name = ?2, kind = ?3, levels = ?4, operator = ?5, org_unit = ?6, "
                     "contacts = ?7, university = ?8, established_date = ?9, independent_legal_person = ?10, "
                     "registered_in_tianjin = ?11, in_dongli = ?12, note = ?13, plan_task = ?14, version = ?15, "
                     "update_time = ?16 WHERE id = ?1 AND version = ?17");
    if (!statement.ok()) return statement.status();
    statement->Bind(1, saved.id)
        .Bind(2, saved.display_name)
        .Bind(3, static_cast<int>(saved.kind))
        .Bind(4, LevelsToJson(saved.levels))
        .Bind(5, saved.operator_name)
        .Bind(6, saved.org_unit)
        .Bind(7, ContactsToJson(saved.contacts))
        .Bind(8, saved.university)
        .Bind(9, saved.established_date)
        .Bind(10, saved.independent_legal_person ? 1 : 0)
        .Bind(11, saved.registered_in_tianjin ? 1 : 0)
        .Bind(12, saved.in_dongli ? 1 : 0)
        .Bind(13, saved.note)
        .Bind(14, saved.plan_task)
        .Bind(15, saved.version)
        .Bind(16, Micros(saved.update_time));
    if (!insert) statement->Bind(17, carrier.version);
    if (absl::Status s = statement->Run(); !s.ok()) return s;
    return insert ? absl::OkStatus() : Changed(*db_, "载体信息");
  });
  if (!status.ok()) return status;
  return saved;
}

absl::StatusOr<std::optional<AnnualReport>> SqliteEvaluationStore::FindReport(absl::string_view carrier_id, int year) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT carrier_id, year, figures, summary, submitter, version, update_time FROM reports "
      "WHERE carrier_id = ?1 AND year = ?2");
  if (!query.ok()) return query.status();
  query->Bind(1, carrier_id).Bind(2, year);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<AnnualReport>();
  return std::optional<AnnualReport>(ReadReport(*query));
}

absl::StatusOr<std::vector<AnnualReport>> SqliteEvaluationStore::ListReports(absl::string_view carrier_id) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT carrier_id, year, figures, summary, submitter, version, update_time FROM reports "
      "WHERE carrier_id = ?1 ORDER BY year DESC");
  if (!query.ok()) return query.status();
  query->Bind(1, carrier_id);
  return All<AnnualReport>(*query, ReadReport);
}

absl::StatusOr<AnnualReport> SqliteEvaluationStore::SaveReport(const AnnualReport& report, bool insert) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  AnnualReport saved = report;
  saved.version = insert ? 1 : report.version + 1;
  saved.update_time = absl::Now();
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    if (insert) {
      absl::StatusOr<SqliteStatement> exists =
          db_->Prepare("SELECT 1 FROM reports WHERE carrier_id = ?1 AND year = ?2");
      if (!exists.ok()) return exists.status();
      exists->Bind(1, report.carrier_id).Bind(2, report.year);
      absl::StatusOr<bool> row = exists->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        return absl::AlreadyExistsError(absl::StrCat(report.year, "年度报告已提交，请修改已有报告 (a report for ",
                                                     report.year, " exists: update it with its etag)"));
      }
    }
    absl::StatusOr<SqliteStatement> statement =
        insert ? db_->Prepare(
                     "INSERT INTO reports(carrier_id, year, figures, summary, submitter, version, update_time) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
               : db_->Prepare(
                     "UPDATE reports SET figures = ?3, summary = ?4, submitter = ?5, version = ?6, "
                     "update_time = ?7 WHERE carrier_id = ?1 AND year = ?2 AND version = ?8");
    if (!statement.ok()) return statement.status();
    statement->Bind(1, saved.carrier_id)
        .Bind(2, saved.year)
        .Bind(3, FiguresToJson(saved.figures))
        .Bind(4, saved.summary)
        .Bind(5, saved.submitter)
        .Bind(6, saved.version)
        .Bind(7, Micros(saved.update_time));
    if (!insert) statement->Bind(8, report.version);
    if (absl::Status s = statement->Run(); !s.ok()) return s;
    return insert ? absl::OkStatus() : Changed(*db_, "年度报告");
  });
  if (!status.ok()) return status;
  return saved;
}

absl::Status SqliteEvaluationStore::AddDocument(const StoredDocument& document) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return db_->InTransaction([&]() -> absl::Status {
    absl::StatusOr<SqliteStatement> exists =
        db_->Prepare("SELECT 1 FROM documents WHERE kind = ?1 AND id = ?2 AND version = ?3");
    if (!exists.ok()) return exists.status();
    exists->Bind(1, document.kind).Bind(2, document.id).Bind(3, document.version);
    absl::StatusOr<bool> row = exists->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      return absl::AlreadyExistsError(absl::StrCat(
          document.id, " 第", document.version, "版已存在，请使用新的版本号 (version ", document.version, " exists)"));
    }
    absl::StatusOr<SqliteStatement> insert = db_->Prepare(
        "INSERT INTO documents(kind, id, version, json, origin, creator, create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, document.kind)
        .Bind(2, document.id)
        .Bind(3, document.version)
        .Bind(4, document.json)
        .Bind(5, document.origin)
        .Bind(6, document.creator)
        .Bind(7, Micros(document.create_time));
    return insert->Run();
  });
}

namespace {
StoredDocument ReadDocument(const SqliteStatement& row) {
  StoredDocument d;
  d.kind = row.ColumnText(0);
  d.id = row.ColumnText(1);
  d.version = static_cast<int>(row.ColumnInt(2));
  d.json = row.ColumnText(3);
  d.origin = row.ColumnText(4);
  d.creator = row.ColumnText(5);
  d.create_time = absl::FromUnixMicros(row.ColumnInt(6));
  return d;
}
}  // namespace

absl::StatusOr<std::vector<StoredDocument>> SqliteEvaluationStore::ListDocuments(absl::string_view kind,
                                                                                 absl::string_view id) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT kind, id, version, json, origin, creator, create_time FROM documents WHERE kind = ?1 AND id = ?2 "
      "ORDER BY version");
  if (!query.ok()) return query.status();
  query->Bind(1, kind).Bind(2, id);
  return All<StoredDocument>(*query, ReadDocument);
}

absl::StatusOr<std::vector<StoredDocument>> SqliteEvaluationStore::ListAllDocuments(absl::string_view kind) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT kind, id, version, json, origin, creator, create_time FROM documents WHERE kind = ?1 ORDER BY id, "
      "version");
  if (!query.ok()) return query.status();
  query->Bind(1, kind);
  return All<StoredDocument>(*query, ReadDocument);
}

absl::StatusOr<AssessmentRecord> SqliteEvaluationStore::AddAssessment(const AssessmentRecord& record) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  AssessmentRecord saved = record;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    absl::StatusOr<SqliteStatement> insert =
        db_->Prepare("INSERT INTO assessments(carrier_id, year, payload, create_time) VALUES (?1, ?2, ?3, ?4)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, record.carrier_id).Bind(2, record.year).Bind(3, AssessmentToJson(record));
    insert->Bind(4, Micros(record.create_time));
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    saved.id = db_->LastInsertId();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return saved;
}

absl::StatusOr<std::vector<AssessmentRecord>> SqliteEvaluationStore::ListAssessments(absl::string_view carrier_id,
                                                                                     int year) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> query = db_->Prepare(
      "SELECT id, carrier_id, year, payload, create_time FROM assessments WHERE carrier_id = ?1 AND (?2 = 0 OR year = "
      "?2) "
      "ORDER BY id DESC");
  if (!query.ok()) return query.status();
  query->Bind(1, carrier_id).Bind(2, year);
  std::vector<AssessmentRecord> out;
  for (;;) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    AssessmentRecord r;
    r.id = query->ColumnInt(0);
    r.carrier_id = query->ColumnText(1);
    r.year = static_cast<int>(query->ColumnInt(2));
    if (absl::Status parsed = AssessmentFromJson(query->ColumnText(3), r); !parsed.ok()) return parsed;
    r.create_time = absl::FromUnixMicros(query->ColumnInt(4));
    out.push_back(std::move(r));
  }
}

absl::StatusOr<std::vector<PerformanceRecord>> SqliteEvaluationStore::QueryPerformance(absl::string_view where,
                                                                                       absl::string_view key,
                                                                                       int year) {
  absl::StatusOr<SqliteStatement> query = db_->Prepare(absl::StrCat(
      "SELECT carrier_id, year, grade, loses_national, payload, version, update_time FROM performance WHERE ", where,
      " ORDER BY carrier_id, year DESC"));
  if (!query.ok()) return query.status();
  query->Bind(1, key).Bind(2, year);
  std::vector<PerformanceRecord> out;
  for (;;) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    PerformanceRecord r;
    if (absl::Status parsed = PerformanceFromJson(query->ColumnText(4), r); !parsed.ok()) return parsed;
    r.carrier_id = query->ColumnText(0);
    r.year = static_cast<int>(query->ColumnInt(1));
    r.result.grade = static_cast<Grade>(query->ColumnInt(2));
    r.loses_national_status = query->ColumnInt(3) != 0;
    r.version = query->ColumnInt(5);
    r.update_time = absl::FromUnixMicros(query->ColumnInt(6));
    out.push_back(std::move(r));
  }
}

absl::StatusOr<std::optional<PerformanceRecord>> SqliteEvaluationStore::FindPerformance(absl::string_view carrier_id,
                                                                                        int year) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<std::vector<PerformanceRecord>> found =
      QueryPerformance("carrier_id = ?1 AND year = ?2", carrier_id, year);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<PerformanceRecord>();
  return std::optional<PerformanceRecord>(found->front());
}

absl::StatusOr<std::vector<PerformanceRecord>> SqliteEvaluationStore::ListPerformance(absl::string_view carrier_id) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return QueryPerformance("carrier_id = ?1 AND ?2 = ?2", carrier_id, 0);
}

absl::StatusOr<std::vector<PerformanceRecord>> SqliteEvaluationStore::ListPerformanceOfYear(int year) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return QueryPerformance("?1 = ?1 AND year = ?2", "", year);
}

absl::StatusOr<PerformanceRecord> SqliteEvaluationStore::SavePerformance(const PerformanceRecord& record) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  PerformanceRecord saved = record;
  saved.version = record.version + 1;
  saved.update_time = absl::Now();
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    bool insert = record.version == 0;
    absl::StatusOr<SqliteStatement> statement =
        insert ? db_->Prepare(
                     "INSERT INTO performance(carrier_id, year, grade, loses_national, payload, version, update_time) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
               : db_->Prepare(
                     "UPDATE performance SET grade = ?3, loses_national = ?4, payload = ?5, version = ?6, "
                     "update_time = ?7 WHERE carrier_id = ?1 AND year = ?2 AND version = ?8");
    if (!statement.ok()) return statement.status();
    statement->Bind(1, saved.carrier_id).Bind(2, saved.year).Bind(3, static_cast<int>(saved.result.grade));
    statement->Bind(4, saved.loses_national_status ? 1 : 0).Bind(5, PerformanceToJson(saved));
    statement->Bind(6, saved.version).Bind(7, Micros(saved.update_time));
    if (!insert) statement->Bind(8, record.version);
    if (absl::Status s = statement->Run(); !s.ok()) return s;
    return Changed(*db_, "绩效评价");
  });
  if (!status.ok()) return status;
  return saved;
}

}  // namespace stip::evaluation
