// The one status table of the gateway, as grpc-gateway's errors.go and Envoy's grpc_json_transcoder: gRPC code →
// HTTP status, and the google.rpc.Status JSON body of every error answer.
#ifndef STIP_GATEWAY_STATUS_TABLE_H_
#define STIP_GATEWAY_STATUS_TABLE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stip::gateway {

// gRPC code → HTTP status, as grpc-gateway's HTTPStatusFromCode and Envoy's grpcToHttpStatus.
int HttpStatusFromCode(int grpc_code);

// The google.rpc.Status JSON body: {"code":..,"message":..,"details":[..]}. `details` is a serialized
// google.rpc.Status (the grpc-status-details-bin trailer) or empty; code and message always come from the
// arguments.
std::string StatusJson(int code, absl::string_view message, absl::string_view details = "");
std::string StatusJson(const absl::Status& status);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_STATUS_TABLE_H_
