// Bearer-token verification with a small cache of verified tokens (until their expiry), so the hot path does
// not re-check an HMAC and parse JSON on every request.
#ifndef STIP_GATEWAY_TOKEN_CACHE_H_
#define STIP_GATEWAY_TOKEN_CACHE_H_

#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth.h"

namespace stip::gateway {

class TokenCache {
 public:
  explicit TokenCache(const TokenVerifier* verifier, size_t capacity = 10000)
      : verifier_(verifier), capacity_(capacity) {}

  // Errors are UNAUTHENTICATED (from TokenVerifier).
  absl::StatusOr<Caller> Verify(absl::string_view authorization);

 private:
  struct Entry {
    Caller caller;
    absl::Time expires;
  };
  const TokenVerifier* verifier_;
  size_t capacity_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

// The "exp" claim of a JWT (not verified here), or InfinitePast when absent or unreadable.
absl::Time TokenExpiry(absl::string_view authorization);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_TOKEN_CACHE_H_
