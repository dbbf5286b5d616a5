#include "common/auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace stip {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";

struct RsaKeys {
  std::string private_pem;
  std::string public_pem;
};

RsaKeys MakeRsaKeys() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  RsaKeys keys;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  keys.private_pem.assign(data, length);
  BIO_free(bio);
  bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  length = BIO_get_mem_data(bio, &data);
  keys.public_pem.assign(data, length);
  BIO_free(bio);
  EVP_PKEY_free(key);
  return keys;
}

TokenClaims Claims(Role role, std::string org_unit = "") {
  TokenClaims claims;
  claims.subject = "officer-1";
  claims.role = role;
  claims.org_unit = std::move(org_unit);
  claims.expires = absl::Now() + absl::Hours(1);
  return claims;
}

std::unique_ptr<TokenVerifier> Verifier(std::string secret, std::string public_key = "") {
  AuthConfig config;
  config.hs256_secret = std::move(secret);
  config.rs256_public_key_pem = std::move(public_key);
  return std::move(*TokenVerifier::Create(config));
}

TEST(TokenVerifierTest, AcceptsValidHs256AndReadsClaims) {
  auto token = MintHs256Token(Claims(Role::kPark, "huaming"), kSecret);
  ASSERT_TRUE(token.ok());
  auto caller = Verifier(kSecret)->Verify("Bearer " + *token, absl::Now());
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "officer-1");
  EXPECT_EQ(caller->role, Role::kPark);
  EXPECT_EQ(caller->org_unit, "huaming");
}

TEST(TokenVerifierTest, MissingOrMalformedHeaderIsUnauthenticated) {
  auto verifier = Verifier(kSecret);
  EXPECT_EQ(verifier->Verify("", absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier->Verify("Basic abc", absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier->Verify("Bearer not.a.jwt", absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier->Verify("Bearer abc", absl::Now()).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, ExpiredBeyondSkewIsRefusedWithinSkewAccepted) {
  TokenClaims claims = Claims(Role::kAdmin);
  claims.expires = absl::Now() - absl::Seconds(30);
  auto token = *MintHs256Token(claims, kSecret);
  EXPECT_TRUE(Verifier(kSecret)->Verify("Bearer " + token, absl::Now()).ok());  // 60 s skew
  auto late = Verifier(kSecret)->Verify("Bearer " + token, absl::Now() + absl::Minutes(2));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(late.status().message().find("expired"), absl::string_view::npos);
}

TEST(TokenVerifierTest, NotYetValidIsRefused) {
  TokenClaims claims = Claims(Role::kAdmin);
  claims.not_before = absl::Now() + absl::Minutes(10);
  auto caller = Verifier(kSecret)->Verify("Bearer " + *MintHs256Token(claims, kSecret), absl::Now());
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, WrongSignatureIsRefused) {
  auto token = *MintHs256Token(Claims(Role::kAdmin), "another-secret-another-secret-another!!");
  EXPECT_EQ(Verifier(kSecret)->Verify("Bearer " + token, absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A tampered payload with the original signature.
  std::string good = *MintHs256Token(Claims(Role::kViewer), kSecret);
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  std::string payload;
  absl::WebSafeBase64Unescape(parts[1], &payload);
  payload.replace(payload.find("viewer"), 6, "admin!");
  std::string forged = absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(payload), ".", parts[2]);
  EXPECT_EQ(Verifier(kSecret)->Verify("Bearer " + forged, absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, MissingClaimsAreRefused) {
  TokenClaims no_expiry = Claims(Role::kAdmin);
  no_expiry.expires = absl::InfiniteFuture();
  EXPECT_EQ(Verifier(kSecret)->Verify("Bearer " + *MintHs256Token(no_expiry, kSecret), absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
  TokenClaims no_subject = Claims(Role::kAdmin);
  no_subject.subject = "";
  EXPECT_EQ(Verifier(kSecret)->Verify("Bearer " + *MintHs256Token(no_subject, kSecret), absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A park token must say which park.
  EXPECT_EQ(
      Verifier(kSecret)->Verify("Bearer " + *MintHs256Token(Claims(Role::kPark), kSecret), absl::Now()).status().code(),
      absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, Rs256VerifiesWithThePublicKey) {
  RsaKeys keys = MakeRsaKeys();
  auto token = MintRs256Token(Claims(Role::kBureau, "kjj"), keys.private_pem);
  ASSERT_TRUE(token.ok()) << token.status();
  auto caller = Verifier("", keys.public_pem)->Verify("Bearer " + *token, absl::Now());
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->org_unit, "kjj");
  RsaKeys other = MakeRsaKeys();
  EXPECT_EQ(Verifier("", other.public_pem)->Verify("Bearer " + *token, absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, AlgorithmNotConfiguredIsRefused) {
  RsaKeys keys = MakeRsaKeys();
  // An RS256 token when only HS256 is configured.
  auto rs_token = *MintRs256Token(Claims(Role::kAdmin), keys.private_pem);
  auto refused = Verifier(kSecret)->Verify("Bearer " + rs_token, absl::Now());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("RS256"), absl::string_view::npos);
  // The classic confusion attack: an HS256 token signed with the RS256 public key as the secret.
  auto forged = *MintHs256Token(Claims(Role::kAdmin), keys.public_pem);
  EXPECT_EQ(Verifier("", keys.public_pem)->Verify("Bearer " + forged, absl::Now()).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, DisabledModeRunsAsAdmin) {
  AuthConfig config;
  config.disabled = true;
  auto caller = (*TokenVerifier::Create(config))->Verify("", absl::Now());
  ASSERT_TRUE(caller.ok());
  EXPECT_TRUE(caller->IsAdmin());
}

TEST(LoadAuthConfigTest, RefusesToStartWithoutAKeyOrWithAShortSecret) {
  EXPECT_EQ(LoadAuthConfig(false, "", "").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(LoadAuthConfig(true, "", "").ok());
}

}  // namespace
}  // namespace stip
