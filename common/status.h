// Turns domain errors into gRPC statuses a park officer can act on, with google.rpc.BadRequest details.
#ifndef STIP_COMMON_STATUS_H_
#define STIP_COMMON_STATUS_H_

#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace stip {

// Collects field-level violations of one request; ToStatus() is OK when there are none.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  // INVALID_ARGUMENT with `message` (or the first violation when empty) and a BadRequest payload.
  absl::Status ToStatus(absl::string_view message = "") const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidField(std::string field, std::string description);

// The payload type URL under which BadRequest details travel inside absl::Status.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

// absl::Status (with payloads) → grpc::Status carrying a serialized google.rpc.Status in error details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The field violations carried by a grpc::Status, as (field, description) pairs; for tests and the gateway.
std::vector<std::pair<std::string, std::string>> FieldViolationsOf(const grpc::Status& status);

}  // namespace stip

#endif  // STIP_COMMON_STATUS_H_
