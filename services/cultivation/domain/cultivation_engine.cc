#include "services/cultivation/domain/cultivation_engine.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"

namespace stip::cultivation {
namespace {

std::string PoolsText(const std::vector<std::string>& pools) {
  std::vector<std::string> titles;
  titles.reserve(pools.size());
  for (const std::string& pool : pools) titles.push_back(ProgramTitle(pool));
  return absl::StrJoin(titles, "、");
}

bool Open(Stage stage) {
  return stage != Stage::kNone && stage != Stage::kExpired && stage != Stage::kWithdrawn;
}

}  // namespace

absl::CivilDay DefaultAsOf(int application_year, absl::CivilDay today) {
  if (today.year() == application_year) return today;
  return today.year() > application_year ? YearEnd(application_year) : absl::CivilDay(application_year, 1, 1);
}

absl::CivilDay DefaultAsOf(int application_year) {
  return DefaultAsOf(application_year, Today());
}

int CultivationEngine::HteValidityYears(int year) const {
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> hte = registry_->Find(std::string(kHighTech), "", year);
  if (hte.ok() && (*hte)->validity_years) return *(*hte)->validity_years;
  return 3;
}

absl::StatusOr<EvaluationResult> CultivationEngine::Evaluate(const Cohort& cohort, const std::string& program,
                                                             const std::string& edition, int year,
                                                             std::optional<absl::CivilDay> as_of) const {
  if (!IsProgram(program)) {
    return InvalidField("program", "program 应为 tech_sme、chuying、dengling、lingjun_peiyu、lingjun 或 high_tech");
  }
  if (year < 1990 || year > 2100) return InvalidField("year", "year 应为数据年度（如 2021）");
  EvaluationResult result;
  result.application_year = year + 1;
  result.as_of = as_of.value_or(DefaultAsOf(year + 1));
  // The edition in force on the as-of date: an application of 2021 after 2021-07-09 is judged by 津科规〔2021〕3号.
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> found =
      registry_->FindInForce(program, edition, FormatDate(result.as_of));
  if (!found.ok()) return found.status();
  result.edition = *found;
  EnterpriseMetrics metrics = ComputeMetrics(cohort.facts, year, result.as_of, HteValidityYears(year));
  result.evaluation = rules::Evaluate(*result.edition, metrics);
  result.fiscal_years = metrics.fiscal_years();
  return result;
}

absl::StatusOr<GapResult> CultivationEngine::Gap(const Cohort& cohort, int year, const std::string& target,
                                                 std::optional<absl::CivilDay> as_of) const {
  GapResult gap;
  for (const std::string& program : ProgramLadder()) {
    for (const PipelineRecord& p : cohort.pipelines) {
      if (p.program == program && InTier(p.stage)) gap.current_program = program;
    }
  }
  gap.target_program = target.empty() ? NextProgram(gap.current_program) : target;
  if (gap.target_program.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("企业已处于梯度最高一级（", ProgramTitle(gap.current_program), "）；可指定 target_program"));
  }
  absl::StatusOr<EvaluationResult> result = Evaluate(cohort, gap.target_program, "", year, as_of);
  if (!result.ok()) return result.status();
  gap.result = std::move(*result);
  // Failing or missing criteria, skipping the inside of groups that already pass.
  int skip_below = -1;
  for (const rules::CriterionResult& r : gap.result.evaluation.results) {
    if (skip_below >= 0 && r.depth > skip_below) continue;
    skip_below = -1;
    if (r.outcome == rules::Outcome::kPass || r.outcome == rules::Outcome::kNotApplicable) {
      skip_below = r.depth;
      continue;
    }
    gap.gaps.push_back(r);
  }
  return gap;
}

std::vector<std::string> ScreeningPools(const ScreenRequest& request) {
  if (request.from_programs.size() == 1 && request.from_programs[0] == "*") return {};
  if (request.from_programs.empty() && request.program == kHighTech) {
    return {std::string(kTechSme), std::string(kChuying)};
  }
  return request.from_programs;
}

namespace {

ScreenedEnterprise ScreenedRow(const Cohort& c, const rules::Evaluation& evaluation, std::optional<Stage> stage) {
  ScreenedEnterprise row{c.enterprise.uscc,
                         c.enterprise.name,
                         c.enterprise.org_unit,
                         evaluation.outcome,
                         {},
                         stage,
                         evaluation.eligible && !stage};
  for (const rules::CriterionResult& r : evaluation.results) {
    if (r.depth == 0 && r.outcome != rules::Outcome::kPass && r.outcome != rules::Outcome::kNotApplicable) {
      row.open_criteria.push_back(absl::StrCat(r.id, " ", rules::OutcomeText(r.outcome)));
    }
  }
  return row;
}

}  // namespace

