// "六有" 特色评价: a district officer scores a carrier against a rubric version, item by item with evidence;
// later assessments of the same year supersede earlier ones (both are kept).
#ifndef STIP_SERVICES_EVALUATION_DOMAIN_ASSESSMENT_DESK_H_
#define STIP_SERVICES_EVALUATION_DOMAIN_ASSESSMENT_DESK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "services/evaluation/domain/carrier_registry.h"
#include "services/evaluation/domain/document_library.h"
#include "services/evaluation/domain/evaluation_records.h"

namespace stip::evaluation {

struct AssessmentInput {
  int year = 0;
  std::string rubric;      // empty = liuyou
  int rubric_version = 0;  // 0 = the default version for the year
  std::vector<ItemScore> items;
  std::string assessor;  // empty = the caller
  std::string comment;
};

class AssessmentDesk {
 public:
  AssessmentDesk(EvaluationStore* store, const CarrierRegistry* carriers, const DocumentLibrary* documents,
                 ChangeNotifier* notifier)
      : store_(store), carriers_(carriers), documents_(documents), notifier_(notifier) {}

  absl::StatusOr<AssessmentRecord> Assess(const Caller& caller, absl::string_view carrier_name,
                                          const AssessmentInput& input);
  absl::StatusOr<AssessmentRecord> Get(const Caller& caller, absl::string_view carrier_id, int64_t number) const;
  // Newest first, each marked superseded when a later one of its year exists.
  absl::StatusOr<std::vector<AssessmentRecord>> List(const Caller& caller, absl::string_view carrier_name,
                                                     int year) const;

 private:
  absl::StatusOr<Rubric> RubricFor(const AssessmentInput& input) const;

  EvaluationStore* store_;
  const CarrierRegistry* carriers_;
  const DocumentLibrary* documents_;
  ChangeNotifier* notifier_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_DOMAIN_ASSESSMENT_DESK_H_
