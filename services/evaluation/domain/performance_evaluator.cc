#include "services/evaluation/domain/performance_evaluator.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/etag.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/evaluation/domain/access_policy.h"
#include "services/evaluation/domain/annual_report.h"

namespace stip::evaluation {

std::string NationalStatusNote(const PerformanceScheme& scheme, bool national, bool loses, Grade grade) {
  if (loses) {
    return absl::StrCat("国家级载体连续", scheme.loss_consecutive_years, "年评价为", GradeLetter(scheme.loss_grade),
                        "（", GradeName(scheme.loss_grade),
                        "），按动态管理规定应取消国家级资格（criteria.md §5.3）；请区科技局核实后登记撤销年份");
  }
  if (national && grade == scheme.loss_grade) {
    return absl::StrCat("国家级载体本年度评价为", GradeLetter(grade), "；连续", scheme.loss_consecutive_years,
                        "年不合格将取消国家级资格");
  }
  return "";
}

std::string StatisticsSource(const CarrierStats& stats) {
  return absl::StrCat("evaluation 载体库：东丽区大学科技园中", stats.since_year, "–", stats.year, "年获批市级 ",
                      stats.municipal_parks, " 家、获批国家级 ", stats.national_parks,
                      " 家（按载体登记的级别认定年份累计）");
}

// The first scheme that applies (by kind unless named), at the requested or its latest version.
absl::StatusOr<PerformanceScheme> PerformanceEvaluator::SchemeFor(const Carrier& carrier,
                                                                  const PerformanceRequest& request) const {
  STIP_ASSIGN_OR_RETURN(std::vector<PerformanceScheme> schemes, documents_->Schemes(request.scheme));
  const PerformanceScheme* scheme = nullptr;
  for (const PerformanceScheme& s : schemes) {
    if (request.scheme.empty() && std::find(s.kinds.begin(), s.kinds.end(), carrier.kind) == s.kinds.end()) continue;
    if (scheme != nullptr && s.scheme != scheme->scheme) continue;
    bool wanted = request.scheme_version != 0 ? s.version == request.scheme_version
                                              : (scheme == nullptr || s.version > scheme->version);
    if (wanted) scheme = &s;
  }
  if (scheme == nullptr) {
    return InvalidField(request.scheme.empty() ? "name" : "scheme",
                        absl::StrCat("没有适用于", KindName(carrier.kind), "的绩效评价方案 (no performance scheme)"));
  }
  return *scheme;
}

absl::StatusOr<bool> PerformanceEvaluator::LosesNational(const Carrier& carrier, const PerformanceScheme& scheme,
                                                         int year, Grade grade) const {
  STIP_ASSIGN_OR_RETURN(std::vector<PerformanceRecord> earlier, store_->ListPerformance(carrier.id));
  std::map<int, Grade> history;
  for (const PerformanceRecord& r : earlier) history[r.year] = r.result.grade;
  bool national = LevelAt(carrier, year) == CarrierLevel::kNational;
  return LosesNationalStatus(scheme, national, year, grade, history);
}

absl::StatusOr<PerformanceRecord> PerformanceEvaluator::Evaluate(const Caller& caller, absl::string_view carrier_name,
                                                                 const PerformanceRequest& request) {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanManage(caller));
  STIP_ASSIGN_OR_RETURN(Carrier carrier, carriers_->Readable(caller, carrier_name));
  if (!carriers_->years().Contains(request.year)) return InvalidField("year", "请填写评价年度 (year is required)");
  STIP_ASSIGN_OR_RETURN(std::optional<AnnualReport> report, store_->FindReport(carrier.id, request.year));
  if (!report) {
    return absl::FailedPreconditionError(absl::StrCat(carrier.display_name, "尚未提交", request.year,
                                                      "年度报告，无法进行绩效评价 (file the annual report first)"));
  }
  STIP_ASSIGN_OR_RETURN(PerformanceScheme scheme, SchemeFor(carrier, request));
  std::vector<Violation> violations;
  absl::StatusOr<PerformanceResult> result =
      ComputePerformance(scheme, CarrierMetrics(carrier, *report), request.expert_scores, &violations);
  if (!result.ok()) return ViolationsStatus(violations);
  STIP_ASSIGN_OR_RETURN(bool loses, LosesNational(carrier, scheme, request.year, result->grade));
  PerformanceRecord record;
  record.carrier_id = carrier.id;
  record.year = request.year;
  record.scheme = scheme.scheme;
  record.scheme_version = scheme.version;
  record.provisional = scheme.provisional;
  record.result = *result;
  record.loses_national_status = loses;
  bool national = LevelAt(carrier, request.year) == CarrierLevel::kNational;
  record.national_status_note = NationalStatusNote(scheme, national, loses, result->grade);
  record.evaluator = caller.subject;
  STIP_ASSIGN_OR_RETURN(std::optional<PerformanceRecord> existing, store_->FindPerformance(carrier.id, request.year));
  if (existing) {
    record.version = existing->version;
    STIP_RETURN_IF_ERROR(CheckEtag(request.etag, record.version, "绩效评价"));
  }
  STIP_ASSIGN_OR_RETURN(PerformanceRecord saved, store_->SavePerformance(record));
  if (notifier_ != nullptr) notifier_->Publish("evaluation");
  return saved;
}

absl::StatusOr<PerformanceRecord> PerformanceEvaluator::Get(const Caller& caller, absl::string_view carrier_id,
                                                            int year) const {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanRead(caller, carrier_id));
  STIP_ASSIGN_OR_RETURN(std::optional<PerformanceRecord> record, store_->FindPerformance(carrier_id, year));
  if (!record) {
    return NotFound("绩效评价 performance evaluation",
                    absl::StrCat("carriers/", carrier_id, "/performanceEvaluations/", year));
  }
  return *record;
}

absl::StatusOr<std::vector<PerformanceRecord>> PerformanceEvaluator::List(const Caller& caller,
                                                                          absl::string_view carrier_name) const {
  STIP_ASSIGN_OR_RETURN(Carrier carrier, carriers_->Readable(caller, carrier_name, "parent"));
  return store_->ListPerformance(carrier.id);
}

absl::StatusOr<CarrierStats> PerformanceEvaluator::Statistics(int year, int since_year) const {
  if (!carriers_->years().Contains(year)) return InvalidField("year", "请指定年份，如 ?year=2021 (year is required)");
  int since = since_year == 0 ? kPlanStartYear : since_year;
  if (since > year) return InvalidField("since_year", "起始年份不能晚于统计年份 (since_year must not be after year)");
  STIP_ASSIGN_OR_RETURN(std::vector<Carrier> carriers, store_->ListCarriers());
  STIP_ASSIGN_OR_RETURN(std::vector<PerformanceRecord> performance, store_->ListPerformanceOfYear(year));
  std::map<std::string, Grade> grades;
  std::set<std::string> at_risk;
  for (const PerformanceRecord& r : performance) {
    grades[r.carrier_id] = r.result.grade;
    if (r.loses_national_status) at_risk.insert(r.carrier_id);
  }
  return ComputeStatistics(carriers, grades, at_risk, year, since);
}

}  // namespace stip::evaluation
