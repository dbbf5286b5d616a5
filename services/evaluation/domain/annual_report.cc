#include "services/evaluation/domain/annual_report.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"

namespace stip::evaluation {
namespace {

using Json = nlohmann::json;

std::string Label(const FigureDef& def) {
  return absl::StrCat(def.zh, "（", def.name, "）");
}

}  // namespace

const std::vector<FigureDef>& Figures() {
  static const std::vector<FigureDef> kFigures = {
      {"total_area_m2", "总面积", FigureType::kArea},
      {"incubation_area_m2", "孵化场地面积", FigureType::kArea},
      {"incubatee_area_m2", "在孵企业使用面积（含公共服务面积）", FigureType::kArea},
      {"public_service_area_m2", "公共办公和服务面积", FigureType::kArea},
      {"workstations", "工位数", FigureType::kCount},
      {"premises_owned", "自有场地", FigureType::kBool},
      {"lease_years", "租赁场地租期", FigureType::kYears},
      {"incubatees", "在孵企业（团队）数", FigureType::kCount},
      {"new_incubatees", "当年新增在孵企业", FigureType::kCount},
      {"graduated", "当年毕业企业", FigureType::kCount},
      {"cumulative_graduates", "累计毕业企业", FigureType::kCount},
      {"financed_incubatees", "当年获投融资的在孵企业", FigureType::kCount},
      {"fund_size_yuan", "孵化基金规模", FigureType::kMoney},
      {"fund_use_cases", "基金使用案例", FigureType::kCount},
      {"total_staff", "运营机构从业人员", FigureType::kCount},
      {"professional_staff", "专业孵化服务人员", FigureType::kCount},
      {"mentors", "创业导师", FigureType::kCount},
      {"events", "创新创业活动", FigureType::kCount},
      {"incubatees_with_patent_applications", "有专利申请的在孵企业", FigureType::kCount},
      {"incubatees_with_valid_ip", "拥有有效知识产权的在孵企业", FigureType::kCount},
      {"makers_served", "服务创客", FigureType::kCount},
      {"startup_projects", "培育创业项目", FigureType::kCount},
      {"jobs_created", "吸纳就业", FigureType::kCount},
      {"teams_signed", "当年签约入驻团队和企业", FigureType::kCount},
      {"new_companies_registered", "当年新注册企业", FigureType::kCount},
      {"typical_cases", "典型案例", FigureType::kCount},
      {"statistics_reported", "当年报送火炬统计", FigureType::kBool},
      {"statistics_years", "连续报送统计年数", FigureType::kYears},
      {"main_industry_share", "同一产业领域在孵企业占比", FigureType::kRatio},
      {"public_tech_platform", "自有公共技术服务平台", FigureType::kBool},
      {"partner_links", "与高校院所、服务机构合作", FigureType::kBool},
      {"operating_revenue_yuan", "运营机构总收入", FigureType::kMoney},
      {"incubatee_revenue_yuan", "在孵企业总收入", FigureType::kMoney},
  };
  return kFigures;
}

const FigureDef* FindFigure(absl::string_view name) {
  for (const FigureDef& def : Figures()) {
    if (name == def.name) return &def;
  }
  return nullptr;
}

double AnnualReport::Get(absl::string_view name) const {
  auto it = figures.find(std::string(name));
  return it == figures.end() ? 0 : it->second;
}

std::vector<Violation> ValidateReport(const AnnualReport& report) {
  std::vector<Violation> out;
  auto field = [](absl::string_view name) { return absl::StrCat("report.", name); };
  if (report.year < 2000 || report.year > 2100) {
    out.push_back({"report.year", "请填写报告年度，如 2021 (year must be 2000–2100)"});
  }
  for (const auto& [name, value] : report.figures) {
    const FigureDef* def = FindFigure(name);
    if (def == nullptr) {
      out.push_back({field(name), "未知的报表项 (unknown figure)"});
      continue;
    }
    if (!std::isfinite(value)) {
      out.push_back({field(name), absl::StrCat(Label(*def), "必须是有限数值 (must be a finite number)")});
      continue;
    }
    if (value < 0) {
      out.push_back({field(name), absl::StrCat(Label(*def), "不能为负数 (must not be negative)")});
      continue;
    }
    switch (def->type) {
      case FigureType::kCount:
      case FigureType::kMoney:
        if (value != std::floor(value))
          out.push_back({field(name), absl::StrCat(Label(*def), "必须是整数 (must be a whole number)")});
        break;
      case FigureType::kRatio:
        if (value > 1)
          out.push_back({field(name), absl::StrCat(Label(*def), "是0–1之间的比例 (a share between 0 and 1)")});
        break;
      case FigureType::kBool:
        if (value != 0 && value != 1)
          out.push_back({field(name), absl::StrCat(Label(*def), "只能是是或否 (true or false)")});
        break;
      case FigureType::kArea:
      case FigureType::kYears: break;
    }
  }
  auto at_most = [&](const char* part, const char* whole, const char* why) {
    const FigureDef* p = FindFigure(part);
    const FigureDef* w = FindFigure(whole);
    double a = report.Get(part), b = report.Get(whole);
    if (a > b && a >= 0 && b >= 0) {
      out.push_back({field(part), absl::StrCat(Label(*p), " ", a, " 不能大于", Label(*w), " ", b, " (", why, ")")});
    }
  };
  at_most("incubation_area_m2", "total_area_m2", "incubation area cannot exceed the total area");
  at_most("incubatee_area_m2", "incubation_area_m2", "incubatee area cannot exceed the incubation area");
  at_most("public_service_area_m2", "total_area_m2", "public service area cannot exceed the total area");
  at_most("new_incubatees", "incubatees", "new incubatees are part of the incubatees");
  at_most("graduated", "incubatees", "graduates cannot exceed the incubatees");
  at_most("graduated", "cumulative_graduates", "this year's graduates are part of the cumulative graduates");
  at_most("financed_incubatees", "incubatees", "financed incubatees are part of the incubatees");
  at_most("incubatees_with_patent_applications", "incubatees", "a subset of the incubatees");
  at_most("incubatees_with_valid_ip", "incubatees", "a subset of the incubatees");
  at_most("professional_staff", "total_staff", "professional staff are part of the staff");
  if (report.Get("statistics_reported") == 1 && report.Get("statistics_years") < 1) {
    out.push_back({field("statistics_years"),
                   "当年已报送统计时连续报送年数至少为1 (at least 1 when this year's statistics were reported)"});
  }
  if (report.Get("statistics_years") > 0 &&
      report.Get("statistics_years") != std::floor(report.Get("statistics_years"))) {
    out.push_back({field("statistics_years"), "连续报送年数必须是整数 (must be a whole number)"});
  }
  if (report.summary.size() > static_cast<size_t>(kMaxSummaryBytes)) {
    out.push_back({"report.summary", absl::StrCat("年度总结不能超过", kMaxSummaryBytes, "字节 (summary too long)")});
  }
  return out;
}

std::string FiguresToJson(const std::map<std::string, double>& figures) {
  Json out = Json::object();
  for (const auto& [name, value] : figures) out[name] = value;
  return out.dump();
}

std::map<std::string, double> FiguresFromJson(absl::string_view text) {
  std::map<std::string, double> out;
  Json json = Json::parse(text.begin(), text.end(), nullptr, false);
  if (!json.is_object()) return out;
  for (const auto& [name, value] : json.items()) {
    if (value.is_number()) out[name] = value.get<double>();
  }
  return out;
}

CarrierMetrics::CarrierMetrics(const Carrier& carrier, const AnnualReport& report) {
  // Exact from here on (criteria.md, conventions 2): a figure is read as the decimal it was entered as.
  auto figure = [&](const char* name) { return rules::Rational::FromDouble(report.Get(name)); };
  auto set = [&](const std::string& name, rules::Rational value) { values_[name] = rules::Number(value); };
  for (const FigureDef& def : Figures()) set(def.name, figure(def.name));
  auto set_bool = [&](const char* name, bool value) { set(name, rules::Rational(value ? 1 : 0)); };
  auto ratio = [&](const char* name, const char* numerator, const char* denominator, int64_t scale = 1) {
    rules::Rational whole = figure(denominator);
    if (whole > rules::Rational(0)) set(name, figure(numerator) / whole * rules::Rational(scale));
  };
  set_bool("independent_legal_person", carrier.independent_legal_person);
  set_bool("registered_in_tianjin", carrier.registered_in_tianjin);
  set_bool("in_dongli", carrier.in_dongli);
  set_bool("is_specialized", carrier.kind == CarrierKind::kSpecializedIncubator);
  set_bool("has_university", !carrier.university.empty());
  set_bool("is_university_space", carrier.kind == CarrierKind::kMakerspace && !carrier.university.empty());
  CarrierLevel level = LevelAt(carrier, report.year);
  set_bool("municipal_level_held", static_cast<int>(level) >= static_cast<int>(CarrierLevel::kMunicipal));
  // Operating time from the start date to the end of the report year, in years of 365.25 days.
  if (IsDate(carrier.established_date)) {
    int y = 0, m = 0, d = 0;
    absl::string_view date = carrier.established_date;
    if (absl::SimpleAtoi(date.substr(0, 4), &y) && absl::SimpleAtoi(date.substr(5, 2), &m) &&
        absl::SimpleAtoi(date.substr(8, 2), &d)) {
      absl::CivilDay start(y, m, d), end(report.year, 12, 31);
      int64_t days = end >= start ? (end - start) + 1 : 0;
      set("operating_years", rules::Rational::Of(days * 4, 1461));
      set("operating_months", rules::Rational::Of(days * 48, 1461));
    }
  }
  set("premises_secure_years", report.Get("premises_owned") == 1 ? rules::Rational(99) : figure("lease_years"));
  ratio("incubatee_area_share", "incubatee_area_m2", "incubation_area_m2");
  ratio("public_area_share", "public_service_area_m2", "total_area_m2");
  ratio("financed_incubatee_share", "financed_incubatees", "incubatees");
  ratio("professional_staff_ratio", "professional_staff", "total_staff");
  ratio("professional_staff_per_10_incubatees", "professional_staff", "incubatees", 10);
  ratio("mentors_per_10_incubatees", "mentors", "incubatees", 10);
  ratio("incubatees_per_1000m2", "incubatees", "incubation_area_m2", 1000);
  ratio("patent_application_share", "incubatees_with_patent_applications", "incubatees");
  ratio("valid_ip_share", "incubatees_with_valid_ip", "incubatees");
  ratio("graduation_rate", "graduated", "incubatees");
  ratio("jobs_per_incubatee", "jobs_created", "incubatees");
  ratio("revenue_per_incubatee_yuan", "incubatee_revenue_yuan", "incubatees");
}

std::optional<rules::Value> CarrierMetrics::Get(absl::string_view metric) const {
  auto it = values_.find(metric);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace stip::evaluation
