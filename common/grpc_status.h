// The RPC edge of errors: absl::Status (with domain field violations) ↔ grpc::Status carrying a serialized
// google.rpc.Status with google.rpc.BadRequest details, as grpc-gateway and Envoy expect.
#ifndef STIP_COMMON_GRPC_STATUS_H_
#define STIP_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status.h"
#include "grpcpp/support/status.h"

namespace stip {

inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

grpc::Status ToGrpcStatus(const absl::Status& status);

// The field violations carried by a grpc::Status, as (field, description) pairs; for tests and the gateway.
FieldViolationList FieldViolationsOf(const grpc::Status& status);

}  // namespace stip

#endif  // STIP_COMMON_GRPC_STATUS_H_
