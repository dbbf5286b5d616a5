// Optimistic concurrency (AIP-154) the same way everywhere: etags are record versions, a mismatch is ABORTED.
#ifndef STIP_COMMON_ETAG_H_
#define STIP_COMMON_ETAG_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip {

std::string EtagOf(int64_t version);

// "" → nullopt (no precondition); "7" or "\"7\"" → 7; anything else is INVALID_ARGUMENT on `field`.
absl::StatusOr<std::optional<int64_t>> ParseEtag(absl::string_view etag, absl::string_view field = "etag");

// OK when `etag` is empty or names `version`; ABORTED "<what>已被他人修改 (etag mismatch) …" otherwise.
absl::Status CheckEtag(absl::string_view etag, int64_t version, absl::string_view what);

// The ABORTED status of a stale write to `what`, for stores that detect it inside their transaction; with the
// current version when it is known.
absl::Status EtagMismatch(absl::string_view what, std::optional<int64_t> current = std::nullopt);

}  // namespace stip

#endif  // STIP_COMMON_ETAG_H_
