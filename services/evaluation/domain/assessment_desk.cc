#include "services/evaluation/domain/assessment_desk.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/evaluation/domain/access_policy.h"

namespace stip::evaluation {
namespace {

// All of a carrier's assessments are read even for one year, since "superseded" depends on the later ones.
void MarkSuperseded(std::vector<AssessmentRecord>& newest_first) {
  std::set<int> years_seen;
  for (AssessmentRecord& r : newest_first) r.superseded = !years_seen.insert(r.year).second;
}

AssessmentRecord RecordOf(const Rubric& rubric, const AssessmentInput& input, const AssessmentResult& result) {
  AssessmentRecord record;
  record.year = input.year;
  record.rubric = rubric.rubric;
  record.rubric_version = rubric.version;
  for (size_t i = 0; i < result.items.size(); ++i) {
    record.items.push_back({result.items[i], rubric.items[i].title, rubric.items[i].max_score});
  }
  record.comment = input.comment;
  record.total = result.total;
  record.max_total = result.max_total;
  record.passed = result.passed;
  record.result = result.result;
  record.items_met = result.items_met;
  record.provisional = rubric.provisional;
  return record;
}

}  // namespace

absl::StatusOr<Rubric> AssessmentDesk::RubricFor(const AssessmentInput& input) const {
  std::string rubric_id = input.rubric.empty() ? std::string(kLiuyou) : input.rubric;
  STIP_ASSIGN_OR_RETURN(std::vector<RubricVersion> versions, documents_->RubricVersions(rubric_id));
  std::vector<Rubric> rubrics;
  rubrics.reserve(versions.size());
  for (RubricVersion& v : versions) rubrics.push_back(std::move(v.rubric));
  const Rubric* rubric = nullptr;
  if (input.rubric_version != 0) {
    for (const Rubric& r : rubrics) {
      if (r.version == input.rubric_version) rubric = &r;
    }
  } else {
    rubric = DefaultRubric(rubrics, input.year);
  }
  if (rubric == nullptr) {
    return InvalidField("assessment.rubric_version",
                        absl::StrCat("没有评价标准 ", rubric_id, " 第", input.rubric_version, "版"));
  }
  return *rubric;
}

absl::StatusOr<AssessmentRecord> AssessmentDesk::Assess(const Caller& caller, absl::string_view carrier_name,
                                                        const AssessmentInput& input) {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanManage(caller));
  STIP_ASSIGN_OR_RETURN(Carrier carrier, carriers_->Readable(caller, carrier_name, "parent"));
  STIP_RETURN_IF_ERROR(carriers_->years().Check(input.year, "assessment.year"));
  STIP_ASSIGN_OR_RETURN(Rubric rubric, RubricFor(input));
  std::vector<Violation> violations;
  absl::StatusOr<AssessmentResult> result = ScoreAssessment(rubric, input.items, &violations);
  if (!result.ok()) return ViolationsStatus(violations);
  AssessmentRecord record = RecordOf(rubric, input, *result);
  record.carrier_id = carrier.id;
  record.assessor = input.assessor.empty() ? caller.subject : input.assessor;
  record.recorded_by = caller.subject;
  record.create_time = absl::Now();
  STIP_ASSIGN_OR_RETURN(AssessmentRecord saved, store_->AddAssessment(record));
  if (notifier_ != nullptr) notifier_->Publish("evaluation");
  return saved;
}

absl::StatusOr<AssessmentRecord> AssessmentDesk::Get(const Caller& caller, absl::string_view carrier_id,
                                                     int64_t number) const {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanRead(caller, carrier_id));
  STIP_ASSIGN_OR_RETURN(std::vector<AssessmentRecord> all, store_->ListAssessments(carrier_id, 0));
  MarkSuperseded(all);
  for (AssessmentRecord& r : all) {
    if (r.id == number) return std::move(r);
  }
  return NotFound("考核记录 assessment", absl::StrCat("carriers/", carrier_id, "/assessments/", number));
}

absl::StatusOr<std::vector<AssessmentRecord>> AssessmentDesk::List(const Caller& caller, absl::string_view carrier_name,
                                                                   int year) const {
  STIP_ASSIGN_OR_RETURN(Carrier carrier, carriers_->Readable(caller, carrier_name, "parent"));
  STIP_ASSIGN_OR_RETURN(std::vector<AssessmentRecord> all, store_->ListAssessments(carrier.id, year));
  MarkSuperseded(all);
  return all;
}

}  // namespace stip::evaluation
