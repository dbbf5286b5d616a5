#include "services/indicators/domain/access_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace stip::indicators {
namespace {

bool Names(const MeasureDef& measure, absl::string_view unit) {
  return measure.lead_unit == unit || std::find(measure.responsible_units.begin(), measure.responsible_units.end(),
                                                unit) != measure.responsible_units.end();
}

absl::Status Denied(const Caller& caller, absl::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat("无权操作 (permission denied): ", caller.subject, " (", RoleName(caller.role),
                   caller.org_unit.empty() ? "" : absl::StrCat(", ", caller.org_unit), ") ", what));
}

}  // namespace

absl::Status AccessPolicy::CanReport(const Caller& caller, const MeasureDef& measure,
                                     absl::string_view org_unit) const {
  switch (caller.role) {
    case Role::kAdmin: return absl::OkStatus();
    case Role::kViewer: return Denied(caller, "has read-only access");
    case Role::kBureau:
      if (Names(measure, caller.org_unit)) return absl::OkStatus();
      return Denied(caller, absl::StrCat("is neither lead nor responsible unit of ", measure.display_name));
    case Role::kPark: {
      if (!catalog_->IsWithin(org_unit, caller.org_unit)) {
        return Denied(caller, absl::StrCat("can only report for its own unit, not ", org_unit));
      }
      if (measure.streets_and_parks_responsible || Names(measure, caller.org_unit)) return absl::OkStatus();
      return Denied(caller, absl::StrCat("is not responsible for ", measure.display_name));
    }
  }
  return Denied(caller, "has an unknown role");
}

absl::Status AccessPolicy::CanReview(const Caller& caller, const MeasureDef& measure) const {
  if (caller.IsAdmin()) return absl::OkStatus();
  if (caller.role == Role::kBureau && !measure.lead_unit.empty() && measure.lead_unit == caller.org_unit) {
    return absl::OkStatus();
  }
  return Denied(caller, absl::StrCat("is not the lead unit of ", measure.display_name,
                                     measure.lead_unit.empty() ? " (the plan names none: admins review it)" : ""));
}

absl::Status AccessPolicy::CanReopen(const Caller& caller) const {
  return caller.IsAdmin() ? absl::OkStatus() : Denied(caller, "cannot reopen approved values (admins only)");
}

bool AccessPolicy::CanRead(const Caller& caller, absl::string_view org_unit) const {
  if (caller.role != Role::kPark) return true;
  return catalog_->IsWithin(org_unit, caller.org_unit);
}

absl::Status AccessPolicy::CanTransition(const Caller& caller, const MeasureDef& measure, absl::string_view org_unit,
                                         ValueAction action) const {
  switch (action) {
    case ValueAction::kApprove:
    case ValueAction::kReject: return CanReview(caller, measure);
    case ValueAction::kReopen: return CanReopen(caller);
    default: return CanReport(caller, measure, org_unit);
  }
}

absl::Status AccessPolicy::CheckRead(const Caller& caller, absl::string_view org_unit) const {
  if (CanRead(caller, org_unit)) return absl::OkStatus();
  return absl::PermissionDeniedError("无权查看其他单位的数值 (park accounts read only their own unit)");
}

}  // namespace stip::indicators
