#include "gateway/status_table.h"

#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace stip::gateway {

int HttpStatusFromCode(int grpc_code) {
  switch (grpc_code) {
    case 0: return 200;   // OK
    case 1: return 499;   // CANCELLED
    case 2: return 500;   // UNKNOWN
    case 3: return 400;   // INVALID_ARGUMENT
    case 4: return 504;   // DEADLINE_EXCEEDED
    case 5: return 404;   // NOT_FOUND
    case 6: return 409;   // ALREADY_EXISTS
    case 7: return 403;   // PERMISSION_DENIED
    case 8: return 429;   // RESOURCE_EXHAUSTED
    case 9: return 400;   // FAILED_PRECONDITION
    case 10: return 409;  // ABORTED
    case 11: return 400;  // OUT_OF_RANGE
    case 12: return 501;  // UNIMPLEMENTED
    case 13: return 500;  // INTERNAL
    case 14: return 503;  // UNAVAILABLE
    case 15: return 500;  // DATA_LOSS
    case 16: return 401;  // UNAUTHENTICATED
    default: return 500;
  }
}

std::string StatusJson(int code, absl::string_view message, absl::string_view details) {
  google::rpc::Status status;
  if (!details.empty() && status.ParseFromArray(details.data(), static_cast<int>(details.size()))) {
    // keep the details, but code and message come from the call itself
  } else {
    status.Clear();
  }
  status.set_code(code);
  status.set_message(std::string(message));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(status, &out, options).ok()) {
    status.clear_details();  // an Any of a type this binary does not know
    out.clear();
    (void)google::protobuf::util::MessageToJsonString(status, &out, options);
  }
  return out;
}

std::string StatusJson(const absl::Status& status) {
  grpc::Status wire = ToGrpcStatus(status);  // one conversion of field violations, as the services make it
  return StatusJson(static_cast<int>(status.code()), status.message(), wire.error_details());
}

}  // namespace stip::gateway
