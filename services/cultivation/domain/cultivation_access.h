// Who may see and change what in cultivation: park accounts see and write only their own org unit's
// enterprises; 入库, 培育 and 认定 are the district bureau's decisions; rule editions are published by admins.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ACCESS_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ACCESS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/caller.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {

class CultivationAccess {
 public:
  // Viewers read only.
  static absl::Status CanWrite(const Caller& caller, absl::string_view what = "修改数据");
  // A park account's filter is its own org unit; asking for another one is PERMISSION_DENIED.
  static absl::StatusOr<std::string> ScopedOrgUnit(const Caller& caller, const std::string& requested);
  // An enterprise of `org_unit` is visible to everyone but the park accounts of other units.
  static absl::Status CanSee(const Caller& caller, const std::string& uscc, const std::string& org_unit);
  // A park account registers and moves enterprises within its own unit only.
  static absl::Status CanPlace(const Caller& caller, const std::string& org_unit, bool moving);
  // 遴选 and 流失 may be proposed by a park; 入库, 培育 and 认定 are decided by the bureau.
  static absl::Status CanMoveTo(const Caller& caller, Stage to);
  static absl::Status CanPublishEditions(const Caller& caller);
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ACCESS_H_
