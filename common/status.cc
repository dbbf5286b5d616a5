#include "common/status.h"

#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace stip {
namespace {

// Field and description contain no NUL (they are UTF-8 text), so NUL separates them.
constexpr char kSeparator = '\0';

}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

absl::Status FieldViolations::ToStatus(absl::string_view message) const {
  if (violations_.empty()) return absl::OkStatus();
  std::string payload;
  for (const auto& [field, description] : violations_) {
    absl::StrAppend(&payload, field, std::string(1, kSeparator), description, std::string(1, kSeparator));
  }
  std::string text = message.empty() ? violations_.front().second : std::string(message);
  absl::Status status = absl::InvalidArgumentError(text);
  status.SetPayload(kFieldViolationsTypeUrl, absl::Cord(payload));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations violations;
  violations.Add(std::move(field), std::move(description));
  return violations.ToStatus();
}

FieldViolationList FieldViolationsIn(const absl::Status& status) {
  FieldViolationList result;
  auto payload = status.GetPayload(kFieldViolationsTypeUrl);
  if (!payload) return result;
  std::vector<std::string> parts = absl::StrSplit(std::string(*payload), kSeparator);
  for (size_t i = 0; i + 1 < parts.size(); i += 2) result.emplace_back(parts[i], parts[i + 1]);
  return result;
}

absl::Status WithFieldPrefix(const absl::Status& status, absl::string_view prefix) {
  FieldViolationList violations = FieldViolationsIn(status);
  if (violations.empty()) return status;
  FieldViolations prefixed;
  for (auto& [field, description] : violations) prefixed.Add(absl::StrCat(prefix, ".", field), description);
  return prefixed.ToStatus(status.message());
}

absl::Status NotFound(absl::string_view what, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("未找到", what, " (not found): ", name));
}

absl::Status PermissionDenied(absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(why, " (permission denied)"));
}

}  // namespace stip
