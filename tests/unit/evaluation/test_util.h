// Shared fixtures for the evaluation unit tests: the shipped data files and a report that passes everything.
#ifndef STIP_TESTS_UNIT_EVALUATION_TEST_UTIL_H_
#define STIP_TESTS_UNIT_EVALUATION_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>

#include "services/evaluation/domain/annual_report.h"
#include "services/evaluation/domain/carrier.h"

namespace stip::evaluation::testing {

inline std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(STIP_SOURCE_DATA_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Carrier Incubator(CarrierKind kind = CarrierKind::kComprehensiveIncubator) {
  Carrier c;
  c.id = "demo-incubator";
  c.display_name = "示例孵化器";
  c.kind = kind;
  c.org_unit = "huaming";
  c.established_date = "2015-03-01";
  return c;
}

// Figures that pass every incubator criterion (national included) with some margin.
inline AnnualReport StrongReport(int year = 2021) {
  AnnualReport r;
  r.carrier_id = "demo-incubator";
  r.year = year;
  r.figures = {{"total_area_m2", 20000},
               {"incubation_area_m2", 15000},
               {"incubatee_area_m2", 12000},
               {"public_service_area_m2", 19000},
               {"workstations", 200},
               {"premises_owned", 1},
               {"incubatees", 60},
               {"new_incubatees", 15},
               {"graduated", 8},
               {"cumulative_graduates", 30},
               {"financed_incubatees", 10},
               {"fund_size_yuan", 8000000},
               {"fund_use_cases", 4},
               {"total_staff", 10},
               {"professional_staff", 9},
               {"mentors", 12},
               {"events", 30},
               {"incubatees_with_patent_applications", 35},
               {"incubatees_with_valid_ip", 25},
               {"makers_served", 160},
               {"startup_projects", 65},
               {"jobs_created", 600},
               {"teams_signed", 25},
               {"new_companies_registered", 12},
               {"typical_cases", 4},
               {"statistics_reported", 1},
               {"statistics_years", 4},
               {"main_industry_share", 0.8},
               {"public_tech_platform", 1},
               {"partner_links", 1},
               {"operating_revenue_yuan", 6000000},
               {"incubatee_revenue_yuan", 150000000}};
  return r;
}

}  // namespace stip::evaluation::testing

#endif  // STIP_TESTS_UNIT_EVALUATION_TEST_UTIL_H_
