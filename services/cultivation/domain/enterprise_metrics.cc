#include "services/cultivation/domain/enterprise_metrics.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {
namespace {

using rules::Figure;
using rules::Rational;
using rules::Unit;

// Years in [from, to] that fall within the operating period (not before the registration year).
std::vector<int> OperatingYears(int from, int to, std::optional<absl::CivilDay> registered) {
  std::vector<int> years;
  for (int y = from; y <= to; ++y) {
    if (registered && y < registered->year()) continue;
    years.push_back(y);
  }
  return years;
}

std::optional<int64_t> Field(const EnterpriseFacts& facts, int year, absl::string_view key) {
  auto it = facts.filings.find(year);
  if (it == facts.filings.end()) return std::nullopt;
  return IntField(it->second, key);
}

std::optional<int64_t> Sum(const EnterpriseFacts& facts, const std::vector<int>& years, absl::string_view key) {
  if (years.empty()) return std::nullopt;
  int64_t total = 0;
  for (int y : years) {
    std::optional<int64_t> v = Field(facts, y, key);
    if (!v) return std::nullopt;
    total += *v;
  }
  return total;
}

std::string YearsText(const std::vector<int>& years) {
  if (years.empty()) return "";
  if (years.size() == 1) return absl::StrCat(years.front(), "年");
  return absl::StrCat(years.front(), "–", years.back(), "年");
}

// A share of two known figures. A zero denominator is a known value that fails every positive threshold
// (criteria.md, conventions 3: zero staff is not missing).
void SetRatio(EnterpriseMetrics& out, const std::string& metric, std::optional<int64_t> numerator,
              std::optional<int64_t> denominator, const std::string& what, Unit unit) {
  if (!numerator || !denominator) return;
  bool zero = *denominator == 0;
  out.Set(metric, zero ? Rational(0) : Rational::Of(*numerator, *denominator));
  out.AddExplanation(metric, {metric + ".numerator", "分子：" + what, rules::FormatValue(Rational(*numerator), unit),
                              rules::Number(Rational(*numerator))});
  out.AddExplanation(metric, {metric + ".denominator", zero ? "分母为0，按不满足计" : "分母",
                              rules::FormatValue(Rational(*denominator), unit), rules::Number(Rational(*denominator))});
}

// Whether a violation of `type` touched [from, as_of]: a dated event, or the legacy flag of a filing inside
// the window. With the latest filing present and nothing recorded, there was none (conventions 5).
std::optional<bool> Violation(const EnterpriseFacts& facts, const std::string& type, absl::CivilDay from,
                              absl::CivilDay as_of, int latest_fiscal_year, EnterpriseMetrics& out,
                              const std::string& metric) {
  bool found = false;
  for (const DatedRecord& r : facts.records) {
    if (r.kind != RecordKind::kViolation || r.type != type) continue;
    std::optional<absl::CivilDay> start = ParseDate(r.start_date), end = ParseDate(r.end_date);
    if (!start || *start > as_of || (end && *end < from)) continue;
    found = true;
    out.AddExplanation(metric, {metric + ".record", "记录", RecordText(r), std::nullopt});
  }
  for (int y = static_cast<int>(from.year()); y <= latest_fiscal_year; ++y) {
    auto it = facts.filings.find(y);
    if (it == facts.filings.end() || !BoolField(it->second, type).value_or(false)) continue;
    found = true;
    out.AddExplanation(metric, {metric + ".filing", "年报填报", absl::StrCat(y, "年度年报填“是”"), std::nullopt});
  }
  if (found) return true;
  if (facts.filings.count(latest_fiscal_year) == 0) return std::nullopt;
  return false;
}

void IdentityMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of, int hte_validity_years,
                     const std::optional<absl::CivilDay>& registered, EnterpriseMetrics& out) {
  out.SetBool("registered_in_china", true);  // a valid USCC is issued to an entity registered in China
  if (facts.uscc.size() == 18) out.SetBool("registered_in_tianjin", facts.uscc.substr(2, 2) == "12");
  if (registered) {
    out.Set("reg_age_years_end_prev", ExactYearsBetween(*registered, YearEnd(year)));
    out.Set("reg_age_years_jan1", ExactYearsBetween(*registered, absl::CivilDay(year + 1, 1, 1)));
    out.SetBool("registered_before_apply_year", registered->year() <= year);
    out.Set("days_since_registration", static_cast<int64_t>(as_of - *registered));
  }
  if (!facts.tech_field.empty()) out.Set("tech_field", rules::Value(facts.tech_field));
  out.SetBool("hte_cert_valid", ValidHteCertificate(facts, year, as_of, hte_validity_years).has_value());
  struct Window {
    const char* metric;
    const char* type;
    absl::CivilDay from;
  };
  // 申报当年及上一年 (E3, G2, L2); 前一年内 (H8); 近三年 (S4).
  const Window windows[] = {
      {"serious_research_misconduct", "serious_research_misconduct", absl::CivilDay(year, 1, 1)},
      {"abnormal_operation_list", "abnormal_operation_list", absl::CivilDay(year, 1, 1)},
      {"serious_dishonest_list", "serious_dishonest_list", absl::CivilDay(year, 1, 1)},
      {"major_accident", "major_accident", AddYears(as_of, -1)},
      {"major_accident_3y", "major_accident", absl::CivilDay(year - 2, 1, 1)},
      {"serious_research_misconduct_3y", "serious_research_misconduct", absl::CivilDay(year - 2, 1, 1)},
  };
  for (const Window& w : windows) {
    if (std::optional<bool> v = Violation(facts, w.type, w.from, as_of, year, out, w.metric)) out.SetBool(w.metric, *v);
  }
}

