// Who is calling: JWT bearer-token verification (HS256 or RS256) and the caller's role and org unit.
#ifndef STIP_COMMON_AUTH_H_
#define STIP_COMMON_AUTH_H_

#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/caller.h"

namespace stip {

struct AuthConfig {
  // Development only: every call runs as an admin. Logged loudly at start.
  bool disabled = false;
  std::string hs256_secret;          // shared secret; empty = HS256 not accepted
  std::string rs256_public_key_pem;  // PEM public key; empty = RS256 not accepted
  absl::Duration allowed_skew = absl::Seconds(60);
};

// Loads AuthConfig from flags/env: STIP_AUTH_DISABLED, STIP_AUTH_HS256_SECRET, STIP_AUTH_HS256_SECRET_FILE,
// STIP_AUTH_RS256_PUBLIC_KEY_FILE (flag values win when non-empty).
absl::StatusOr<AuthConfig> LoadAuthConfig(bool disabled, const std::string& hs256_secret_file,
                                          const std::string& rs256_public_key_file);

class TokenVerifier {
 public:
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(AuthConfig config);

  bool disabled() const { return config_.disabled; }
  // `authorization` is the raw metadata value ("Bearer <jwt>"). Errors are UNAUTHENTICATED.
  absl::StatusOr<Caller> Verify(absl::string_view authorization, absl::Time now) const;

 private:
  explicit TokenVerifier(AuthConfig config) : config_(std::move(config)) {}
  AuthConfig config_;
};

struct TokenClaims {
  std::string subject;
  Role role = Role::kViewer;
  std::string org_unit;
  absl::Time not_before = absl::InfinitePast();
  absl::Time expires = absl::InfiniteFuture();
};

// Signs an HS256 token; for `scripts/stip token` and tests.
absl::StatusOr<std::string> MintHs256Token(const TokenClaims& claims, absl::string_view secret);
// Signs an RS256 token with a PEM private key; for tests.
absl::StatusOr<std::string> MintRs256Token(const TokenClaims& claims, absl::string_view private_key_pem);

}  // namespace stip

#endif  // STIP_COMMON_AUTH_H_
