// Durable state of the cultivation service: enterprises, filings, pipelines with their event history, and rule
// editions added through the API. The records and the abstract store; no storage engine in the signatures.
#ifndef STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_
#define STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/cultivation/domain/enterprise_metrics.h"
#include "services/cultivation/domain/filing.h"
#include "services/cultivation/domain/pipeline.h"
#include "services/cultivation/domain/status_history.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {

struct EnterpriseRecord {
  std::string uscc;
  std::string name;
  std::string registration_date;
  std::string org_unit;
  std::string industry;
  std::string tech_field;
  EnterpriseStatus status = EnterpriseStatus::kActive;
  EnterpriseFactFlags facts;
  int64_t version = 0;
  int64_t create_micros = 0;
  int64_t update_micros = 0;
  bool SameData(const EnterpriseRecord& other) const;
  // The CSV column keys (csv.h) whose values differ from `other`'s.
  std::vector<std::string> ChangedColumns(const EnterpriseRecord& other) const;
};

struct FilingRecord {
  std::string uscc;
  int year = 0;
  FilingData data;
  int64_t version = 0;
  int64_t update_micros = 0;
  std::vector<std::string> ChangedColumns(const FilingRecord& other) const;  // filing field keys
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

// One year's evaluation of an enterprise for a tier (瞪羚, 领军培育, 领军): passed on entering the pool, or the
// result of the annual 复评. Kept per year so that "首次通过评价" can be answered (criteria.md §2).
enum class TierOutcome { kUnspecified = 0, kPassed = 1, kReviewPassed = 2, kReviewFailed = 3 };
struct TierEvaluationRecord {
  std::string uscc;
  std::string program;
  int year = 0;  // the application year
  TierOutcome outcome = TierOutcome::kUnspecified;
  std::string edition;
  std::string reason;
  std::string actor;
  int64_t time_micros = 0;
};

// What CreateEnterprise does once the domain has looked at what the store found (DecideCreate, AIP-155).
enum class CreatePlan {
  kReturnRemembered,  // the request id was used before: answer as that first create did
  kRememberExisting,  // the same data is already registered: remember the id, answer with the enterprise
  kInsert,            // register it (and remember the id)
};
// Decides a create from the record first created under the request id and the enterprise under the USCC.
using CreateDecider = std::function<absl::StatusOr<CreatePlan>(const std::optional<EnterpriseRecord>& remembered,
                                                               const std::optional<EnterpriseRecord>& existing)>;
// Whether a change of status may be recorded, given the enterprise before and its status history.
using StatusChangeCheck =
    std::function<absl::Status(const EnterpriseRecord& before, const std::vector<StatusChange>& history)>;
// Whether a pipeline may move, given its current state (nullopt = none yet).
using TransitionCheck = std::function<absl::Status(const std::optional<PipelineRecord>& current)>;

enum class WriteOutcome { kCreated, kUpdated, kUnchanged, kRejected };

struct RowWrite {
  WriteOutcome outcome = WriteOutcome::kRejected;
  std::string column;  // on rejection
  std::string reason;
  std::vector<std::string> changed;  // on update: the CSV column keys whose values change

  static RowWrite Rejected(std::string column, std::string reason) {
    return RowWrite{WriteOutcome::kRejected, std::move(column), std::move(reason), {}};
  }
};

// One enterprise with what evaluation needs (screening, alerts, the bench).
struct Cohort {
  EnterpriseRecord enterprise;
  EnterpriseFacts facts;
  std::vector<PipelineRecord> pipelines;
};

// What the service, the engine and the CSV import need from durable storage. The embedded implementation is
// SqliteCultivationStore (sqlite_cultivation_store.h); a PostgreSQL one can sit beside it without touching the
// domain code. Every write is one transaction; implementations are safe to call from several threads.
class CultivationStore {
 public:
  virtual ~CultivationStore() = default;

  // ---- enterprises
  virtual absl::StatusOr<std::optional<EnterpriseRecord>> GetEnterprise(const std::string& uscc) = 0;
  virtual absl::StatusOr<std::vector<EnterpriseRecord>> ListEnterprises(const std::string& org_unit,
                                                                        EnterpriseStatus status, int offset, int limit,
                                                                        int* total) = 0;
  // Registers an enterprise as `decide` says, in one transaction that also remembers `request_id` (when set)
  // with the response. The policy (AIP-155) is the domain's; the store only finds, inserts and remembers.
  virtual absl::StatusOr<EnterpriseRecord> CreateEnterprise(EnterpriseRecord record, const std::string& request_id,
                                                            const std::string& actor, const CreateDecider& decide) = 0;
  // ABORTED when `expected_version` is set and differs; NOT_FOUND when missing. A change of status is recorded
  // in the status history as effective on `status_effective_date` (YYYY-MM-DD) after `check` accepted it
  // against the history, inside the transaction.
  virtual absl::StatusOr<EnterpriseRecord> UpdateEnterprise(EnterpriseRecord record,
                                                            std::optional<int64_t> expected_version,
                                                            const std::string& status_effective_date,
                                                            const std::string& actor,
                                                            const StatusChangeCheck& check) = 0;
  // Every enterprise's status history (optionally of one org unit), in recording order. Creating an
  // enterprise records its status from its registration date; a CSV import that changes a status records it
  // from the import date.
  virtual absl::StatusOr<std::map<std::string, std::vector<StatusChange>>> StatusHistories(
      const std::string& org_unit) = 0;