void FilingMetrics(const EnterpriseFacts& facts, int year, EnterpriseMetrics& out) {
  auto current = facts.filings.find(year);
  if (current == facts.filings.end()) return;
  out.UseYear(year);
  const FilingData& data = current->second;
  static const char* const kWindowed[] = {"serious_research_misconduct", "abnormal_operation_list",
                                          "serious_dishonest_list", "major_accident"};
  for (const auto& [key, value] : data) {
    if (std::find(std::begin(kWindowed), std::end(kWindowed), key) != std::end(kWindowed)) continue;
    if (std::holds_alternative<int64_t>(value)) out.Set(key, std::get<int64_t>(value));
    if (std::holds_alternative<bool>(value)) out.SetBool(key, std::get<bool>(value));
  }
  std::optional<int64_t> sales = IntField(data, "sales_revenue");
  if (sales) {
    out.Set("revenue_prev_year", *sales);
    out.Set("sales_revenue_last_year", *sales);
  }
  // 复评: 营业收入较上一年正增长, R[Y−1] − R[Y−2] in yuan (defined even when R[Y−2] is 0).
  std::optional<int64_t> before = Field(facts, year - 1, "sales_revenue");
  if (sales && before) {
    out.Set("revenue_increase_prev_year", *sales - *before);
    out.AddExplanation("revenue_increase_prev_year",
                       {"sales_revenue." + std::to_string(year - 1), absl::StrCat(year - 1, "年营业收入"),
                        rules::FormatValue(Rational(*before), Unit::kYuan), rules::Number(Rational(*before))});
    out.AddExplanation("revenue_increase_prev_year",
                       {"sales_revenue." + std::to_string(year), absl::StrCat(year, "年营业收入"),
                        rules::FormatValue(Rational(*sales), Unit::kYuan), rules::Number(Rational(*sales))});
  }
  std::optional<int64_t> c1 = IntField(data, "class1_ip_count"), c2 = IntField(data, "class2_ip_count");
  if (c1 && c2) out.Set("ip_count", *c1 + *c2);
  std::string y = absl::StrCat(year, "年");
  SetRatio(out, "sci_tech_staff_ratio", IntField(data, "sci_tech_staff"), IntField(data, "total_staff"),
           y + "科技人员数 / 职工总数", Unit::kCount);
  SetRatio(out, "rd_to_revenue", IntField(data, "rd_expense"), sales, y + "研发费用 / 销售收入", Unit::kYuan);
  SetRatio(out, "rd_to_cost", IntField(data, "rd_expense"), IntField(data, "total_cost_expense"),
           y + "研发费用 / 成本费用支出总额", Unit::kYuan);
  SetRatio(out, "hightech_revenue_ratio", IntField(data, "hightech_revenue"), sales,
           y + "高新技术产品(服务)收入 / 销售收入", Unit::kYuan);
}

