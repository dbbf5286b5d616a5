#include "common/rpc.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "common/request_ledger.h"
#include "common/status.h"
#include "common/telemetry.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

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

std::string Deterministic(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

void CollectMissing(const google::protobuf::Message& message, const std::string& prefix, FieldViolations* out) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    std::string path = absl::StrCat(prefix, field->name());
    bool set = field->is_repeated() ? reflection->FieldSize(message, field) > 0 : reflection->HasField(message, field);
    const auto& behaviors = field->options().GetRepeatedExtension(google::api::field_behavior);
    if (!set && std::find(behaviors.begin(), behaviors.end(), google::api::REQUIRED) != behaviors.end()) {
      out->Add(path, absl::StrCat("缺少必填字段 ", path, " (required)"));
    }
    if (set && !field->is_repeated() && field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectMissing(reflection->GetMessage(message, field), path + ".", out);
    }
  }
}

}  // namespace

absl::Status CheckRequiredFields(const google::protobuf::Message& request) {
  FieldViolations missing;
  CollectMissing(request, "", &missing);
  return missing.ToStatus();
}

absl::Status RpcRuntime::Idempotent(absl::string_view method, const Caller& caller, const std::string& request_id,
                                    const google::protobuf::Message& fingerprint, google::protobuf::Message* response,
                                    absl::FunctionRef<absl::Status()> run) const {
  if (request_id.size() > 128) return InvalidField("request_id", "request_id 最长 128 个字符（建议使用 UUID）");
  std::string key = absl::StrCat(method, "\x1f", caller.subject, "\x1f", caller.org_unit, "\x1f", request_id);
  std::string request = Deterministic(fingerprint);
  absl::StatusOr<std::optional<RequestLedger::Entry>> seen = ledger_->Find(key);
  if (!seen.ok()) return seen.status();
  if (*seen) {
    if ((*seen)->request != request) {
      return InvalidField("request_id", "该 request_id 已用于另一份不同的请求；新的请求请使用新的 request_id");
    }
    if (!response->ParseFromString((*seen)->response)) return absl::InternalError("a remembered answer does not parse");
    return absl::OkStatus();
  }
  if (!ledger_->Claim(key)) return absl::AbortedError("同一 request_id 的请求正在处理中，请稍后重试 (in progress)");
  absl::Status status = run();
  // Remembered after the write commits. If remembering fails (or the process dies in between), the write still
  // stands and is answered as done; a retry then runs again, and a resource keyed by its name (enterprise,
  // filing, report, carrier, version) answers ALREADY_EXISTS instead of being written twice.
  if (status.ok()) {
    absl::Status kept = ledger_->Remember(key, {request, response->SerializeAsString()});
    if (!kept.ok())
      LogJson("warning", "request_id not remembered", absl::StrCat("\"error\":", JsonQuote(kept.ToString())));
  }
  ledger_->Release(key);
  return status;
}

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
