// AIP-158 pagination: page-size limits and opaque page tokens bound to the query that produced them.
#ifndef STIP_COMMON_PAGING_H_
#define STIP_COMMON_PAGING_H_

#include <algorithm>
#include <initializer_list>
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

// The query text a page token is bound to: every filter that shapes the result, joined.
std::string PageQuery(std::initializer_list<absl::string_view> parts);

// Pages through `count` items held in memory: calls `fill(i)` for each index of the page and returns the next
// page token ("" on the last page). Lists the store pages itself use NextPageToken directly.
template <typename Fill>
std::string FillPage(int count, const PageRequest& page, absl::string_view query, Fill&& fill) {
  int end = std::min(count, page.offset + page.size);
  for (int i = page.offset; i < end; ++i) fill(i);
  return end < count ? NextPageToken(page, end - page.offset, query) : "";
}

}  // namespace stip

#endif  // STIP_COMMON_PAGING_H_
