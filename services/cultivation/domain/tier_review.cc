#include "services/cultivation/domain/tier_review.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/enterprise_metrics.h"

namespace stip::cultivation {
namespace {

bool Passed(TierOutcome outcome) {
  return outcome == TierOutcome::kPassed || outcome == TierOutcome::kReviewPassed;
}

std::string FailingIds(const rules::Evaluation& evaluation) {
  std::vector<std::string> ids;
  for (const rules::CriterionResult& r : evaluation.results) {
    if (r.depth == 0 && r.outcome == rules::Outcome::kFail) ids.push_back(r.id);
  }
  return absl::StrJoin(ids, "、");
}

}  // namespace

bool HasAnnualReview(absl::string_view program) {
  return program == kDengling || program == kLingjunPeiyu || program == kLingjun;
}

std::vector<TierEvaluationView> WithFirstPass(std::vector<TierEvaluationRecord> records) {
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return std::tie(a.program, a.year) < std::tie(b.program, b.year); });
  std::vector<TierEvaluationView> views;
  std::string passed_program;  // the programme whose first pass has been seen
  for (TierEvaluationRecord& r : records) {
    bool first = Passed(r.outcome) && passed_program != r.program;
    if (Passed(r.outcome)) passed_program = r.program;
    views.push_back({std::move(r), first});
  }
  return views;
}

absl::StatusOr<ReviewSummary> TierReview::Run(const Caller& caller, const std::string& program, int year,
                                              const std::string& org_unit, bool dry_run) const {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanMoveTo(caller, Stage::kPooled));  // a bureau decision
  if (!HasAnnualReview(program)) return InvalidField("program", "只有瞪羚、领军培育、领军企业有年度复评");
  STIP_ASSIGN_OR_RETURN(std::string scoped, CultivationAccess::ScopedOrgUnit(caller, org_unit));
  absl::CivilDay as_of = DefaultAsOf(year);
  STIP_ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleEdition> edition,
                        editions_->FindInForce("tier_review", "", FormatDate(as_of)));
  STIP_ASSIGN_OR_RETURN(std::vector<Cohort> cohort, store_->LoadCohort(year - 1, scoped, /*require_filing=*/false));
  ReviewSummary summary;
  summary.edition = rules::EditionKey(edition->program, edition->edition);
  for (const Cohort& c : cohort) {
    bool in_tier = std::any_of(c.pipelines.begin(), c.pipelines.end(),
                               [&](const PipelineRecord& p) { return p.program == program && InTier(p.stage); });
    if (!in_tier) continue;
    ++summary.reviewed;
    rules::Evaluation evaluation =
        rules::Evaluate(*edition, ComputeMetrics(c.facts, year - 1, as_of, 3), rules::Detail::kOutcomesOnly);
    if (evaluation.outcome != rules::Outcome::kPass && evaluation.outcome != rules::Outcome::kFail) {
      ++summary.missing_data;
      continue;
    }
    bool pass = evaluation.outcome == rules::Outcome::kPass;
    ++(pass ? summary.passed : summary.failed);
    TierEvaluationRecord record{c.enterprise.uscc,
                                program,
                                year,
                                pass ? TierOutcome::kReviewPassed : TierOutcome::kReviewFailed,
                                summary.edition,
                                pass ? "复评通过" : "复评未通过：" + FailingIds(evaluation),
                                caller.subject,
                                NowMicros()};
    if (!dry_run) STIP_RETURN_IF_ERROR(store_->PutTierEvaluation(record));
    STIP_ASSIGN_OR_RETURN(std::vector<TierEvaluationRecord> history, store_->ListTierEvaluations(record.uscc));
    if (dry_run) history.push_back(record);
    for (TierEvaluationView& view : WithFirstPass(std::move(history))) {
      if (view.record.program == program && view.record.year == year) summary.evaluations.push_back(view);
    }
  }
  if (!dry_run && summary.reviewed > 0 && notifier_ != nullptr) notifier_->Publish("cultivation");
  return summary;
}

absl::StatusOr<std::vector<TierEvaluationView>> TierReview::List(const Caller& caller, const std::string& uscc) const {
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  STIP_ASSIGN_OR_RETURN(std::vector<TierEvaluationRecord> records, store_->ListTierEvaluations(uscc));
  return WithFirstPass(std::move(records));
}

}  // namespace stip::cultivation
