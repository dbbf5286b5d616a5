#include "common/caller.h"

namespace stip {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kBureau: return "bureau";
    case Role::kPark: return "park";
    case Role::kViewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(absl::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "bureau") return Role::kBureau;
  if (name == "park") return Role::kPark;
  if (name == "viewer") return Role::kViewer;
  return std::nullopt;
}

}  // namespace stip
