// Who is calling, as the services see it once a token is verified: subject, role and org unit.
#ifndef STIP_COMMON_CALLER_H_
#define STIP_COMMON_CALLER_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace stip {

enum class Role {
  kAdmin,   // 区科技局 system administrators
  kBureau,  // a lead or responsible unit (委办局)
  kPark,    // one street, park or carrier operator (街道园区 / 载体)
  kViewer,  // read only
};

absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

struct Caller {
  std::string subject;
  Role role = Role::kViewer;
  std::string org_unit;  // a code such as "kjj" or "huaming"; empty for admin and viewer tokens

  bool IsAdmin() const { return role == Role::kAdmin; }
  bool CanWrite() const { return role != Role::kViewer; }
};

}  // namespace stip

#endif  // STIP_COMMON_CALLER_H_