absl::StatusOr<ScreenResult> CultivationEngine::Screen(const ScreenRequest& request, const std::string& actor) const {
  const std::string& program = request.program;
  int year = request.year;
  if (!IsProgram(program)) return InvalidField("program", "未知的培育项目");
  std::vector<std::string> pools = ScreeningPools(request);
  for (const std::string& pool : pools) {
    if (!IsProgram(pool)) return InvalidField("from_programs", "未知的培育项目：" + pool);
  }
  absl::CivilDay as_of = request.as_of.value_or(DefaultAsOf(year + 1));
  absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> found =
      registry_->FindInForce(program, request.edition, FormatDate(as_of));
  if (!found.ok()) return found.status();
  const rules::RuleEdition& rules_edition = **found;
  absl::StatusOr<std::vector<Cohort>> cohort = store_->LoadCohort(year, request.org_unit, /*require_filing=*/true);
  if (!cohort.ok()) return cohort.status();
  ScreenResult result;
  result.program = program;
  result.org_unit = request.org_unit;
  result.edition = rules::EditionKey(rules_edition.program, rules_edition.edition);
  result.provisional = rules_edition.AnyProvisional();
  result.pools = pools;
  result.application_year = year + 1;
  result.as_of = as_of;
  int validity = HteValidityYears(year);
  std::vector<std::string> candidates;
  for (const Cohort& c : *cohort) {
    bool in_pool = pools.empty();
    for (const PipelineRecord& p : c.pipelines) {
      in_pool = in_pool || (InTier(p.stage) && std::find(pools.begin(), pools.end(), p.program) != pools.end());
    }
    if (!in_pool) {
      ++result.outside_pools;
      continue;
    }
    ++result.evaluated;
    EnterpriseMetrics metrics = ComputeMetrics(c.facts, year, as_of, validity);
    rules::Evaluation evaluation = rules::Evaluate(rules_edition, metrics, rules::Detail::kOutcomesOnly);
    if (evaluation.outcome == rules::Outcome::kMissingData) ++result.missing_data;
    if (evaluation.outcome == rules::Outcome::kDependsOnExperts) ++result.depends_on_experts;
    std::optional<Stage> stage;
    for (const PipelineRecord& p : c.pipelines) {
      if (p.program == program && Open(p.stage)) stage = p.stage;
    }
    if (evaluation.eligible) {
      ++result.eligible;
      if (stage) {
        ++result.already_in_pipeline;
      } else {
        candidates.push_back(c.enterprise.uscc);
      }
    }
    if (request.with_rows) result.rows.push_back(ScreenedRow(c, evaluation, stage));
  }
  if (request.dry_run) {
    result.screened = static_cast<int>(candidates.size());
  } else if (!candidates.empty()) {
    TransitionSpec spec;
    spec.to = Stage::kScreened;
    spec.reason = absl::StrCat("遴选：按 ", result.edition, " 评价符合条件（", year + 1, " 年申报，", year,
                               " 年度数据）", pools.empty() ? "" : "，从" + PoolsText(pools) + "库中遴选");
    spec.effective_date = request.effective_date;
    spec.year = year;
    spec.edition = rules_edition.edition;
    spec.actor = actor;
    absl::StatusOr<int> moved = store_->ScreenMany(candidates, program, spec);
    if (!moved.ok()) return moved.status();
    result.screened = *moved;
  }
  result.screened_usccs = std::move(candidates);
  return result;
}

