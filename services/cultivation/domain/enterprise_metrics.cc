#include "services/cultivation/domain/enterprise_metrics.h"

#include <cmath>

#include "absl/strings/match.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {
namespace {

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

std::optional<double> Sum(const EnterpriseFacts& facts, const std::vector<int>& years, absl::string_view key) {
  if (years.empty()) return std::nullopt;
  double total = 0;
  for (int y : years) {
    std::optional<int64_t> v = Field(facts, y, key);
    if (!v) return std::nullopt;
    total += static_cast<double>(*v);
  }
  return total;
}

void SetRatio(rules::MapMetricSource& out, const char* metric, std::optional<double> numerator,
              std::optional<double> denominator) {
  if (numerator && denominator && *denominator > 0) out.Set(metric, *numerator / *denominator);
}

// true if any year says true; false only when every year says false; otherwise missing.
std::optional<bool> AnyTrue(const EnterpriseFacts& facts, const std::vector<int>& years, absl::string_view key) {
  bool missing = years.empty();
  for (int y : years) {
    auto it = facts.filings.find(y);
    std::optional<bool> v = it == facts.filings.end() ? std::nullopt : BoolField(it->second, key);
    if (!v) {
      missing = true;
    } else if (*v) {
      return true;
    }
  }
  if (missing) return std::nullopt;
  return false;
}

}  // namespace

double GrowthRate(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  if (v.size() == 2) return v[0] == 0 ? 0 : v[1] / v[0] - 1;
  if (v[0] == 0) return v[1] == 0 ? 0 : v[2] / v[1] - 1;
  if (v[1] == 0) return 0;
  return 0.5 * (v[1] / v[0] + v[2] / v[1]) - 1;
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
  return best;
}

namespace {

void IdentityMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of, int hte_validity_years,
                     const std::optional<absl::CivilDay>& registered, rules::MapMetricSource& out) {
  // Identity and age.
  out.SetBool("registered_in_china", true);  // a valid USCC is issued to an entity registered in China
  if (facts.uscc.size() == 18) out.SetBool("registered_in_tianjin", facts.uscc.substr(2, 2) == "12");
  if (registered) {
    out.Set("reg_age_years_end_prev", YearsBetween(*registered, YearEnd(year)));
    out.Set("reg_age_years_jan1", YearsBetween(*registered, absl::CivilDay(year + 1, 1, 1)));
    out.SetBool("registered_before_apply_year", registered->year() <= year);
    out.Set("days_since_registration", static_cast<double>(as_of - *registered));
  }
  if (!facts.tech_field.empty()) out.Set("tech_field", facts.tech_field);
  out.SetBool("hte_cert_valid", ValidHteCertificate(facts, year, as_of, hte_validity_years).has_value());
}

void FilingMetrics(const EnterpriseFacts& facts, int year, rules::MapMetricSource& out) {
  // The year's own filing: every field under its own name.
  auto current = facts.filings.find(year);
  if (current != facts.filings.end()) {
    const FilingData& data = current->second;
    for (const auto& [key, value] : data) {
      if (std::holds_alternative<int64_t>(value)) out.Set(key, static_cast<double>(std::get<int64_t>(value)));
      if (std::holds_alternative<bool>(value)) out.SetBool(key, std::get<bool>(value));
    }
    std::optional<int64_t> sales = IntField(data, "sales_revenue");
    if (sales) {
      out.Set("revenue_prev_year", static_cast<double>(*sales));
      out.Set("sales_revenue_last_year", static_cast<double>(*sales));
    }
    std::optional<int64_t> c1 = IntField(data, "class1_ip_count"), c2 = IntField(data, "class2_ip_count");
    if (c1 && c2) out.Set("ip_count", static_cast<double>(*c1 + *c2));
    auto as_double = [](std::optional<int64_t> v) -> std::optional<double> {
      if (!v) return std::nullopt;
      return static_cast<double>(*v);
    };
    SetRatio(out, "sci_tech_staff_ratio", as_double(IntField(data, "sci_tech_staff")),
             as_double(IntField(data, "total_staff")));
    SetRatio(out, "rd_to_revenue", as_double(IntField(data, "rd_expense")), as_double(sales));
    SetRatio(out, "rd_to_cost", as_double(IntField(data, "rd_expense")),
             as_double(IntField(data, "total_cost_expense")));
    SetRatio(out, "hightech_revenue_ratio", as_double(IntField(data, "hightech_revenue")), as_double(sales));
  }
}

