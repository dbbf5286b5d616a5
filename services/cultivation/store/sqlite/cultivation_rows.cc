#include "services/cultivation/store/sqlite/cultivation_rows.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace stip::cultivation {

namespace {

// 1: enterprises, filings, pipelines with their events, rule editions added through the API.
constexpr char kSchema[] = R"sql(
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
)sql";

// 2: the status history of every enterprise (backfilled from the registration date).
constexpr char kStatusHistory[] = R"sql(
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
)sql";

// 3: AIP-155 request ids of CreateEnterprise, with the first response.
constexpr char kCreateRequests[] = R"sql(
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
)sql";

// 4: dated records (awards, certificates, … dated_record.h). What the flags of earlier filings say exactly moves
// into records: a violation flagged "是" in a fiscal year becomes an event over that year, and a 高企 issue date
// becomes a certificate. The filings keep their flags, so nothing is lost; flags without a date or level
// (awards, standards, …) cannot become records; ListRecords names them for re-entry (legacy_flags).
constexpr char kRecords[] = R"sql(
CREATE TABLE enterprise_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uscc TEXT NOT NULL REFERENCES enterprises(uscc),
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  create_time INTEGER NOT NULL);
CREATE INDEX enterprise_records_uscc ON enterprise_records(uscc);
INSERT INTO enterprise_records(uscc, kind, data, create_time)
  SELECT f.uscc, 'violation',
         json_object('kind', 'violation', 'type', j.key, 'start_date', f.year || '-01-01',
                     'end_date', f.year || '-12-31', 'title', f.year || '年度年报填报“是”（迁移）'), 0
  FROM filings f, json_each(f.data) j
  WHERE j.key IN ('serious_research_misconduct', 'abnormal_operation_list', 'serious_dishonest_list',
                  'major_accident') AND j.value = 1;
INSERT INTO enterprise_records(uscc, kind, data, create_time)
  SELECT f.uscc, 'certificate',
         json_object('kind', 'certificate', 'type', 'hte_national',
                     'start_date', json_extract(f.data, '$.hte_cert_issue_date'),
                     'title', f.year || '年度年报填报的高企证书发证日期（迁移）'), 0
  FROM filings f WHERE json_extract(f.data, '$.hte_cert_issue_date') IS NOT NULL;
)sql";

// 5: the enterprise's own facts (独立法人, 居民企业, 注册地, 产品目录), with the remembered create responses.
constexpr char kEnterpriseFacts[] = R"sql(
ALTER TABLE enterprises ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE create_requests ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
)sql";

// 6: per-year tier evaluations (入库 = passed, and the annual 复评).
constexpr char kTierEvaluations[] = R"sql(
CREATE TABLE tier_evaluations (
  uscc TEXT NOT NULL REFERENCES enterprises(uscc),
  program TEXT NOT NULL,
  year INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  edition TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL,
  review INTEGER NOT NULL,  -- 0: passed on entering the pool; 1: the 复评 (one of each per year)
  PRIMARY KEY (uscc, program, year, review));
)sql";

}  // namespace

const std::vector<absl::string_view>& CultivationMigrations() {
  static const auto* migrations = new std::vector<absl::string_view>{kSchema,  kStatusHistory,   kCreateRequests,
                                                                     kRecords, kEnterpriseFacts, kTierEvaluations};
  return *migrations;
}

EnterpriseRecord ReadEnterprise(const SqliteStatement& row, int first) {
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
  r.facts = FactsFromJson(row.ColumnText(first + 10));
  return r;
}

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

// A new enterprise: the row, and its status from its registration date.
absl::Status InsertEnterprise(SqliteDb& db, const EnterpriseRecord& r) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement insert, db.Prepare(absl::StrCat("INSERT INTO enterprises (", kEnterpriseColumns,
                                                                        ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")));
  insert.Bind(1, r.uscc).Bind(2, r.name).Bind(3, r.registration_date).Bind(4, r.org_unit).Bind(5, r.industry);
  insert.Bind(6, r.tech_field).Bind(7, static_cast<int>(r.status)).Bind(8, r.version).Bind(9, r.create_micros);
  insert.Bind(10, r.update_micros).Bind(11, FactsToJson(r.facts));
  STIP_RETURN_IF_ERROR(insert.Run());
  return InsertStatusChange(db, r.uscc, r.status, r.registration_date, "", r.create_micros);
}

absl::Status UpdateEnterpriseRow(SqliteDb& db, const EnterpriseRecord& r) {
  STIP_ASSIGN_OR_RETURN(SqliteStatement update,
                        db.Prepare("UPDATE enterprises SET name=?, registration_date=?, org_unit=?, industry=?, "
                                   "tech_field=?, status=?, version=?, update_time=?, facts=? WHERE uscc=?"));
  update.Bind(1, r.name).Bind(2, r.registration_date).Bind(3, r.org_unit).Bind(4, r.industry).Bind(5, r.tech_field);
  update.Bind(6, static_cast<int>(r.status)).Bind(7, r.version).Bind(8, r.update_micros);
  update.Bind(9, FactsToJson(r.facts)).Bind(10, r.uscc);
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

}  // namespace stip::cultivation
