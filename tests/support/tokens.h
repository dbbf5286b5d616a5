// Tokens for integration tests: what `scripts/stip token` mints, signed with the test's own secret.
#ifndef STIP_TESTS_SUPPORT_TOKENS_H_
#define STIP_TESTS_SUPPORT_TOKENS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"

namespace stip::testing {

// An HS256 token valid for an hour; the subject defaults to "<role>-<org unit>".
inline std::string TestToken(const std::string& secret, Role role, const std::string& org_unit = "",
                             const std::string& subject = "") {
  TokenClaims claims;
  claims.subject = subject.empty() ? absl::StrCat(RoleName(role), "-", org_unit) : subject;
  claims.role = role;
  claims.org_unit = org_unit;
  claims.expires = absl::Now() + absl::Hours(1);
  return *MintHs256Token(claims, secret);
}

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_TOKENS_H_