absl::StatusOr<std::vector<AlertInfo>> CultivationEngine::Alerts(int year, int within_days, const std::string& org_unit,
                                                                 absl::CivilDay as_of, AlertKindCode kind) const {
  absl::StatusOr<std::vector<Cohort>> cohort = store_->LoadCohort(year, org_unit, /*require_filing=*/false);
  if (!cohort.ok()) return cohort.status();
  std::vector<AlertInfo> alerts;
  int validity = HteValidityYears(year);
  absl::CivilDay horizon = as_of + within_days;
  auto want = [&](AlertKindCode k) { return kind == AlertKindCode::kAll || kind == k; };
  for (const Cohort& c : *cohort) {
    const EnterpriseRecord& e = c.enterprise;
    auto base = [&](AlertKindCode k, const std::string& program) {
      AlertInfo a;
      a.kind = k;
      a.uscc = e.uscc;
      a.enterprise_name = e.name;
      a.org_unit = e.org_unit;
      a.program = program;
      return a;
    };
    if (want(AlertKindCode::kCertificateExpiring)) {
      std::set<std::string> reported;
      for (const PipelineRecord& p : c.pipelines) {
        std::optional<absl::CivilDay> until = ParseDate(p.valid_until);
        if (p.stage != Stage::kCertified || !until || *until <= as_of || *until > horizon) continue;
        AlertInfo a = base(AlertKindCode::kCertificateExpiring, p.program);
        a.valid_until = p.valid_until;
        a.days_left = static_cast<int>(*until - as_of);
        absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = registry_->Find(p.program, p.edition, 0);
        a.provisional = ValidityProvisional(p.edition.empty() || !edition.ok() ? nullptr : edition->get());
        a.message = absl::StrCat(ProgramTitle(p.program), "认定将于 ", p.valid_until, " 到期（剩余 ", a.days_left,
                                 " 天），请提前辅导重新申请", a.provisional ? "（有效期为暂定口径）" : "");
        reported.insert(p.program);
        alerts.push_back(std::move(a));
      }
      std::optional<absl::CivilDay> issued = ValidHteCertificate(c.facts, year, as_of, validity);
      if (issued && reported.count(std::string(kHighTech)) == 0) {
        absl::CivilDay until = AddYears(*issued, validity);
        if (until <= horizon) {
          AlertInfo a = base(AlertKindCode::kCertificateExpiring, std::string(kHighTech));
          a.valid_until = FormatDate(until);
          a.days_left = static_cast<int>(until - as_of);
          a.message = absl::StrCat("高新技术企业证书（", FormatDate(*issued), " 颁发）将于 ", a.valid_until,
                                   " 到期（剩余 ", a.days_left, " 天）");
          alerts.push_back(std::move(a));
        }
      }
    }
    std::optional<absl::CivilDay> registered = ParseDate(e.registration_date);
    bool has_filing = c.facts.filings.count(year) > 0;
    if (want(AlertKindCode::kFilingMissing) && !has_filing && registered && registered->year() <= year) {
      AlertInfo a = base(AlertKindCode::kFilingMissing, "");
      a.message = absl::StrCat("缺少 ", year, " 年度年报，无法评价梯度资格");
      alerts.push_back(std::move(a));
    }
    // The annual re-check (年度复核): the pools' certification is provisional and yearly, so every enterprise in
    // a tier is checked against the tier's default edition on its latest filing up to `year`.
    std::optional<int> latest_filing;
    for (const auto& [filing_year, data] : c.facts.filings) {
      if (filing_year <= year) latest_filing = filing_year;
    }
    if (want(AlertKindCode::kNoLongerEligible) && latest_filing) {
      for (const PipelineRecord& p : c.pipelines) {
        if (!InTier(p.stage)) continue;
        absl::StatusOr<EvaluationResult> result = Evaluate(c, p.program, "", *latest_filing, std::nullopt);
        if (!result.ok() || result->evaluation.outcome != rules::Outcome::kFail) continue;
        AlertInfo a = base(AlertKindCode::kNoLongerEligible, p.program);
        for (const rules::CriterionResult& r : result->evaluation.results) {
          if (r.depth == 0 && r.outcome == rules::Outcome::kFail) a.failing.push_back(r.id);
        }
        a.reason = std::string(kNoLongerMeets);
        a.filing_year = *latest_filing;
        a.edition = rules::EditionKey(result->edition->program, result->edition->edition);
        a.provisional = result->evaluation.provisional || result->edition->AnyProvisional();
        a.message = absl::StrCat("年度复核：按 ", *latest_filing, " 年度年报，已不满足", ProgramTitle(p.program),
                                 "条件（", a.edition, "）：", absl::StrJoin(a.failing, "、"), " 未达标，存在流失风险");
        alerts.push_back(std::move(a));
      }
    }
  }
  return alerts;
}

