#include "services/evaluation/domain/statistics.h"

namespace stip::evaluation {
namespace {

bool GrantedBetween(const Carrier& carrier, CarrierLevel level, int from, int to) {
  for (const LevelGrant& grant : carrier.levels) {
    if (grant.level == level && grant.year >= from && grant.year <= to) return true;
  }
  return false;
}

}  // namespace

CarrierStats ComputeStatistics(const std::vector<Carrier>& carriers, const std::map<std::string, Grade>& grades,
                               const std::set<std::string>& at_risk, int year, int since_year) {
  CarrierStats stats;
  stats.year = year;
  stats.since_year = since_year;
  for (const Carrier& carrier : carriers) {
    if (!carrier.in_dongli) continue;
    ++stats.carriers;
    ++stats.by_kind[carrier.kind];
    ++stats.by_level[LevelAt(carrier, year)];
    auto grade = grades.find(carrier.id);
    ++stats.by_grade[grade == grades.end() ? Grade::kNone : grade->second];
    if (at_risk.count(carrier.id) > 0) ++stats.national_status_at_risk;
    if (carrier.kind != CarrierKind::kUniversityPark) continue;
    if (GrantedBetween(carrier, CarrierLevel::kMunicipal, since_year, year)) {
      ++stats.municipal_parks;
      stats.municipal_park_ids.push_back(carrier.id);
    }
    if (GrantedBetween(carrier, CarrierLevel::kNational, since_year, year)) {
      ++stats.national_parks;
      stats.national_park_ids.push_back(carrier.id);
    }
    if (GrantedBetween(carrier, CarrierLevel::kMunicipal, 0, year)) ++stats.municipal_parks_all_time;
    if (GrantedBetween(carrier, CarrierLevel::kNational, 0, year)) ++stats.national_parks_all_time;
  }
  return stats;
}

}  // namespace stip::evaluation
