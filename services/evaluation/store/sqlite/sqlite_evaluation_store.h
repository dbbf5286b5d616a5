// EvaluationStore on an embedded SQLite file (WAL, foreign keys, numbered migrations).
#ifndef STIP_SERVICES_EVALUATION_SQLITE_EVALUATION_STORE_H_
#define STIP_SERVICES_EVALUATION_SQLITE_EVALUATION_STORE_H_

#include <memory>
#include <string>

#include "common/sqlite_db.h"
#include "services/evaluation/store/evaluation_store.h"

namespace stip::evaluation {

class SqliteEvaluationStore : public EvaluationStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteEvaluationStore>> Open(const std::string& path);

  absl::Status SeedCarriers(const std::vector<Carrier>& carriers) override;
  absl::StatusOr<std::optional<Carrier>> FindCarrier(absl::string_view id) override;
  absl::StatusOr<std::vector<Carrier>> ListCarriers() override;
  absl::StatusOr<Carrier> SaveCarrier(const Carrier& carrier, bool insert) override;
  absl::StatusOr<std::optional<AnnualReport>> FindReport(absl::string_view carrier_id, int year) override;
  absl::StatusOr<std::vector<AnnualReport>> ListReports(absl::string_view carrier_id) override;
  absl::StatusOr<AnnualReport> SaveReport(const AnnualReport& report, bool insert) override;
  absl::Status AddDocument(const StoredDocument& document) override;
  absl::StatusOr<std::vector<StoredDocument>> ListDocuments(absl::string_view kind, absl::string_view id) override;
  absl::StatusOr<std::vector<StoredDocument>> ListAllDocuments(absl::string_view kind) override;
  absl::StatusOr<AssessmentRecord> AddAssessment(const AssessmentRecord& record) override;
  absl::StatusOr<std::vector<AssessmentRecord>> ListAssessments(absl::string_view carrier_id, int year) override;
  absl::StatusOr<std::optional<PerformanceRecord>> FindPerformance(absl::string_view carrier_id, int year) override;
  absl::StatusOr<std::vector<PerformanceRecord>> ListPerformance(absl::string_view carrier_id) override;
  absl::StatusOr<std::vector<PerformanceRecord>> ListPerformanceOfYear(int year) override;
  absl::StatusOr<PerformanceRecord> SavePerformance(const PerformanceRecord& record) override;

 private:
  explicit SqliteEvaluationStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  absl::StatusOr<std::optional<Carrier>> FindCarrierLocked(absl::string_view id);
  absl::StatusOr<std::vector<PerformanceRecord>> QueryPerformance(absl::string_view where, absl::string_view key,
                                                                  int year);
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_SQLITE_EVALUATION_STORE_H_
