#include "services/evaluation/domain/access_policy.h"

#include "absl/strings/str_cat.h"

namespace stip::evaluation {

absl::Status AccessPolicy::CanRead(const Caller& caller, absl::string_view carrier_id) {
  if (caller.role != Role::kPark || caller.org_unit == carrier_id) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("载体运营账号只能查看本载体 (an operator account for '",
                                                  caller.org_unit, "' cannot read carrier '", carrier_id, "')"));
}

absl::Status AccessPolicy::CanOperate(const Caller& caller, absl::string_view carrier_id) {
  switch (caller.role) {
    case Role::kAdmin:
    case Role::kBureau: return absl::OkStatus();
    case Role::kPark:
      if (caller.org_unit == carrier_id) return absl::OkStatus();
      return absl::PermissionDeniedError(absl::StrCat("载体运营账号只能填报本载体 (an operator account for '",
                                                      caller.org_unit, "' cannot write carrier '", carrier_id, "')"));
    case Role::kViewer: break;
  }
  return absl::PermissionDeniedError("只读账号不能填报 (viewer accounts are read only)");
}

absl::Status AccessPolicy::CanManage(const Caller& caller) {
  if (caller.role == Role::kAdmin || caller.role == Role::kBureau) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "此操作须由区科技局等职能部门账号办理 (registering carriers, level grants, assessments and performance "
      "evaluations need a bureau or admin account)");
}

absl::Status AccessPolicy::CanPublish(const Caller& caller) {
  if (caller.role == Role::kAdmin) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "发布评价标准新版本须由管理员办理 (publishing a new version needs an admin account)");
}

}  // namespace stip::evaluation
