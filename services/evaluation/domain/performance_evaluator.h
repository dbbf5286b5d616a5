// 年度绩效评价: grades a carrier's year from its annual report and the experts' scores under the performance
// scheme for its kind, flags the loss of national status (动态管理), and counts carriers for indicators 8 and 9.
#ifndef STIP_SERVICES_EVALUATION_DOMAIN_PERFORMANCE_EVALUATOR_H_
#define STIP_SERVICES_EVALUATION_DOMAIN_PERFORMANCE_EVALUATOR_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "services/evaluation/domain/carrier_registry.h"
#include "services/evaluation/domain/document_library.h"
#include "services/evaluation/domain/evaluation_records.h"
#include "services/evaluation/domain/statistics.h"

namespace stip::evaluation {

struct PerformanceRequest {
  int year = 0;
  std::map<std::string, double> expert_scores;  // indicator id → 0–100
  std::string scheme;                           // empty = by the carrier's kind
  int scheme_version = 0;                       // 0 = latest
  std::string etag;                             // of the stored evaluation when replacing one
};

class PerformanceEvaluator {
 public:
  PerformanceEvaluator(EvaluationStore* store, const CarrierRegistry* carriers, const DocumentLibrary* documents,
                       ChangeNotifier* notifier)
      : store_(store), carriers_(carriers), documents_(documents), notifier_(notifier) {}

  absl::StatusOr<PerformanceRecord> Evaluate(const Caller& caller, absl::string_view carrier_name,
                                             const PerformanceRequest& request);
  absl::StatusOr<PerformanceRecord> Get(const Caller& caller, absl::string_view carrier_id, int year) const;
  absl::StatusOr<std::vector<PerformanceRecord>> List(const Caller& caller, absl::string_view carrier_name) const;
  // Indicators 8 and 9 and the carrier counts of `year` (university parks granted since `since_year`, 0 = the
  // plan's first year).
  absl::StatusOr<CarrierStats> Statistics(int year, int since_year) const;

 private:
  absl::StatusOr<PerformanceScheme> SchemeFor(const Carrier& carrier, const PerformanceRequest& request) const;
  absl::StatusOr<bool> LosesNational(const Carrier& carrier, const PerformanceScheme& scheme, int year,
                                     Grade grade) const;

  EvaluationStore* store_;
  const CarrierRegistry* carriers_;
  const DocumentLibrary* documents_;
  ChangeNotifier* notifier_;
};

// The note an officer reads beside a national carrier's grade: the loss of status, or the warning before it.
std::string NationalStatusNote(const PerformanceScheme& scheme, bool national, bool loses, Grade grade);

// Where indicators 8 and 9 come from, in the officer's words.
std::string StatisticsSource(const CarrierStats& stats);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_DOMAIN_PERFORMANCE_EVALUATOR_H_
