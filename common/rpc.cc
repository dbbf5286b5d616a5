#include "common/rpc.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "common/telemetry.h"

namespace stip {
namespace {

std::string Metadata(const grpc::CallbackServerContext* context, absl::string_view key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

std::string NewRequestId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return absl::StrCat(absl::Hex(random(), absl::kZeroPad16), absl::Hex(random(), absl::kZeroPad16));
}

}  // namespace

RpcRuntime::CallRecord RpcRuntime::Begin(grpc::CallbackServerContext* context, absl::string_view method) const {
  CallRecord record{method, absl::Now(), Metadata(context, "x-request-id"), "", absl::UnknownError("")};
  if (record.request_id.empty()) record.request_id = NewRequestId();
  // W3C traceparent: version-traceid-parentid-flags.
  std::string traceparent = Metadata(context, "traceparent");
  std::vector<absl::string_view> trace = absl::StrSplit(traceparent, '-');
  if (trace.size() == 4) record.trace_id = std::string(trace[1]);
  context->AddInitialMetadata("x-request-id", record.request_id);
  record.caller = verifier_->Verify(Metadata(context, "authorization"), record.start);
  return record;
}

void RpcRuntime::Record(const CallRecord& record, const absl::Status& status) const {
  double seconds = absl::ToDoubleSeconds(absl::Now() - record.start);
  int code = static_cast<int>(status.code());
  if (metrics_ != nullptr) metrics_->RecordRpc(record.method, code, seconds);
  std::string fields =
      absl::StrCat("\"method\":", JsonQuote(record.method), ",\"code\":", code, ",\"duration_ms\":", seconds * 1000.0,
                   ",\"request_id\":", JsonQuote(record.request_id), ",\"trace_id\":", JsonQuote(record.trace_id));
  if (record.caller.ok()) {
    absl::StrAppend(&fields, ",\"caller\":", JsonQuote(record.caller->subject),
                    ",\"role\":", JsonQuote(RoleName(record.caller->role)),
                    ",\"org_unit\":", JsonQuote(record.caller->org_unit));
  }
  if (!status.ok()) absl::StrAppend(&fields, ",\"error\":", JsonQuote(status.message()));
  LogJson(code == static_cast<int>(absl::StatusCode::kInternal) ? "error" : "info", "rpc", fields);
}

grpc::ServerUnaryReactor* RpcRuntime::Finish(grpc::CallbackServerContext* context, const CallRecord& record,
                                             const absl::Status& status) const {
  Record(record, status);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

struct StreamCall::State {
  RpcRuntime::CallRecord record;
  bool ended = false;
};

StreamCall::StreamCall(const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method)
    : runtime_(runtime), state_(new State{runtime->Begin(context, method)}) {}

StreamCall::~StreamCall() {
  if (!state_->ended) End(absl::CancelledError("the call ended before it finished"));
}

const absl::StatusOr<Caller>& StreamCall::caller() const {
  return state_->record.caller;
}

grpc::Status StreamCall::End(const absl::Status& status) {
  if (!state_->ended) runtime_->Record(state_->record, status);
  state_->ended = true;
  return ToGrpcStatus(status);
}

absl::Status RpcRuntime::Internal(const char* what) {
  LogJson("error", "handler threw", "\"what\":" + JsonQuote(what));
  return absl::InternalError("内部错误 (internal error); the request was not applied");
}

}  // namespace stip
