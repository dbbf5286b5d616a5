#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_errors.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/store/sqlite/cultivation_rows.h"

namespace stip::cultivation {

absl::StatusOr<std::unique_ptr<SqliteCultivationStore>> SqliteCultivationStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, CultivationMigrations());
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

absl::StatusOr<std::optional<EnterpriseRecord>> SqliteCultivationStore::RememberedCreateLocked(
    const std::string& request_id) {
  if (request_id.empty()) return std::optional<EnterpriseRecord>();
  STIP_ASSIGN_OR_RETURN(SqliteStatement seen, db_->Prepare(absl::StrCat("SELECT ", kEnterpriseColumns,
                                                                        " FROM create_requests WHERE request_id=?")));
  seen.Bind(1, request_id);
  STIP_ASSIGN_OR_RETURN(bool row, seen.Step());
  if (!row) return std::optional<EnterpriseRecord>();
  return std::optional<EnterpriseRecord>(ReadEnterprise(seen));
}

absl::Status SqliteCultivationStore::RememberCreateLocked(const std::string& request_id, const std::string& actor,
                                                          const EnterpriseRecord& response) {
  if (request_id.empty()) return absl::OkStatus();
  STIP_ASSIGN_OR_RETURN(SqliteStatement insert,
                        db_->Prepare(absl::StrCat("INSERT INTO create_requests (request_id, actor, time, ",
                                                  kEnterpriseColumns, ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")));
  insert.Bind(1, request_id).Bind(2, actor).Bind(3, NowMicros()).Bind(4, response.uscc).Bind(5, response.name);
  insert.Bind(6, response.registration_date).Bind(7, response.org_unit).Bind(8, response.industry);
  insert.Bind(9, response.tech_field).Bind(10, static_cast<int>(response.status)).Bind(11, response.version);
  insert.Bind(12, response.create_micros).Bind(13, response.update_micros).Bind(14, FactsToJson(response.facts));
  return insert.Run();
}

absl::StatusOr<EnterpriseRecord> SqliteCultivationStore::CreateEnterprise(EnterpriseRecord record,
                                                                          const std::string& request_id,
                                                                          const std::string& actor,
                                                                          const CreateDecider& decide) {
  std::lock_guard lock(db_->mutex());
  EnterpriseRecord result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> remembered, RememberedCreateLocked(request_id));
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> existing, GetEnterpriseLocked(record.uscc));
    STIP_ASSIGN_OR_RETURN(CreatePlan plan, decide(remembered, existing));
    switch (plan) {
      case CreatePlan::kReturnRemembered: result = *remembered; return absl::OkStatus();
      case CreatePlan::kRememberExisting: result = *existing; break;
      case CreatePlan::kInsert:
        record.version = 1;
        record.create_micros = record.update_micros = NowMicros();
        STIP_RETURN_IF_ERROR(InsertEnterprise(*db_, record));
        result = record;
        break;
    }
    return RememberCreateLocked(request_id, actor, result);
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<EnterpriseRecord> SqliteCultivationStore::UpdateEnterprise(EnterpriseRecord record,
                                                                          std::optional<int64_t> expected_version,
                                                                          const std::string& status_effective_date,
                                                                          const std::string& actor,
                                                                          const StatusChangeCheck& check) {
  std::lock_guard lock(db_->mutex());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> existing, GetEnterpriseLocked(record.uscc));
    if (!existing) return EnterpriseNotFound(record.uscc);
    if (expected_version && *expected_version != existing->version) return StaleRecord(existing->version);
    record.create_micros = existing->create_micros;
    if (existing->SameData(record)) {
      record = *existing;
      return absl::OkStatus();
    }
    record.version = existing->version + 1;
    record.update_micros = NowMicros();
    if (record.status != existing->status) {
      STIP_ASSIGN_OR_RETURN(std::vector<StatusChange> history, StatusHistoryLocked(*db_, record.uscc));
      STIP_RETURN_IF_ERROR(check(*existing, history));
      STIP_RETURN_IF_ERROR(
          InsertStatusChange(*db_, record.uscc, record.status, status_effective_date, actor, record.update_micros));
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
    if (!enterprise) return EnterpriseNotFound(uscc);
    STIP_ASSIGN_OR_RETURN(std::optional<FilingRecord> existing, GetFilingLocked(uscc, year));
    if (existing && mode == PutMode::kCreate) {
      return FilingExists(uscc, year);
    }
    if (!existing && mode == PutMode::kUpdate) {
      return FilingNotFound(uscc, year);
    }
    if (existing && expected_version && *expected_version != existing->version) return StaleRecord(existing->version);
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
    const std::vector<EnterpriseRecord>& rows, const std::string& scope_org_unit, bool dry_run) {
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
        result = RowWrite::Rejected("所属街道园区", "只能导入本单位（" + scope_org_unit + "）的企业");
        continue;
      }
      if (existing) {
        // An empty fact cell (or no such column) keeps what was recorded: a CSV of the first edition erases nothing.
        EnterpriseFactFlags& facts = record.facts;
        const EnterpriseFactFlags& known = existing->facts;
        if (!facts.independent_legal_person) facts.independent_legal_person = known.independent_legal_person;
        if (!facts.resident_enterprise) facts.resident_enterprise = known.resident_enterprise;
        if (!facts.registered_in_tianjin) facts.registered_in_tianjin = known.registered_in_tianjin;
        if (!facts.prohibited_catalogue) facts.prohibited_catalogue = known.prohibited_catalogue;
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
        result.changed = record.ChangedColumns(*existing);
      } else {
        record.version = 1;
        record.create_micros = now;
        STIP_RETURN_IF_ERROR(InsertEnterprise(*db_, record));
        result.outcome = WriteOutcome::kCreated;
      }
    }
    return dry_run ? DryRunRollback() : absl::OkStatus();
  });
  if (!status.ok() && !IsDryRunRollback(status)) return status;
  return results;
}

