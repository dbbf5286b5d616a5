// Durable state of the cultivation service in SQLite (<data_dir>/cultivation.db): enterprises, filings,
// pipelines with their event history, and rule editions added through the API. Every write is one
// transaction; a committed write survives a crash (WAL, synchronous=FULL).
#ifndef STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_
#define STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/sqlite_db.h"
#include "services/cultivation/domain.h"
#include "services/cultivation/enterprise_metrics.h"
#include "services/cultivation/filing.h"
#include "services/cultivation/pipeline.h"

namespace stip::cultivation {

struct EnterpriseRecord {
  std::string uscc;
  std::string name;
  std::string registration_date;
  std::string org_unit;
  std::string industry;
  std::string tech_field;
  EnterpriseStatus status = EnterpriseStatus::kActive;
  int64_t version = 0;
  int64_t create_micros = 0;
  int64_t update_micros = 0;
  bool SameData(const EnterpriseRecord& other) const;
};

struct FilingRecord {
  std::string uscc;
  int year = 0;
  FilingData data;
  int64_t version = 0;
  int64_t update_micros = 0;
};

struct PipelineRecord {
  std::string uscc;
  std::string program;
  Stage stage = Stage::kNone;
  int year = 0;
  std::string effective_date;
  std::string cert_issue_date;
  std::string valid_until;
  WithdrawalReason withdrawal_reason = WithdrawalReason::kUnspecified;
  std::string edition;
  int64_t version = 0;
  int64_t update_micros = 0;
  std::string org_unit;         // of the enterprise (read only)
  std::string enterprise_name;  // read only
};

struct PipelineEventRecord {
  int64_t sequence = 0;
  Stage from = Stage::kNone;
  Stage to = Stage::kNone;
  std::string actor;
  int64_t time_micros = 0;
  std::string effective_date;
  std::string reason;
  WithdrawalReason withdrawal_reason = WithdrawalReason::kUnspecified;
  int year = 0;
  std::string edition;
};

struct TransitionSpec {
  Stage to = Stage::kNone;
  std::string reason;
  WithdrawalReason withdrawal_reason = WithdrawalReason::kUnspecified;
  std::string effective_date;
  std::string cert_issue_date;
  std::string valid_until;
  int year = 0;
  std::string edition;
  std::string actor;
};

enum class WriteOutcome { kCreated, kUpdated, kUnchanged, kRejected };

struct RowWrite {
  WriteOutcome outcome = WriteOutcome::kRejected;
  std::string column;  // on rejection
  std::string reason;
};

// One enterprise with what evaluation needs (screening, alerts, the bench).
struct Cohort {
  EnterpriseRecord enterprise;
  EnterpriseFacts facts;
  std::vector<PipelineRecord> pipelines;
};

class CultivationStore {
 public:
  static absl::StatusOr<std::unique_ptr<CultivationStore>> Open(const std::string& path);

  // ---- enterprises
  absl::StatusOr<std::optional<EnterpriseRecord>> GetEnterprise(const std::string& uscc);
  absl::StatusOr<std::vector<EnterpriseRecord>> ListEnterprises(const std::string& org_unit, EnterpriseStatus status,
                                                                int offset, int limit, int* total);
  // ALREADY_EXISTS when the USCC is taken (unless identical and `idempotent`, then returns it).
  absl::StatusOr<EnterpriseRecord> CreateEnterprise(EnterpriseRecord record, bool idempotent);
  // ABORTED when `expected_version` is set and differs; NOT_FOUND when missing.
  absl::StatusOr<EnterpriseRecord> UpdateEnterprise(EnterpriseRecord record, std::optional<int64_t> expected_version);

  // ---- filings
  absl::StatusOr<std::optional<FilingRecord>> GetFiling(const std::string& uscc, int year);
  absl::StatusOr<std::vector<FilingRecord>> ListFilings(const std::string& uscc);
  // mode: create (ALREADY_EXISTS if present), update (NOT_FOUND if absent), upsert.
  enum class PutMode { kCreate, kUpdate, kUpsert };
  absl::StatusOr<std::pair<FilingRecord, WriteOutcome>> PutFiling(const std::string& uscc, int year,
                                                                  const FilingData& data, PutMode mode,
                                                                  std::optional<int64_t> expected_version);

