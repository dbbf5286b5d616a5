// 年度复评: the annual re-evaluation an administrator runs for the 瞪羚, 领军培育 and 领军 pools (revenue grew
// over the year before, criteria.md §2 G-R and §3), and the per-year evaluation records that answer
// "首次通过评价" (first passed since the pools began). A failed 复评 is recorded, not acted on: whether it
// removes the enterprise from the pool is [MISSING] in the policy texts.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_TIER_REVIEW_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_TIER_REVIEW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "common/rules/edition_registry.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

// The programmes with an annual 复评.
bool HasAnnualReview(absl::string_view program);

struct TierEvaluationView {
  TierEvaluationRecord record;
  bool first_pass = false;  // passed, and no earlier year of this programme passed
};

struct ReviewSummary {
  std::string edition;  // tier_review/<edition>
  int reviewed = 0;
  int passed = 0;
  int failed = 0;
  int missing_data = 0;                         // not recorded: the figures are missing
  std::vector<TierEvaluationView> evaluations;  // written (or, on a dry run, that would be)
};

class TierReview {
 public:
  TierReview(CultivationStore* store, const rules::EditionRegistry* editions, const EnterpriseRegistry* registry,
             ChangeNotifier* notifier)
      : store_(store), editions_(editions), registry_(registry), notifier_(notifier) {}

  // Reviews every enterprise in the programme's tier (入库/培育/认定) of `org_unit` for application year `year`.
  absl::StatusOr<ReviewSummary> Run(const Caller& caller, const std::string& program, int year,
                                    const std::string& org_unit, bool dry_run) const;
  // An enterprise's evaluations, oldest first, with first_pass worked out per programme.
  absl::StatusOr<std::vector<TierEvaluationView>> List(const Caller& caller, const std::string& uscc) const;

 private:
  CultivationStore* store_;
  const rules::EditionRegistry* editions_;
  const EnterpriseRegistry* registry_;
  ChangeNotifier* notifier_;
};

// first_pass for each evaluation (records of one enterprise, any order).
std::vector<TierEvaluationView> WithFirstPass(std::vector<TierEvaluationRecord> records);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_TIER_REVIEW_H_
