#include "common/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace stip {

std::string EtagOf(int64_t version) {
  return absl::StrCat(version);
}

absl::StatusOr<std::optional<int64_t>> ParseEtag(absl::string_view etag, absl::string_view field) {
  if (etag.empty()) return std::optional<int64_t>();
  absl::string_view text = etag;
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  int64_t version = 0;
  if (!absl::SimpleAtoi(text, &version)) return InvalidField(std::string(field), "etag 不是本服务签发的值");
  return std::optional<int64_t>(version);
}

absl::Status EtagMismatch(absl::string_view what, std::optional<int64_t> current) {
  std::string now = current ? absl::StrCat("; current etag \"", *current, "\"") : "";
  return absl::AbortedError(absl::StrCat(what, "已被他人修改，请重新读取后再提交 (etag mismatch", now, ")"));
}

absl::Status CheckEtag(absl::string_view etag, int64_t version, absl::string_view what) {
  absl::StatusOr<std::optional<int64_t>> expected = ParseEtag(etag);
  if (!expected.ok()) return expected.status();
  if (expected->has_value() && **expected != version) return EtagMismatch(what);
  return absl::OkStatus();
}

}  // namespace stip
