#include "services/cultivation/domain/cultivation_access.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace stip::cultivation {

absl::Status CultivationAccess::CanWrite(const Caller& caller, absl::string_view what) {
  if (!caller.CanWrite()) return PermissionDenied(absl::StrCat("只读账号不能", what));
  return absl::OkStatus();
}

absl::StatusOr<std::string> CultivationAccess::ScopedOrgUnit(const Caller& caller, const std::string& requested) {
  if (caller.role != Role::kPark) return requested;
  if (!requested.empty() && requested != caller.org_unit) {
    return PermissionDenied(absl::StrCat("园区账号只能查看本单位（", caller.org_unit, "）的数据"));
  }
  return caller.org_unit;
}

absl::Status CultivationAccess::CanSee(const Caller& caller, const std::string& uscc, const std::string& org_unit) {
  if (caller.role == Role::kPark && org_unit != caller.org_unit) {
    return PermissionDenied(absl::StrCat("企业 ", uscc, " 不属于本单位（", caller.org_unit, "）"));
  }
  return absl::OkStatus();
}

absl::Status CultivationAccess::CanPlace(const Caller& caller, const std::string& org_unit, bool moving) {
  if (caller.role != Role::kPark || org_unit == caller.org_unit) return absl::OkStatus();
  return PermissionDenied(moving ? std::string("园区账号不能把企业划转到其他单位")
                                 : absl::StrCat("园区账号只能登记本单位（", caller.org_unit, "）的企业"));
}

absl::Status CultivationAccess::CanMoveTo(const Caller& caller, Stage to) {
  if (caller.role == Role::kPark && (to == Stage::kPooled || to == Stage::kCertified || to == Stage::kCultivating)) {
    return PermissionDenied("入库、培育和认定须由区科技局或职能部门办理");
  }
  return absl::OkStatus();
}

absl::Status CultivationAccess::CanPublishEditions(const Caller& caller) {
  if (!caller.IsAdmin()) return PermissionDenied("只有管理员（区科技局）可以新增规则版本");
  return absl::OkStatus();
}

}  // namespace stip::cultivation