void GrowthMetric(const EnterpriseFacts& facts, const std::vector<int>& years, const std::string& metric,
                  const std::string& label, bool net_assets, EnterpriseMetrics& out) {
  std::vector<int64_t> series;
  for (int y : years) {
    std::optional<int64_t> v = net_assets ? std::nullopt : Field(facts, y, "sales_revenue");
    if (net_assets) {
      std::optional<int64_t> a = Field(facts, y, "total_assets"), l = Field(facts, y, "total_liabilities");
      if (a && l) v = *a - *l;
    }
    if (!v) return;
    series.push_back(*v);
    out.AddExplanation(metric, {absl::StrCat(metric, ".", y), absl::StrCat(y, "年", label),
                                rules::FormatValue(Rational(*v), Unit::kYuan), rules::Number(Rational(*v))});
  }
  if (series.empty()) return;
  out.Set(metric, GrowthRate(series));
}

void ThreeYearMetrics(const EnterpriseFacts& facts, int year, const std::optional<absl::CivilDay>& registered,
                      EnterpriseMetrics& out) {
  // Three fiscal years (H5, growth), or the actual operating period when shorter.
  std::vector<int> three = OperatingYears(year - 2, year, registered);
  std::optional<int64_t> rd = Sum(facts, three, "rd_expense"), sales = Sum(facts, three, "sales_revenue");
  std::optional<int64_t> domestic = Sum(facts, three, "rd_expense_domestic");
  if (rd && sales) {
    for (int y : three) out.UseYear(y);
    SetRatio(out, "rd_ratio_3y", rd, sales, YearsText(three) + "研发费用合计 / 销售收入合计", Unit::kYuan);
  }
  if (domestic && rd) {
    SetRatio(out, "domestic_rd_ratio_3y", domestic, rd, YearsText(three) + "境内研发费用合计 / 研发费用合计",
             Unit::kYuan);
  }
  GrowthMetric(facts, three, "sales_growth", "销售收入", false, out);
  GrowthMetric(facts, three, "net_asset_growth", "净资产（资产总额 − 负债总额）", true, out);
  std::optional<int64_t> converted = Sum(facts, three, "results_converted");
  if (converted && !three.empty()) {
    out.Set("results_converted_avg_3y", Rational::Of(*converted, static_cast<int64_t>(three.size())));
    out.AddExplanation("results_converted_avg_3y", {"results_converted_3y", YearsText(three) + "科技成果转化数合计",
                                                    absl::StrCat(*converted), rules::Number(Rational(*converted))});
  }
}

