#include "gateway/token_cache.h"

#include <mutex>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {

absl::Time TokenExpiry(absl::string_view authorization) {
  absl::string_view token = authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ")) absl::ConsumePrefix(&token, "bearer ");
  token = absl::StripAsciiWhitespace(token);
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload;
  if (parts.size() != 3 || !absl::WebSafeBase64Unescape(parts[1], &payload)) return absl::InfinitePast();
  nlohmann::json claims = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims.contains("exp") || !claims["exp"].is_number()) return absl::InfinitePast();
  return absl::FromUnixSeconds(claims["exp"].get<int64_t>());
}

absl::StatusOr<Caller> TokenCache::Verify(absl::string_view authorization) {
  if (verifier_->disabled()) return verifier_->Verify(authorization, absl::Now());
  absl::Time now = absl::Now();
  std::string key(authorization);
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && now < it->second.expires) return it->second.caller;
  }
  absl::StatusOr<Caller> caller = verifier_->Verify(authorization, now);
  if (!caller.ok()) return caller;
  absl::Time expires = TokenExpiry(authorization);
  if (expires > now) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (entries_.size() >= capacity_) entries_.clear();
    entries_[key] = Entry{*caller, expires};
  }
  return caller;
}

}  // namespace stip::gateway
