// AIP-158 pagination: page-size limits and opaque page tokens bound to the query that produced them.
#ifndef STIP_COMMON_PAGING_H_
#define STIP_COMMON_PAGING_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace stip {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

struct PageRequest {
  int offset = 0;
  int size = kDefaultPageSize;
};

// Validates page_size (negative → INVALID_ARGUMENT, 0 → default, capped at the max) and decodes the token.
// `query` is every other request parameter that shapes the result; a token from another query is rejected.
absl::StatusOr<PageRequest> ParsePage(int page_size, absl::string_view page_token, absl::string_view query);

// The token for the page after `page`, or "" when `returned` < page.size (the last page).
std::string NextPageToken(const PageRequest& page, int returned, absl::string_view query);

}  // namespace stip

#endif  // STIP_COMMON_PAGING_H_