void ThreeYearMetrics(const EnterpriseFacts& facts, int year, const std::optional<absl::CivilDay>& registered,
                      rules::MapMetricSource& out) {
  // Three fiscal years (H5, growth, S4), or the actual operating period when shorter.
  std::vector<int> three = OperatingYears(year - 2, year, registered);
  SetRatio(out, "rd_ratio_3y", Sum(facts, three, "rd_expense"), Sum(facts, three, "sales_revenue"));
  SetRatio(out, "domestic_rd_ratio_3y", Sum(facts, three, "rd_expense_domestic"), Sum(facts, three, "rd_expense"));
  std::vector<double> sales_series, net_assets;
  bool sales_ok = !three.empty(), assets_ok = !three.empty();
  for (int y : three) {
    std::optional<int64_t> s = Field(facts, y, "sales_revenue");
    std::optional<int64_t> a = Field(facts, y, "total_assets"), l = Field(facts, y, "total_liabilities");
    if (s)
      sales_series.push_back(static_cast<double>(*s));
    else
      sales_ok = false;
    if (a && l)
      net_assets.push_back(static_cast<double>(*a - *l));
    else
      assets_ok = false;
  }
  if (sales_ok) out.Set("sales_growth", GrowthRate(sales_series));
  if (assets_ok) out.Set("net_asset_growth", GrowthRate(net_assets));
  for (const char* flag : {"major_accident", "serious_research_misconduct"}) {
    if (std::optional<bool> any = AnyTrue(facts, three, flag)) out.SetBool(std::string(flag) + "_3y", *any);
  }
}

void FourYearMetrics(const EnterpriseFacts& facts, int year, const std::optional<absl::CivilDay>& registered,
                     rules::MapMetricSource& out) {
  // Four years (瞪羚 G3 placeholder) and the two-year revenue CAGR (G5 placeholder).
  std::vector<int> four = OperatingYears(year - 3, year, registered);
  if (!four.empty()) {
    double total = 0;
    bool ok = true;
    for (int y : four) {
      std::optional<int64_t> rd = Field(facts, y, "rd_expense"), s = Field(facts, y, "sales_revenue");
      if (!rd || !s || *s <= 0) {
        ok = false;
        break;
      }
      total += static_cast<double>(*rd) / static_cast<double>(*s);
    }
    if (ok) out.Set("sti_intensity_avg_4y", total / static_cast<double>(four.size()));
  }
  std::optional<int64_t> s0 = Field(facts, year - 2, "sales_revenue"), s2 = Field(facts, year, "sales_revenue");
  if (s0 && s2 && *s0 > 0) {
    out.Set("revenue_cagr_2y", std::sqrt(static_cast<double>(*s2) / static_cast<double>(*s0)) - 1);
  }
}

}  // namespace

rules::MapMetricSource ComputeMetrics(const EnterpriseFacts& facts, int year, absl::CivilDay as_of,
                                      int hte_validity_years) {
  rules::MapMetricSource out;
  std::optional<absl::CivilDay> registered = ParseDate(facts.registration_date);
  IdentityMetrics(facts, year, as_of, hte_validity_years, registered, out);
  FilingMetrics(facts, year, out);
  ThreeYearMetrics(facts, year, registered, out);
  FourYearMetrics(facts, year, registered, out);
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
