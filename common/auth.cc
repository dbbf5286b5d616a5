#include "common/auth.h"

#include <jwt.h>

#include <cerrno>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/config.h"
#include "nlohmann/json.hpp"

namespace stip {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("登录凭证无效 (invalid credentials): ", why));
}

// The header's "alg", read before any verification so that a token can never choose how it is checked
// (an RS256 public key must not be accepted as an HS256 secret).
absl::StatusOr<std::string> HeaderAlgorithm(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Unauthenticated("the token is not a JWT");
  std::string header;
  if (!absl::WebSafeBase64Unescape(parts[0], &header)) return Unauthenticated("the token header is not base64url");
  nlohmann::json parsed = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("alg") || !parsed["alg"].is_string()) {
    return Unauthenticated("the token header has no algorithm");
  }
  return parsed["alg"].get<std::string>();
}

absl::StatusOr<std::string> Mint(const TokenClaims& claims, jwt_alg_t alg, absl::string_view key) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  jwt_add_grant(raw, "sub", claims.subject.c_str());
  jwt_add_grant(raw, "role", std::string(RoleName(claims.role)).c_str());
  if (!claims.org_unit.empty()) jwt_add_grant(raw, "org_unit", claims.org_unit.c_str());
  jwt_add_grant_int(raw, "iat", absl::ToUnixSeconds(absl::Now()));
  if (claims.not_before != absl::InfinitePast()) jwt_add_grant_int(raw, "nbf", absl::ToUnixSeconds(claims.not_before));
  if (claims.expires != absl::InfiniteFuture()) jwt_add_grant_int(raw, "exp", absl::ToUnixSeconds(claims.expires));
  if (jwt_set_alg(raw, alg, reinterpret_cast<const unsigned char*>(key.data()), static_cast<int>(key.size())) != 0) {
    return absl::InvalidArgumentError("cannot use this key for signing");
  }
  char* encoded = jwt_encode_str(raw);
  if (encoded == nullptr) return absl::InternalError("cannot sign the token (bad key?)");
  std::string token(encoded);
  free(encoded);
  return token;
}

}  // namespace

absl::StatusOr<AuthConfig> LoadAuthConfig(bool disabled, const std::string& hs256_secret_file,
                                          const std::string& rs256_public_key_file) {
  AuthConfig config;
  config.disabled = disabled;
  config.hs256_secret = EnvOr("STIP_AUTH_HS256_SECRET", "");
  if (!hs256_secret_file.empty()) {
    absl::StatusOr<std::string> secret = ReadFile(hs256_secret_file);
    if (!secret.ok()) return secret.status();
    config.hs256_secret = std::string(absl::StripTrailingAsciiWhitespace(*secret));
  }
  if (!rs256_public_key_file.empty()) {
    absl::StatusOr<std::string> key = ReadFile(rs256_public_key_file);
    if (!key.ok()) return key.status();
    config.rs256_public_key_pem = *key;
  }
  if (!config.disabled && config.hs256_secret.empty() && config.rs256_public_key_pem.empty()) {
    return absl::FailedPreconditionError(
        "no token key configured: set --auth_hs256_secret_file / STIP_AUTH_HS256_SECRET_FILE or "
        "--auth_rs256_public_key_file, or --auth_disabled for local development");
  }
  if (!config.hs256_secret.empty() && config.hs256_secret.size() < 32) {
    return absl::FailedPreconditionError("the HS256 secret must be at least 32 bytes");
  }
  return config;
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(AuthConfig config) {
  return std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(config)));
}

absl::StatusOr<Caller> TokenVerifier::Verify(absl::string_view authorization, absl::Time now) const {
  if (config_.disabled) return Caller{"dev", Role::kAdmin, ""};
  if (authorization.empty()) return absl::UnauthenticatedError("请先登录: missing bearer token (authorization)");
  absl::string_view token = authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ") && !absl::ConsumePrefix(&token, "bearer ")) {
    return Unauthenticated("authorization must be 'Bearer <token>'");
  }
  token = absl::StripAsciiWhitespace(token);
  absl::StatusOr<std::string> alg = HeaderAlgorithm(token);
  if (!alg.ok()) return alg.status();
  absl::string_view key;
  if (*alg == "HS256" && !config_.hs256_secret.empty()) {
    key = config_.hs256_secret;
  } else if (*alg == "RS256" && !config_.rs256_public_key_pem.empty()) {
    key = config_.rs256_public_key_pem;
  } else {
    return Unauthenticated(absl::StrCat("algorithm ", *alg, " is not accepted"));
  }
  jwt_t* raw = nullptr;
  std::string token_text(token);
  if (jwt_decode(&raw, token_text.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                 static_cast<int>(key.size())) != 0) {
    return Unauthenticated("the signature does not verify");
  }
  JwtPtr jwt(raw);
  const char* subject = jwt_get_grant(raw, "sub");
  const char* role_name = jwt_get_grant(raw, "role");
  const char* org_unit = jwt_get_grant(raw, "org_unit");
  if (subject == nullptr || *subject == '\0') return Unauthenticated("the token has no subject (sub)");
  if (role_name == nullptr) return Unauthenticated("the token has no role");
  std::optional<Role> role = ParseRole(role_name);
  if (!role) return Unauthenticated(absl::StrCat("unknown role '", role_name, "'"));
  errno = 0;
  long exp = jwt_get_grant_int(raw, "exp");
  if (errno == ENOENT) return Unauthenticated("the token has no expiry (exp)");
  if (now > absl::FromUnixSeconds(exp) + config_.allowed_skew) return Unauthenticated("the token has expired");
  errno = 0;
  long nbf = jwt_get_grant_int(raw, "nbf");
  if (errno != ENOENT && now + config_.allowed_skew < absl::FromUnixSeconds(nbf)) {
    return Unauthenticated("the token is not valid yet (nbf)");
  }
  Caller caller{subject, *role, org_unit == nullptr ? "" : org_unit};
  if ((caller.role == Role::kBureau || caller.role == Role::kPark) && caller.org_unit.empty()) {
    return Unauthenticated("bureau and park tokens must name their org_unit");
  }
  return caller;
}

absl::StatusOr<std::string> MintHs256Token(const TokenClaims& claims, absl::string_view secret) {
  return Mint(claims, JWT_ALG_HS256, secret);
}

absl::StatusOr<std::string> MintRs256Token(const TokenClaims& claims, absl::string_view private_key_pem) {
  return Mint(claims, JWT_ALG_RS256, private_key_pem);
}

}  // namespace stip
