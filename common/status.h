// Domain errors a park officer can act on: field-level violations carried inside absl::Status, with no gRPC
// (common/grpc_status.h turns them into google.rpc.BadRequest at the RPC edge).
#ifndef STIP_COMMON_STATUS_H_
#define STIP_COMMON_STATUS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stip {

using FieldViolationList = std::vector<std::pair<std::string, std::string>>;

// Collects field-level violations of one request; ToStatus() is OK when there are none.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  // INVALID_ARGUMENT with `message` (or the first violation when empty) and the violations as a payload.
  absl::Status ToStatus(absl::string_view message = "") const;

 private:
  FieldViolationList violations_;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(std::string field, std::string description);

// The payload type URL under which field violations travel inside absl::Status (domain encoding).
inline constexpr absl::string_view kFieldViolationsTypeUrl = "type.stip/field_violations";

// The (field, description) pairs a status carries; empty when it has none.
FieldViolationList FieldViolationsIn(const absl::Status& status);

// The same status with each violation's field under `prefix` ("year" → "alerts.year"): for a request nested in
// another, so the field path names what the client sent.
absl::Status WithFieldPrefix(const absl::Status& status, absl::string_view prefix);

// NOT_FOUND with the one wording every service uses: "未找到<what> (not found): <name>".
absl::Status NotFound(absl::string_view what, absl::string_view name);

// PERMISSION_DENIED with the reason a park officer reads.
absl::Status PermissionDenied(absl::string_view why);

}  // namespace stip

#endif  // STIP_COMMON_STATUS_H_
