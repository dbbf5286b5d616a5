// The pipeline, statistics and rule-edition half of SqliteCultivationStore.
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
                                                                  std::optional<int64_t> expected_version,
                                                                  const TransitionCheck& check) {
  std::lock_guard lock(db_->mutex());
  PipelineRecord result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    STIP_ASSIGN_OR_RETURN(std::optional<EnterpriseRecord> enterprise, GetEnterpriseLocked(uscc));
    if (!enterprise) return EnterpriseNotFound(uscc);
    STIP_ASSIGN_OR_RETURN(std::optional<PipelineRecord> current, GetPipelineLocked(uscc, program));
    int64_t version = current ? current->version : 0;
    if (expected_version && *expected_version != version) return StaleRecord(version);
    STIP_RETURN_IF_ERROR(check(current));
    STIP_RETURN_IF_ERROR(
        WriteTransitionLocked(uscc, program, current ? current->stage : Stage::kNone, spec, version + 1));
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
      db_->Prepare(
          "SELECT f.uscc, e.org_unit, f.year, json_extract(f.data, '$.hte_cert_issue_date'), "
          "json_extract(f.data, '$.listed_company'), e.status FROM filings f JOIN enterprises e ON e.uscc = f.uscc "
          "WHERE (?2 = '' OR e.org_unit = ?2) AND f.year <= ?1 "
          "AND (json_extract(f.data, '$.hte_cert_issue_date') IS NOT NULL OR "
          "(f.year = ?1 AND json_extract(f.data, '$.listed_company') = 1)) "
          // 高企 certificate records (second edition) count like the filings' issue dates.
          "UNION ALL SELECT r.uscc, e.org_unit, -1, json_extract(r.data, '$.start_date'), NULL, e.status "
          "FROM enterprise_records r JOIN enterprises e ON e.uscc = r.uscc WHERE (?2 = '' OR e.org_unit = ?2) "
          "AND r.kind = 'certificate' AND json_extract(r.data, '$.type') = 'hte_national' "
          "AND CAST(substr(json_extract(r.data, '$.start_date'), 1, 4) AS INTEGER) <= ?1 ORDER BY 1"));
  select.Bind(1, year).Bind(2, org_unit);
  std::vector<CertAndListing> out;
  while (true) {
    STIP_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    std::string uscc = select.ColumnText(0);
    if (out.empty() || out.back().uscc != uscc) {
      out.push_back(
          CertAndListing{uscc, select.ColumnText(1), {}, false, static_cast<EnterpriseStatus>(select.ColumnInt(5))});
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