void FourYearMetrics(const EnterpriseFacts& facts, int year, const std::optional<absl::CivilDay>& registered,
                     EnterpriseMetrics& out) {
  // 领军 L5: 近三年营业收入平均增长率 over R[y−3..y−1] of the application year, i.e. fiscal years year−2..year
  // (the actual period when registered later); with two years the single growth rate.
  std::vector<int> three = OperatingYears(year - 2, year, registered);
  std::vector<int64_t> revenue;
  for (int y : three) {
    std::optional<int64_t> v = Field(facts, y, "sales_revenue");
    if (!v) return;
    revenue.push_back(*v);
  }
  if (revenue.size() < 2) return;
  Rational sum(0);
  for (size_t i = 1; i < revenue.size(); ++i) {
    if (revenue[i - 1] == 0) return;  // undefined from a zero year: missing, not a number
    sum = sum + Rational::Of(revenue[i], revenue[i - 1]);
  }
  out.Set("revenue_avg_growth_3y", sum / Rational(static_cast<int64_t>(revenue.size() - 1)) - Rational(1));
  for (size_t i = 0; i < three.size(); ++i) {
    out.AddExplanation("revenue_avg_growth_3y",
                       {absl::StrCat("sales_revenue.", three[i]), absl::StrCat(three[i], "年营业收入"),
                        rules::FormatValue(Rational(revenue[i]), Unit::kYuan), rules::Number(Rational(revenue[i]))});
  }
}

// 瞪羚 G3 (threshold not published): the mean of the yearly R&D intensities of the last four fiscal years, or
// of the operating years when fewer; shown so that the officer sees the figure the rule will need.
void IntensityMetrics(const EnterpriseFacts& facts, int year, const std::optional<absl::CivilDay>& registered,
                      EnterpriseMetrics& out) {
  std::vector<int> four = OperatingYears(year - 3, year, registered);
  if (four.empty()) return;
  Rational total(0);
  for (int y : four) {
    std::optional<int64_t> rd = Field(facts, y, "rd_expense"), sales = Field(facts, y, "sales_revenue");
    if (!rd || !sales) return;
    total = total + (*sales == 0 ? Rational(0) : Rational::Of(*rd, *sales));
  }
  out.Set("rd_intensity_avg_4y", total / Rational(static_cast<int64_t>(four.size())));
}

}  // namespace

void EnterpriseMetrics::UseYear(int year) {
  if (std::find(fiscal_years_.begin(), fiscal_years_.end(), year) != fiscal_years_.end()) return;
  fiscal_years_.push_back(year);
  std::sort(fiscal_years_.begin(), fiscal_years_.end());
}

std::optional<rules::Value> EnterpriseMetrics::CountRecords(const rules::RecordQuery& query,
                                                            std::vector<Figure>* matched) const {
  int64_t count = 0;
  for (const DatedRecord& r : records_) {
    if (!Matches(r, query, application_year_, as_of_, validity_years_)) continue;
    ++count;
    if (matched != nullptr) matched->push_back({"record:" + r.id, "记录", RecordText(r), std::nullopt});
  }
  return rules::Value(rules::Number(Rational(count)));
}

rules::MetricInfo EnterpriseMetrics::Describe(absl::string_view metric) const {
  static const auto* labels = new std::map<std::string, rules::MetricInfo, std::less<>>{
      {"sales_revenue_last_year", {"最近一年销售收入", Unit::kYuan}},
      {"revenue_prev_year", {"上一年度营业收入", Unit::kYuan}},
      {"sales_growth", {"销售收入增长率", Unit::kRatio}},
      {"net_asset_growth", {"净资产增长率", Unit::kRatio}},
      {"rd_ratio_3y", {"近三年研发费用占销售收入比例", Unit::kRatio}},
      {"sci_tech_staff_ratio", {"科技人员占比", Unit::kRatio}},
      {"rd_to_revenue", {"研发费用占销售收入比例", Unit::kRatio}},
      {"rd_to_cost", {"研发费用占成本费用比例", Unit::kRatio}},
      {"results_converted_avg_3y", {"近三年年均科技成果转化数", Unit::kCount}},
      {"class1_ip_count", {"有效I类知识产权数", Unit::kCount}},
      {"class2_ip_count", {"有效II类知识产权数", Unit::kCount}},
      {"ip_count", {"有效知识产权数", Unit::kCount}},
      {"revenue_avg_growth_3y", {"近三年营业收入平均增长率", Unit::kRatio}},
      {"hte_score_ip", {"知识产权得分", Unit::kPoints}},
      {"hte_score_conversion", {"科技成果转化能力得分", Unit::kPoints}},
      {"hte_score_org", {"研究开发组织管理水平得分", Unit::kPoints}},
      {"hte_score_sales_growth", {"销售收入增长率得分", Unit::kPoints}},
      {"hte_score_net_asset_growth", {"净资产增长率得分", Unit::kPoints}},
      {"standard_participation", {"参与制定标准", Unit::kBool}},
  };
  auto it = labels->find(metric);
  if (it != labels->end()) return it->second;
  return MapMetricSource::Describe(metric);
}