  // ---- filings
  virtual absl::StatusOr<std::optional<FilingRecord>> GetFiling(const std::string& uscc, int year) = 0;
  virtual absl::StatusOr<std::vector<FilingRecord>> ListFilings(const std::string& uscc) = 0;
  // mode: create (ALREADY_EXISTS if present), update (NOT_FOUND if absent), upsert.
  enum class PutMode { kCreate, kUpdate, kUpsert };
  virtual absl::StatusOr<std::pair<FilingRecord, WriteOutcome>> PutFiling(const std::string& uscc, int year,
                                                                          const FilingData& data, PutMode mode,
                                                                          std::optional<int64_t> expected_version) = 0;

  // ---- dated records (awards, certificates, …): `record.id` is assigned; NOT_FOUND when deleting a record
  // the enterprise does not have.
  virtual absl::StatusOr<DatedRecord> AddRecord(const DatedRecord& record) = 0;
  virtual absl::StatusOr<std::vector<DatedRecord>> ListRecords(const std::string& uscc) = 0;
  virtual absl::Status DeleteRecord(const std::string& uscc, const std::string& id) = 0;

  // ---- per-year tier evaluations: per (enterprise, programme, year) one entry pass and one 复评; a new one
  // replaces the year's of its kind.
  virtual absl::Status PutTierEvaluation(const TierEvaluationRecord& record) = 0;
  virtual absl::StatusOr<std::vector<TierEvaluationRecord>> ListTierEvaluations(const std::string& uscc) = 0;

  // ---- CSV import: one transaction per batch; rows outside `scope_org_unit` (when set) are rejected. A dry run
  // decides every row exactly as the import would (created, updated with its changed columns, unchanged,
  // rejected) and rolls the transaction back.
  virtual absl::StatusOr<std::vector<RowWrite>> ImportEnterprises(const std::vector<EnterpriseRecord>& rows,
                                                                  const std::string& scope_org_unit, bool dry_run) = 0;
  virtual absl::StatusOr<std::vector<RowWrite>> ImportFilings(const std::vector<FilingRecord>& rows,
                                                              const std::string& scope_org_unit, bool dry_run) = 0;
  // A record identical to one the enterprise has is unchanged (importing a file twice adds nothing).
  virtual absl::StatusOr<std::vector<RowWrite>> ImportRecords(const std::vector<DatedRecord>& rows,
                                                              const std::string& scope_org_unit, bool dry_run) = 0;
  // Streams every enterprise (or filing) in key order to `sink`.
  virtual absl::Status ForEachEnterprise(const std::string& org_unit,
                                         const std::function<void(const EnterpriseRecord&)>& sink) = 0;
  virtual absl::Status ForEachFiling(const std::string& org_unit, int year,
                                     const std::function<void(const FilingRecord&)>& sink) = 0;
  virtual absl::Status ForEachRecord(const std::string& org_unit,
                                     const std::function<void(const DatedRecord&)>& sink) = 0;

  // ---- evaluation input: active enterprises (optionally of one org unit) with a filing for `year` (or all
  // active enterprises when `require_filing` is false), with filings of year-3..year, records and pipelines.
  virtual absl::StatusOr<std::vector<Cohort>> LoadCohort(int year, const std::string& org_unit,
                                                         bool require_filing) = 0;
  virtual absl::StatusOr<std::optional<Cohort>> LoadOne(const std::string& uscc) = 0;

  // ---- pipelines
  virtual absl::StatusOr<std::optional<PipelineRecord>> GetPipeline(const std::string& uscc,
                                                                    const std::string& program) = 0;
  virtual absl::StatusOr<std::vector<PipelineRecord>> ListPipelines(const std::string& uscc, const std::string& program,
                                                                    Stage stage, const std::string& org_unit,
                                                                    int offset, int limit) = 0;
  virtual absl::StatusOr<std::vector<PipelineEventRecord>> ListEvents(const std::string& uscc,
                                                                      const std::string& program, int offset,
                                                                      int limit) = 0;
  // Moves the pipeline after `check` accepted the move against the current state, inside the transaction.
  virtual absl::StatusOr<PipelineRecord> Transition(const std::string& uscc, const std::string& program,
                                                    const TransitionSpec& spec, std::optional<int64_t> expected_version,
                                                    const TransitionCheck& check) = 0;
  // 遴选 for many enterprises at once: those with no pipeline, or EXPIRED/WITHDRAWN, go to SCREENED.
  // Returns how many moved.
  virtual absl::StatusOr<int> ScreenMany(const std::vector<std::string>& usccs, const std::string& program,
                                         const TransitionSpec& spec) = 0;

  // Stage of every (enterprise, program) at the end of `date` (by effective date), whatever the enterprise's
  // status (the engine applies the status history: StatusOn / ActiveAtYearEnd).
  struct StageAt {
    std::string uscc;
    std::string program;
    Stage stage;
    std::string valid_until;
    std::string org_unit;
    int year;
    EnterpriseStatus status;  // current status (fallback when there is no history)
  };
  virtual absl::StatusOr<std::vector<StageAt>> StagesAt(const std::string& date, const std::string& org_unit) = 0;
  // Enterprises (whatever their status) whose filings up to `year` report a 高企 certificate issue date, with
  // those dates, and whether the filing of `year` says listed.
  struct CertAndListing {
    std::string uscc;
    std::string org_unit;
    std::vector<std::string> hte_issue_dates;
    bool listed = false;
    EnterpriseStatus status = EnterpriseStatus::kActive;  // current status (fallback when there is no history)
  };
  virtual absl::StatusOr<std::vector<CertAndListing>> CertificatesAndListings(int year,
                                                                              const std::string& org_unit) = 0;

  // ---- rule editions added through the API
  virtual absl::Status AddRuleEdition(const std::string& program, const std::string& edition, const std::string& json,
                                      const std::string& actor) = 0;
  virtual absl::StatusOr<std::vector<std::string>> ListRuleEditionJson() = 0;
};

int64_t NowMicros();

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_CULTIVATION_STORE_H_
