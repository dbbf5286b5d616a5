#include "absl/time/clock.h"
#include "common/auth.h"
#include "gateway/gateway.h"
#include "gateway/token_cache.h"
#include "gtest/gtest.h"

namespace stip::gateway {
namespace {

TEST(CacheReadsTest, ParsesTheReadMap) {
  auto reads = ParseReads("indicators=indicators+cultivation, cultivation=cultivation");
  ASSERT_TRUE(reads.ok()) << reads.status();
  EXPECT_EQ((*reads)["indicators"], (std::vector<std::string>{"indicators", "cultivation"}));
  EXPECT_EQ((*reads)["cultivation"], std::vector<std::string>{"cultivation"});
  EXPECT_FALSE(ParseReads("indicators").ok());
  EXPECT_FALSE(ParseReads("=x").ok());
}

TEST(CacheReadsTest, IndicatorsReadTheOtherServicesByDefault) {
  auto reads = DefaultReads();
  EXPECT_EQ(reads["indicators"], (std::vector<std::string>{"indicators", "cultivation", "evaluation"}));
  auto routes = RouteTable::FromGeneratedPool("stip.");
  ASSERT_TRUE(routes.ok());
  std::vector<std::string> collections = Gateway::Collections(*routes, reads);
  for (const char* name : {"indicators", "cultivation", "evaluation"}) {
    EXPECT_NE(std::find(collections.begin(), collections.end(), name), collections.end()) << name;
  }
}

class TokenCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuthConfig config;
    config.hs256_secret = std::string(40, 's');
    verifier_ = *TokenVerifier::Create(config);
  }
  std::string Token(absl::Time expires, Role role = Role::kPark, std::string org = "huaming") {
    TokenClaims claims;
    claims.subject = "u1";
    claims.role = role;
    claims.org_unit = std::move(org);
    claims.expires = expires;
    return "Bearer " + *MintHs256Token(claims, std::string(40, 's'));
  }
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(TokenCacheTest, VerifiesAndRemembersUntilExpiry) {
  TokenCache cache(verifier_.get());
  absl::Time expires = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  std::string token = Token(expires);
  EXPECT_EQ(TokenExpiry(token), expires);
  for (int i = 0; i < 2; ++i) {
    auto caller = cache.Verify(token);
    ASSERT_TRUE(caller.ok()) << caller.status();
    EXPECT_EQ(caller->role, Role::kPark);
    EXPECT_EQ(caller->org_unit, "huaming");
  }
}

TEST_F(TokenCacheTest, RejectsBadAndExpiredTokens) {
  TokenCache cache(verifier_.get());
  EXPECT_EQ(cache.Verify("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(cache.Verify("Bearer x.y.z").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(cache.Verify(Token(absl::Now() - absl::Hours(2))).status().code(), absl::StatusCode::kUnauthenticated);
  std::string token = Token(absl::Now() + absl::Hours(1));
  char& c = token[token.size() - 5];  // a bad signature (not the last character: its low bits are padding)
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(cache.Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(TokenExpiry("Bearer nonsense"), absl::InfinitePast());
}

}  // namespace
}  // namespace stip::gateway