absl::StatusOr<std::vector<RowWrite>> SqliteCultivationStore::ImportFilings(const std::vector<FilingRecord>& rows,
                                                                            const std::string& scope_org_unit,
                                                                            bool dry_run) {
  std::lock_guard lock(db_->mutex());
  std::vector<RowWrite> results(rows.size());
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    int64_t now = NowMicros();
    for (size_t i = 0; i < rows.size(); ++i) {
      FilingRecord record = rows[i];
      RowWrite& result = results[i];
      STIP_ASSIGN_OR_RETURN(std::optional<RowWrite> refusal, ImportRefusalLocked(record.uscc, scope_org_unit, "年报"));
      if (refusal) {
        result = *refusal;
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
      if (existing) result.changed = record.ChangedColumns(*existing);
    }
    return dry_run ? DryRunRollback() : absl::OkStatus();
  });
  if (!status.ok() && !IsDryRunRollback(status)) return status;
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
      c.facts.flags = c.enterprise.facts;
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
                          db_->Prepare("SELECT r.uscc, r.id, r.data FROM enterprise_records r JOIN enterprises e "
                                       "ON e.uscc = r.uscc WHERE e.status = 1 AND (?1 = '' OR e.org_unit = ?1) "
                                       "ORDER BY r.id"));
    select.Bind(1, org_unit);
    while (true) {
      STIP_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) break;
      auto it = index.find(select.ColumnText(0));
      if (it == index.end()) continue;
      STIP_ASSIGN_OR_RETURN(DatedRecord record, RecordFromJson(select.ColumnText(2)));
      record.uscc = select.ColumnText(0);
      record.id = absl::StrCat(select.ColumnInt(1));
      cohort[it->second].facts.records.push_back(std::move(record));
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
  c.facts.flags = enterprise->facts;
  STIP_ASSIGN_OR_RETURN(SqliteStatement filings, db_->Prepare("SELECT year, data FROM filings WHERE uscc=?"));
  filings.Bind(1, uscc);
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, filings.Step());
    if (!row) break;
    STIP_ASSIGN_OR_RETURN(FilingData data, FilingFromJson(filings.ColumnText(1)));
    c.facts.filings[static_cast<int>(filings.ColumnInt(0))] = std::move(data);
  }
  STIP_ASSIGN_OR_RETURN(c.facts.records, ListRecordsLocked(uscc));
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

}  // namespace stip::cultivation
