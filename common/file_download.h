// A computed file (a report as CSV or .xlsx) streamed as google.api.HttpBody through the RPC runtime: authenticated
// when the call starts, logged and measured when it ends, in 64 KiB messages, the first naming the content type
// and the file (stip.type.v1.DownloadFile, which the gateway turns into Content-Disposition).
#ifndef STIP_COMMON_FILE_DOWNLOAD_H_
#define STIP_COMMON_FILE_DOWNLOAD_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/caller.h"
#include "common/tables/table_file.h"
#include "google/api/httpbody.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace stip {

class RpcRuntime;

// `make` runs once, for an authenticated caller, before the first message; its error ends the call.
grpc::ServerWriteReactor<google::api::HttpBody>* NewFileDownload(
    const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method,
    const std::function<absl::StatusOr<TableBytes>(const Caller&)>& make);

}  // namespace stip

#endif  // STIP_COMMON_FILE_DOWNLOAD_H_
