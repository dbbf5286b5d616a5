#include "services/cultivation/store/cultivation_store.h"

#include "absl/time/clock.h"

namespace stip::cultivation {

int64_t NowMicros() {
  return absl::ToUnixMicros(absl::Now());
}

bool EnterpriseRecord::SameData(const EnterpriseRecord& o) const {
  return uscc == o.uscc && name == o.name && registration_date == o.registration_date && org_unit == o.org_unit &&
         industry == o.industry && tech_field == o.tech_field && status == o.status && facts == o.facts;
}

std::vector<std::string> EnterpriseRecord::ChangedColumns(const EnterpriseRecord& o) const {
  std::vector<std::string> changed;
  auto compare = [&](const char* key, bool same) {
    if (!same) changed.emplace_back(key);
  };
  compare("name", name == o.name);
  compare("registration_date", registration_date == o.registration_date);
  compare("org_unit", org_unit == o.org_unit);
  compare("industry", industry == o.industry);
  compare("tech_field", tech_field == o.tech_field);
  compare("status", status == o.status);
  compare("independent_legal_person", facts.independent_legal_person == o.facts.independent_legal_person);
  compare("resident_enterprise", facts.resident_enterprise == o.facts.resident_enterprise);
  compare("registered_in_tianjin", facts.registered_in_tianjin == o.facts.registered_in_tianjin);
  compare("prohibited_catalogue", facts.prohibited_catalogue == o.facts.prohibited_catalogue);
  return changed;
}

std::vector<std::string> FilingRecord::ChangedColumns(const FilingRecord& o) const {
  std::vector<std::string> changed;
  for (const auto& [key, value] : data) {
    auto other = o.data.find(key);
    if (other == o.data.end() || !(other->second == value)) changed.push_back(key);
  }
  for (const auto& [key, value] : o.data) {
    if (data.count(key) == 0) changed.push_back(key);
  }
  return changed;
}

}  // namespace stip::cultivation