Rational GrowthRate(const std::vector<int64_t>& v) {
  if (v.size() < 2) return Rational(0);
  if (v.size() == 2) return v[0] == 0 ? Rational(0) : Rational::Of(v[1], v[0]) - Rational(1);
  if (v[0] == 0) return v[1] == 0 ? Rational(0) : Rational::Of(v[2], v[1]) - Rational(1);
  if (v[1] == 0) return Rational(0);
  return (Rational::Of(v[1], v[0]) + Rational::Of(v[2], v[1])) / Rational(2) - Rational(1);
}

Rational ExactYearsBetween(absl::CivilDay from, absl::CivilDay to) {
  if (to < from) return -ExactYearsBetween(to, from);
  int whole = static_cast<int>(to.year() - from.year());
  if (AddYears(from, whole) > to) --whole;
  absl::CivilDay anniversary = AddYears(from, whole), next = AddYears(from, whole + 1);
  return Rational(whole) + Rational::Of(to - anniversary, next - anniversary);
}

std::optional<absl::CivilDay> ValidHteCertificate(const EnterpriseFacts& facts, int year, absl::CivilDay as_of,
                                                  int validity_years) {
  std::optional<absl::CivilDay> best;
  auto consider = [&](const std::string& text) {
    std::optional<absl::CivilDay> issued = ParseDate(text);
    if (!issued || *issued > as_of || AddYears(*issued, validity_years) <= as_of) return;
    if (!best || *issued > *best) best = issued;
  };
  for (const auto& [filing_year, data] : facts.filings) {
    if (filing_year > year) continue;
    if (std::optional<std::string> issued = TextField(data, "hte_cert_issue_date")) consider(*issued);
  }
  for (const std::string& issued : facts.hte_certificates) consider(issued);
  for (const DatedRecord& r : facts.records) {
    if (r.kind == RecordKind::kCertificate && r.type == "hte_national") consider(r.start_date);
  }
  return best;
}

EnterpriseMetrics ComputeMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of, int hte_validity_years) {
  EnterpriseMetrics out(facts.records, year + 1, as_of, hte_validity_years);
  std::optional<absl::CivilDay> registered = ParseDate(facts.registration_date);
  IdentityMetrics(facts, year, as_of, hte_validity_years, registered, out);
  FilingMetrics(facts, year, out);
  ThreeYearMetrics(facts, year, registered, out);
  FourYearMetrics(facts, year, registered, out);
  IntensityMetrics(facts, year, registered, out);
  // The enterprise's own facts, when recorded, win over what a filing said (conventions 5).
  auto fact = [&](const char* metric, const std::optional<bool>& value) {
    if (value) out.SetBool(metric, *value);
  };
  fact("independent_legal_person", facts.flags.independent_legal_person);
  fact("registered_in_china", facts.flags.resident_enterprise);
  fact("registered_in_tianjin", facts.flags.registered_in_tianjin);
  fact("prohibited_catalogue", facts.flags.prohibited_catalogue);
  return out;
}

bool ValidityProvisional(const rules::RuleEdition* edition) {
  if (edition == nullptr || !edition->validity_years || edition->provisional) return true;
  for (absl::string_view mark : {"暂定", "[MISSING]", "[R]", "[INFERRED]"}) {
    if (absl::StrContains(edition->validity_note, mark)) return true;
  }
  return false;
}

}  // namespace stip::cultivation