  // ---- CSV import: one transaction per batch; rows outside `scope_org_unit` (when set) are rejected.
  absl::StatusOr<std::vector<RowWrite>> ImportEnterprises(const std::vector<EnterpriseRecord>& rows,
                                                          const std::string& scope_org_unit);
  absl::StatusOr<std::vector<RowWrite>> ImportFilings(const std::vector<FilingRecord>& rows,
                                                      const std::string& scope_org_unit);
  // Streams every enterprise (or filing) in key order to `sink`.
  absl::Status ForEachEnterprise(const std::string& org_unit, const std::function<void(const EnterpriseRecord&)>& sink);
  absl::Status ForEachFiling(const std::string& org_unit, int year,
                             const std::function<void(const FilingRecord&)>& sink);

  // ---- evaluation input: active enterprises (optionally of one org unit) with a filing for `year` (or all
  // active enterprises when `require_filing` is false), with filings of year-3..year and pipelines.
  absl::StatusOr<std::vector<Cohort>> LoadCohort(int year, const std::string& org_unit, bool require_filing);
  absl::StatusOr<std::optional<Cohort>> LoadOne(const std::string& uscc);

  // ---- pipelines
  absl::StatusOr<std::optional<PipelineRecord>> GetPipeline(const std::string& uscc, const std::string& program);
  absl::StatusOr<std::vector<PipelineRecord>> ListPipelines(const std::string& uscc, const std::string& program,
                                                            Stage stage, const std::string& org_unit, int offset,
                                                            int limit);
  absl::StatusOr<std::vector<PipelineEventRecord>> ListEvents(const std::string& uscc, const std::string& program,
                                                              int offset, int limit);
  // Checks the state machine inside the transaction.
  absl::StatusOr<PipelineRecord> Transition(const std::string& uscc, const std::string& program,
                                            const TransitionSpec& spec, std::optional<int64_t> expected_version);
  // 遴选 for many enterprises at once: those with no pipeline, or EXPIRED/WITHDRAWN, go to SCREENED.
  // Returns how many moved.
  absl::StatusOr<int> ScreenMany(const std::vector<std::string>& usccs, const std::string& program,
                                 const TransitionSpec& spec);

  // Stage of every (enterprise, program) at the end of `date` (by effective date), active enterprises only.
  struct StageAt {
    std::string uscc;
    std::string program;
    Stage stage;
    std::string valid_until;
    std::string org_unit;
    int year;
  };
  absl::StatusOr<std::vector<StageAt>> StagesAt(const std::string& date, const std::string& org_unit);
  // Active enterprises whose filings report a 高企 certificate issue date, with the latest such date up to
  // `year`, and whether the filing of `year` says listed.
  struct CertAndListing {
    std::string uscc;
    std::string org_unit;
    std::vector<std::string> hte_issue_dates;
    bool listed = false;
  };
  absl::StatusOr<std::vector<CertAndListing>> CertificatesAndListings(int year, const std::string& org_unit);

  // ---- rule editions added through the API
  absl::Status AddRuleEdition(const std::string& program, const std::string& edition, const std::string& json,
                              const std::string& actor);
  absl::StatusOr<std::vector<std::string>> ListRuleEditionJson();

 private:
  explicit CultivationStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::StatusOr<std::optional<EnterpriseRecord>> GetEnterpriseLocked(const std::string& uscc);
  absl::StatusOr<std::optional<FilingRecord>> GetFilingLocked(const std::string& uscc, int year);
  absl::StatusOr<std::optional<PipelineRecord>> GetPipelineLocked(const std::string& uscc, const std::string& program);
  absl::Status WriteTransitionLocked(const std::string& uscc, const std::string& program, Stage from,
                                     const TransitionSpec& spec, int64_t next_version);
  std::unique_ptr<SqliteDb> db_;
};

int64_t NowMicros();

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_
