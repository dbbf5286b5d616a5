// Where carriers, reports, versioned documents (rubrics, performance schemes), assessments and performance
// evaluations are kept; SQLite now, PostgreSQL later, same interface.
#ifndef STIP_SERVICES_EVALUATION_EVALUATION_STORE_H_
#define STIP_SERVICES_EVALUATION_EVALUATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/evaluation/domain/annual_report.h"
#include "services/evaluation/domain/carrier.h"
#include "services/evaluation/domain/evaluation_records.h"

namespace stip::evaluation {

// A versioned document: a rubric version ("rubric") or a performance scheme version ("performance").
struct StoredDocument {
  std::string kind;
  std::string id;
  int version = 0;
  std::string json;
  std::string origin;  // file:<name> or api
  std::string creator;
  absl::Time create_time = absl::UnixEpoch();
};

class EvaluationStore {
 public:
  virtual ~EvaluationStore() = default;
  // Inserts seed carriers that are not stored yet (edits made through the API are kept).
  virtual absl::Status SeedCarriers(const std::vector<Carrier>& carriers) = 0;
  virtual absl::StatusOr<std::optional<Carrier>> FindCarrier(absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<Carrier>> ListCarriers() = 0;
  // Inserts (ALREADY_EXISTS when taken) or updates when the stored version equals carrier.version (else ABORTED).
  virtual absl::StatusOr<Carrier> SaveCarrier(const Carrier& carrier, bool insert) = 0;

  virtual absl::StatusOr<std::optional<AnnualReport>> FindReport(absl::string_view carrier_id, int year) = 0;
  virtual absl::StatusOr<std::vector<AnnualReport>> ListReports(absl::string_view carrier_id) = 0;
  virtual absl::StatusOr<AnnualReport> SaveReport(const AnnualReport& report, bool insert) = 0;

  // Adds a document when (kind, id, version) is free; ALREADY_EXISTS otherwise.
  virtual absl::Status AddDocument(const StoredDocument& document) = 0;
  virtual absl::StatusOr<std::vector<StoredDocument>> ListDocuments(absl::string_view kind, absl::string_view id) = 0;
  virtual absl::StatusOr<std::vector<StoredDocument>> ListAllDocuments(absl::string_view kind) = 0;

  // Adds an assessment and returns it with its number.
  virtual absl::StatusOr<AssessmentRecord> AddAssessment(const AssessmentRecord& record) = 0;
  // A carrier's assessments (of `year`, or all when 0), newest first.
  virtual absl::StatusOr<std::vector<AssessmentRecord>> ListAssessments(absl::string_view carrier_id, int year) = 0;

  virtual absl::StatusOr<std::optional<PerformanceRecord>> FindPerformance(absl::string_view carrier_id, int year) = 0;
  // A carrier's evaluations, newest year first.
  virtual absl::StatusOr<std::vector<PerformanceRecord>> ListPerformance(absl::string_view carrier_id) = 0;
  // Every carrier's performance record of `year`.
  virtual absl::StatusOr<std::vector<PerformanceRecord>> ListPerformanceOfYear(int year) = 0;
  // Inserts or replaces when the stored version equals record.version (0 = none stored), else ABORTED; returns
  // the record with its new version and time.
  virtual absl::StatusOr<PerformanceRecord> SavePerformance(const PerformanceRecord& record) = 0;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_EVALUATION_STORE_H_
