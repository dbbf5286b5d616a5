// CultivationStore on an embedded SQLite file (<data_dir>/cultivation.db): WAL, foreign keys, numbered
// migrations. Every write is one transaction; a committed write survives a crash (WAL, synchronous=FULL).
#ifndef STIP_SERVICES_CULTIVATION_SQLITE_CULTIVATION_STORE_H_
#define STIP_SERVICES_CULTIVATION_SQLITE_CULTIVATION_STORE_H_

#include <memory>
#include <string>

#include "common/sqlite_db.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

class SqliteCultivationStore : public CultivationStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteCultivationStore>> Open(const std::string& path);

  absl::StatusOr<std::optional<EnterpriseRecord>> GetEnterprise(const std::string& uscc) override;
  absl::StatusOr<std::vector<EnterpriseRecord>> ListEnterprises(const std::string& org_unit, EnterpriseStatus status,
                                                                int offset, int limit, int* total) override;
  absl::StatusOr<EnterpriseRecord> CreateEnterprise(EnterpriseRecord record, const std::string& request_id,
                                                    const std::string& actor, const CreateDecider& decide) override;
  absl::StatusOr<EnterpriseRecord> UpdateEnterprise(EnterpriseRecord record, std::optional<int64_t> expected_version,
                                                    const std::string& status_effective_date, const std::string& actor,
                                                    const StatusChangeCheck& check) override;
  absl::StatusOr<std::map<std::string, std::vector<StatusChange>>> StatusHistories(
      const std::string& org_unit) override;

  absl::StatusOr<DatedRecord> AddRecord(const DatedRecord& record) override;
  absl::StatusOr<std::vector<DatedRecord>> ListRecords(const std::string& uscc) override;
  absl::Status DeleteRecord(const std::string& uscc, const std::string& id) override;
  absl::Status PutTierEvaluation(const TierEvaluationRecord& record) override;
  absl::StatusOr<std::vector<TierEvaluationRecord>> ListTierEvaluations(const std::string& uscc) override;
  absl::StatusOr<std::vector<RowWrite>> ImportRecords(const std::vector<DatedRecord>& rows,
                                                      const std::string& scope_org_unit, bool dry_run) override;
  absl::Status ForEachRecord(const std::string& org_unit, const std::function<void(const DatedRecord&)>& sink) override;

  absl::StatusOr<std::optional<FilingRecord>> GetFiling(const std::string& uscc, int year) override;
  absl::StatusOr<std::vector<FilingRecord>> ListFilings(const std::string& uscc) override;
  absl::StatusOr<std::pair<FilingRecord, WriteOutcome>> PutFiling(const std::string& uscc, int year,
                                                                  const FilingData& data, PutMode mode,
                                                                  std::optional<int64_t> expected_version) override;

  absl::StatusOr<std::vector<RowWrite>> ImportEnterprises(const std::vector<EnterpriseRecord>& rows,
                                                          const std::string& scope_org_unit, bool dry_run) override;
  absl::StatusOr<std::vector<RowWrite>> ImportFilings(const std::vector<FilingRecord>& rows,
                                                      const std::string& scope_org_unit, bool dry_run) override;
  absl::Status ForEachEnterprise(const std::string& org_unit,
                                 const std::function<void(const EnterpriseRecord&)>& sink) override;
  absl::Status ForEachFiling(const std::string& org_unit, int year,
                             const std::function<void(const FilingRecord&)>& sink) override;

  absl::StatusOr<std::vector<Cohort>> LoadCohort(int year, const std::string& org_unit, bool require_filing) override;
  absl::StatusOr<std::optional<Cohort>> LoadOne(const std::string& uscc) override;

  absl::StatusOr<std::optional<PipelineRecord>> GetPipeline(const std::string& uscc,
                                                            const std::string& program) override;
  absl::StatusOr<std::vector<PipelineRecord>> ListPipelines(const std::string& uscc, const std::string& program,
                                                            Stage stage, const std::string& org_unit, int offset,
                                                            int limit) override;
  absl::StatusOr<std::vector<PipelineEventRecord>> ListEvents(const std::string& uscc, const std::string& program,
                                                              int offset, int limit) override;
  absl::StatusOr<PipelineRecord> Transition(const std::string& uscc, const std::string& program,
                                            const TransitionSpec& spec, std::optional<int64_t> expected_version,
                                            const TransitionCheck& check) override;
  absl::StatusOr<int> ScreenMany(const std::vector<std::string>& usccs, const std::string& program,
                                 const TransitionSpec& spec) override;

  absl::StatusOr<std::vector<StageAt>> StagesAt(const std::string& date, const std::string& org_unit) override;
  absl::StatusOr<std::vector<CertAndListing>> CertificatesAndListings(int year, const std::string& org_unit) override;

  absl::Status AddRuleEdition(const std::string& program, const std::string& edition, const std::string& json,
                              const std::string& actor) override;
  absl::StatusOr<std::vector<std::string>> ListRuleEditionJson() override;

 private:
  explicit SqliteCultivationStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::StatusOr<std::optional<EnterpriseRecord>> RememberedCreateLocked(const std::string& request_id);
  absl::Status RememberCreateLocked(const std::string& request_id, const std::string& actor,
                                    const EnterpriseRecord& response);
  absl::StatusOr<std::optional<EnterpriseRecord>> GetEnterpriseLocked(const std::string& uscc);
  absl::StatusOr<std::optional<FilingRecord>> GetFilingLocked(const std::string& uscc, int year);
  absl::StatusOr<std::vector<DatedRecord>> ListRecordsLocked(const std::string& uscc);
  // Why a CSV row about `uscc` cannot be written under `scope_org_unit` (unknown enterprise, another unit's), or
  // nullopt when it can; `what` names the rows (年报, 记录).
  absl::StatusOr<std::optional<RowWrite>> ImportRefusalLocked(const std::string& uscc,
                                                              const std::string& scope_org_unit,
                                                              absl::string_view what);
  absl::StatusOr<std::optional<PipelineRecord>> GetPipelineLocked(const std::string& uscc, const std::string& program);
  absl::Status WriteTransitionLocked(const std::string& uscc, const std::string& program, Stage from,
                                     const TransitionSpec& spec, int64_t next_version);
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_SQLITE_CULTIVATION_STORE_H_
