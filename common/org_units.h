// The district's org-unit tree (district, bureaus, streets, parks) as the plan files under data/plans/ list it.
#ifndef STIP_COMMON_ORG_UNITS_H_
#define STIP_COMMON_ORG_UNITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace stip {

struct OrgUnitRecord {
  std::string code;          // kjj, huaming …
  std::string display_name;  // 区科技局, 华明高新区 …
  std::string kind;          // DISTRICT, BUREAU, STREET, PARK
  std::string parent;        // code; empty for the district
};

// The "org_units" of every plan file in `plans_dir`, each code once (the first file that names it wins).
absl::StatusOr<std::vector<OrgUnitRecord>> LoadOrgUnits(const std::string& plans_dir);

}  // namespace stip

#endif  // STIP_COMMON_ORG_UNITS_H_
