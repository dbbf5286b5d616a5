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

}  // namespace stip::cultivation
