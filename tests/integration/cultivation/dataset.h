// A realistic, deterministic data set of Dongli enterprises for the cultivation tests and bench: enterprises
// across the district's streets and parks with three years of filings (CSV in the import format).
// Header-only so that bench/cultivation can use it without a library.
#ifndef STIP_TESTS_INTEGRATION_CULTIVATION_DATASET_H_
#define STIP_TESTS_INTEGRATION_CULTIVATION_DATASET_H_

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/cultivation/domain/csv.h"
#include "services/cultivation/domain/filing.h"
#include "services/cultivation/domain/uscc.h"

namespace stip::cultivation::dataset {

inline const std::vector<std::string>& OrgUnits() {
  static const auto* units = new std::vector<std::string>{
      "huaming", "donglihu",   "linkong",  "jingkaiqu",     "zhangguizhuang", "fengniancun", "wanxin", "wuxia",
      "xinli",   "huamingjie", "jinzhong", "junliangcheng", "jinqiao",        "donglihujie", "huaxin"};
  return *units;
}

// The i-th enterprise's USCC: Dongli's division code 120110 and a check character that is right.
inline std::string UsccOf(int i) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string body = "91120110";
  uint64_t n = static_cast<uint64_t>(i) * 2654435761ULL + 12345;
  for (int k = 0; k < 9; ++k) {
    body.push_back(kDigits[n % 31]);
    n /= 31;
  }
  body[8] = 'M';  // keeps the generated codes apart from real ones
  body[9] = 'A';
  body.push_back(*UsccCheckCharacter(body));
  return body;
}

struct Options {
  int enterprises = 3000;
  int first_year = 2019;
  int last_year = 2021;
  uint32_t seed = 20210223;  // 东丽政发〔2021〕5号
};

// Streams the enterprise CSV and the filing CSV (header first) line by line.
inline void Generate(const Options& options, const std::function<void(std::string)>& enterprise_sink,
                     const std::function<void(std::string)>& filing_sink) {
  std::mt19937 random(options.seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(random); };
  auto chance = [&](double p) { return uniform(0, 1) < p; };
  static const char* kIndustries[] = {"智能制造",       "高端装备制造", "医疗器械",   "生物医药", "新材料", "新能源",
                                      "新一代汽车技术", "航空航天",     "科技服务业", "电子信息", "其他"};
  static const char* kFields[] = {"电子信息",   "生物与新医药", "航空航天",   "新材料",
                                  "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化"};
  enterprise_sink(CsvLine({"统一社会信用代码", "企业名称", "注册日期", "所属街道园区", "行业", "技术领域",
                           "状态"}) /* the first edition's 7 columns still import */);
  filing_sink(CsvTemplate(CsvKindCode::kFilings));
  const auto& fields = FilingFields();
  for (int i = 0; i < options.enterprises; ++i) {
    std::string uscc = UsccOf(i);
    int reg_year = options.last_year - static_cast<int>(uniform(0, 15));
    std::string registered = absl::StrFormat("%04d-%02d-%02d", reg_year, 1 + i % 12, 1 + i % 28);
    bool tech = chance(0.7);
    enterprise_sink(CsvLine({uscc, absl::StrCat("东丽测试企业", i, "有限公司"), registered,
                             OrgUnits()[static_cast<size_t>(i) % OrgUnits().size()], kIndustries[i % 11],
                             tech ? kFields[i % 8] : "", "存续"}));
    // Size: most are small; a few large ones reach the 瞪羚/领军 placeholders.
    double scale = std::pow(10.0, uniform(5.5, tech && chance(0.05) ? 9.2 : 8.0));
    double growth = uniform(-0.1, 0.6);
    double rd_share = tech ? uniform(0.01, 0.12) : uniform(0.0, 0.02);
    int64_t staff = static_cast<int64_t>(5 + uniform(0, 1) * std::min(600.0, scale / 4e5));
    bool hte = tech && chance(0.25);
    std::string hte_issue =
        absl::StrFormat("%04d-%02d-15", options.last_year - static_cast<int>(uniform(0, 3)), 1 + i % 12);
    for (int year = std::max(options.first_year, reg_year); year <= options.last_year; ++year) {
      double sales = scale * std::pow(1 + growth, year - options.first_year);
      FilingData d;
      d["sales_revenue"] = static_cast<int64_t>(sales);
      d["total_cost_expense"] = static_cast<int64_t>(sales * uniform(0.7, 0.95));
      int64_t rd = static_cast<int64_t>(sales * rd_share);
      d["rd_expense"] = rd;
      d["rd_expense_domestic"] = static_cast<int64_t>(static_cast<double>(rd) * uniform(0.5, 1.0));
      d["total_staff"] = staff;
      d["sci_tech_staff"] =
          static_cast<int64_t>(static_cast<double>(staff) * (tech ? uniform(0.05, 0.5) : uniform(0, 0.1)));
      d["hightech_revenue"] = static_cast<int64_t>(sales * (tech ? uniform(0.3, 0.95) : 0.0));
      d["total_assets"] = static_cast<int64_t>(sales * uniform(0.8, 1.6));
      d["total_liabilities"] = static_cast<int64_t>(sales * uniform(0.2, 0.7));
      d["class1_ip_count"] = static_cast<int64_t>(tech && chance(0.4) ? uniform(1, 6) : 0);
      d["class2_ip_count"] = static_cast<int64_t>(tech ? uniform(0, 12) : uniform(0, 2));
      if (chance(0.1)) d["max_single_venture_investment"] = static_cast<int64_t>(uniform(2e5, 5e6));
      d["results_converted"] = static_cast<int64_t>(uniform(0, 6));
      if (hte) d["hte_cert_issue_date"] = hte_issue;
      for (const char* flag :
           {"software_enterprise_cert", "software_product_cert", "competition_award", "st_award", "st_award_top3_5y",
            "rd_institution", "standard_participation", "standard_led_5y", "st_plan_project", "tianjin_hte_cert"}) {
        d[flag] = tech && chance(0.08);
      }
      d["core_ip_support"] = tech && chance(0.8);
      d["independent_legal_person"] = true;
      for (const char* flag : {"serious_research_misconduct", "abnormal_operation_list", "serious_dishonest_list",
                               "major_accident", "prohibited_catalogue"}) {
        d[flag] = chance(0.01);
      }
      d["listed_company"] = scale > 3e8 && chance(0.3);
      if (tech) {
        d["hte_score_ip"] = static_cast<int64_t>(uniform(10, 30));
        d["hte_score_conversion"] = static_cast<int64_t>(uniform(8, 30));
        d["hte_score_org"] = static_cast<int64_t>(uniform(6, 20));
      }
      if (chance(0.03)) d.erase("sales_revenue");  // some filings are incomplete: missing, not zero
      std::vector<std::string> row{uscc, absl::StrCat(year)};
      for (const FilingField& field : fields) {
        auto it = d.find(field.key);
        row.push_back(it == d.end() ? std::string() : FieldText(it->second));
      }
      filing_sink(CsvLine(row));
    }
  }
}

}  // namespace stip::cultivation::dataset

#endif  // STIP_TESTS_INTEGRATION_CULTIVATION_DATASET_H_
