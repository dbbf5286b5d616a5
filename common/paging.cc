#include "common/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"

namespace stip {
namespace {

std::string Fingerprint(absl::string_view query) {
  // Stable across processes (absl::Hash is not), so tokens survive restarts.
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : query) hash = (hash ^ c) * 1099511628211ULL;
  return absl::StrCat(absl::Hex(hash));
}

}  // namespace

absl::StatusOr<PageRequest> ParsePage(int page_size, absl::string_view page_token, absl::string_view query) {
  PageRequest page;
  if (page_size < 0) return InvalidField("page_size", "page_size must not be negative");
  page.size = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  if (page_token.empty()) return page;
  std::string decoded;
  std::vector<std::string> parts;
  if (absl::WebSafeBase64Unescape(page_token, &decoded)) parts = absl::StrSplit(decoded, ':');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &page.offset) || page.offset < 0) {
    return InvalidField("page_token", "page_token is not one this service issued");
  }
  if (parts[1] != Fingerprint(query)) {
    return InvalidField("page_token", "page_token belongs to a different query; repeat the same filters");
  }
  return page;
}

std::string NextPageToken(const PageRequest& page, int returned, absl::string_view query) {
  if (returned < page.size) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(page.offset + returned, ":", Fingerprint(query)));
}

std::string PageQuery(std::initializer_list<absl::string_view> parts) {
  return absl::StrJoin(parts, "|");
}

}  // namespace stip