absl::StatusOr<TierCounts> CultivationEngine::TierStatistics(int year, const std::string& org_unit) const {
  TierCounts counts;
  std::string year_end = FormatDate(YearEnd(year));
  counts.as_of = year_end;
  absl::StatusOr<std::vector<EnterpriseRecord>> any =
      store_->ListEnterprises(org_unit, EnterpriseStatus::kActive, 0, 0, &counts.enterprises);
  if (!any.ok()) return any.status();
  absl::StatusOr<std::vector<CultivationStore::StageAt>> stages = store_->StagesAt(year_end, org_unit);
  if (!stages.ok()) return stages.status();
  absl::StatusOr<std::map<std::string, std::vector<StatusChange>>> histories = store_->StatusHistories(org_unit);
  if (!histories.ok()) return histories.status();
  // Counted for `year` when active (存续) on its 31 December, by the status history, not today's status.
  auto active = [&](const std::string& uscc, EnterpriseStatus current) {
    auto it = histories->find(uscc);
    return ActiveAtYearEnd(it == histories->end() ? std::vector<StatusChange>{} : it->second, year, current);
  };
  std::map<std::string, std::set<std::string>> in_tier;  // program → usccs
  for (const auto& s : *stages) {
    if (!InTier(s.stage) || !active(s.uscc, s.status)) continue;
    if (!s.valid_until.empty() && s.valid_until <= year_end) continue;     // certification ran out before year end
    if (s.program == kHighTech && s.stage != Stage::kCertified) continue;  // only certificates count for 高企
    in_tier[s.program].insert(s.uscc);
  }
  absl::StatusOr<std::vector<CultivationStore::CertAndListing>> certs = store_->CertificatesAndListings(year, org_unit);
  if (!certs.ok()) return certs.status();
  int validity = HteValidityYears(year);
  absl::CivilDay end = YearEnd(year);
  std::set<std::string> listed;
  for (const auto& c : *certs) {
    if (!active(c.uscc, c.status)) continue;
    for (const std::string& issued_text : c.hte_issue_dates) {
      std::optional<absl::CivilDay> issued = ParseDate(issued_text);
      if (issued && *issued <= end && end < AddYears(*issued, validity)) in_tier[std::string(kHighTech)].insert(c.uscc);
    }
    if (c.listed) listed.insert(c.uscc);
  }
  auto size = [&](absl::string_view program) { return static_cast<int>(in_tier[std::string(program)].size()); };
  counts.high_tech = size(kHighTech);
  counts.tech_sme = size(kTechSme);
  counts.chuying = size(kChuying);
  counts.dengling = size(kDengling);
  counts.lingjun_peiyu = size(kLingjunPeiyu);
  counts.lingjun_only = size(kLingjun);
  std::set<std::string> lingjun = in_tier[std::string(kLingjun)];
  lingjun.insert(in_tier[std::string(kLingjunPeiyu)].begin(), in_tier[std::string(kLingjunPeiyu)].end());
  counts.lingjun = static_cast<int>(lingjun.size());
  for (const std::string& uscc : listed) {
    bool tech = false;
    for (const auto& [program, usccs] : in_tier) tech = tech || usccs.count(uscc) > 0;
    if (tech) ++counts.listed_tech;
  }
  for (absl::string_view program : {kDengling, kLingjunPeiyu, kLingjun}) {
    absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = registry_->Find(std::string(program), "", year);
    if (edition.ok() && (*edition)->AnyProvisional()) counts.provisional = true;
  }
  counts.notes = {
      absl::StrCat("统计时点 ", year_end, "；仅计当日存续的企业（按状态变更的生效日期，其后迁出或注销的仍计入）",
                   org_unit.empty() ? "" : "，限 " + org_unit),
      "高新技术企业：有效期内的证书（认定记录或年报发证日期，有效期",
      absl::StrCat(validity, "年）"),
      "雏鹰/瞪羚/领军(培育)/科技型中小企业：入库、培育或认定阶段（按生效日期），认定有效期已满的不计",
      "科技领军（领军培育）= 领军 ∪ 领军培育（去重）",
      "科技型上市企业：当年年报为上市企业，且为有效高企或处于任一梯度",
  };
  if (counts.provisional)
    counts.notes.emplace_back("瞪羚、领军培育、领军的认定条件为暂定占位版本（criteria.md [MISSING]）");
  return counts;
}

absl::StatusOr<std::vector<StageCount>> CultivationEngine::PipelineStatistics(int year, const std::string& org_unit,
                                                                              const std::string& program) const {
  std::string date = year > 0 ? FormatDate(YearEnd(year)) : std::string("9999-12-31");
  absl::StatusOr<std::vector<CultivationStore::StageAt>> stages = store_->StagesAt(date, org_unit);
  if (!stages.ok()) return stages.status();
  absl::StatusOr<std::map<std::string, std::vector<StatusChange>>> histories = store_->StatusHistories(org_unit);
  if (!histories.ok()) return histories.status();
  absl::CivilDay day = year > 0 ? YearEnd(year) : absl::CivilDay(9999, 12, 31);
  std::map<std::tuple<std::string, int, int, std::string>, int> grouped;
  for (const auto& s : *stages) {
    if (!program.empty() && s.program != program) continue;
    auto history = histories->find(s.uscc);
    EnterpriseStatus status = history == histories->end() ? s.status : StatusOn(history->second, day, s.status);
    if (status != EnterpriseStatus::kActive) continue;
    grouped[{s.program, static_cast<int>(s.stage), year > 0 ? year : s.year, s.org_unit}]++;
  }
  std::vector<StageCount> out;
  out.reserve(grouped.size());
  for (const auto& [key, count] : grouped) {
    out.push_back(
        StageCount{std::get<0>(key), static_cast<Stage>(std::get<1>(key)), std::get<2>(key), std::get<3>(key), count});
  }
  return out;
}

}  // namespace stip::cultivation
