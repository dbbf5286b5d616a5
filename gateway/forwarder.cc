#include "gateway/forwarder.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "boost/asio/post.hpp"
#include "google/api/httpbody.pb.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/message.h"
#include "stip/type/v1/criterion.pb.h"

namespace stip::gateway {
namespace {

// RFC 5987 attr-char: what filename* may carry unescaped.
std::string PercentEncodeAttr(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, absl::StrFormat("%%%02X", c));
    }
  }
  return out;
}

}  // namespace

std::string ContentDisposition(const google::api::HttpBody& body) {
  for (const google::protobuf::Any& extension : body.extensions()) {
    stip::type::v1::DownloadFile file;
    if (!extension.UnpackTo(&file) || file.filename().empty()) continue;
    std::string ascii = file.ascii_filename().empty() ? "download" : file.ascii_filename();
    ascii.erase(std::remove_if(ascii.begin(), ascii.end(), [](char c) { return c == '"' || c == '\\'; }), ascii.end());
    return absl::StrCat("attachment; filename=\"", ascii, "\"; filename*=UTF-8''", PercentEncodeAttr(file.filename()));
  }
  return "";
}

namespace {

namespace http = boost::beast::http;

std::unique_ptr<google::protobuf::Message> NewRequest(const Route& route) {
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.method->input_type());
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

void Fail(const Done& done, const absl::Status& status) {
  done(HttpStatusFromCode(static_cast<int>(status.code())), StatusJson(status));
}

// "第 n 条消息": which message of a client stream was refused.
absl::Status InMessage(const absl::Status& status, size_t index) {
  absl::Status annotated(status.code(),
                         absl::StrCat("第 ", index + 1, " 条消息 (message ", index + 1, "): ", status.message()));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { annotated.SetPayload(url, payload); });
  return annotated;
}

}  // namespace

absl::Status NotDeployed(const std::string& backend) {
  return absl::UnavailableError(absl::StrCat("服务未部署 (service '", backend, "' is not deployed)"));
}

bool Forwarder::CallOptions(const std::shared_ptr<HttpCall>& call, Backends::Metadata* metadata, absl::Time* deadline,
                            const Done& fail) const {
  bool upload = call->route->method->client_streaming();
  absl::Duration timeout = upload ? options_.upload_timeout : options_.backend_timeout;
  std::string grpc_timeout = Header(call->request, "Grpc-Timeout");
  if (!grpc_timeout.empty()) {
    absl::StatusOr<absl::Duration> parsed = ParseGrpcTimeout(grpc_timeout);
    if (!parsed.ok()) {
      Fail(fail, parsed.status());
      return false;
    }
    timeout = std::min(*parsed, upload ? options_.upload_timeout : options_.max_backend_timeout);
    if (timeout <= absl::ZeroDuration()) {  // already expired, as a zero context timeout in grpc-gateway
      Fail(fail, absl::DeadlineExceededError("请求已超时 (deadline exceeded before the call)"));
      return false;
    }
  }
  *deadline = absl::Now() + timeout;
  metadata->emplace_back("x-request-id", call->request_id);
  for (const char* name : {"authorization", "traceparent", "tracestate"}) {
    std::string value = Header(call->request, name);
    if (!value.empty()) metadata->emplace_back(name, std::move(value));
  }
  std::string forwarded = Header(call->request, "X-Forwarded-For");
  if (!call->peer.empty()) forwarded = forwarded.empty() ? call->peer : absl::StrCat(forwarded, ", ", call->peer);
  if (!forwarded.empty()) metadata->emplace_back("x-forwarded-for", forwarded);
  for (const auto& field : call->request) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    if (absl::StartsWith(name, "grpc-metadata-") && name.size() > 14) {
      metadata->emplace_back(name.substr(14), std::string(field.value()));
    }
  }
  return true;
}

void Forwarder::Unary(const std::shared_ptr<HttpCall>& call, Done done) const {
  const Route& route = *call->route;
  const Backends::Backend* backend = backends_->Find(route.backend);
  if (backend == nullptr) return Fail(done, NotDeployed(route.backend));
  std::unique_ptr<google::protobuf::Message> request = NewRequest(route);
  absl::Status built = BuildRequest(route, call->bindings, call->params, call->request.body(), request.get());
  if (!built.ok()) return Fail(done, built);
  Backends::Metadata metadata;
  absl::Time deadline;
  if (!CallOptions(call, &metadata, &deadline, done)) return;
  std::string bytes;
  request->SerializeToString(&bytes);
  const Route* route_ptr = &route;
  backends_->Call(*backend, route.grpc_path, bytes, metadata, deadline,
                  [this, route_ptr, done = std::move(done)](const grpc::Status& status, std::string response) mutable {
                    Complete(route_ptr, status, std::move(response), std::move(done));
                  });
}

void Forwarder::Complete(const Route* route, const grpc::Status& status, std::string response, Done done) const {
  metrics_->RecordBackendCall(route->backend, route->method->name(), static_cast<int>(status.error_code()));
  boost::asio::post(*work_, [this, route, status, response = std::move(response), done = std::move(done)] {
    if (!status.ok()) {
      int code = static_cast<int>(status.error_code());
      done(HttpStatusFromCode(code), StatusJson(code, status.error_message(), status.error_details()));
      return;
    }
    google::protobuf::util::JsonPrintOptions print;
    print.always_print_primitive_fields = options_.emit_unpopulated;
    absl::StatusOr<std::string> json = ResponseBytesToJson(*route, response, print);
    if (!json.ok()) return Fail(done, json.status());
    done(200, *std::move(json));
  });
}

void Forwarder::FinishWrite(const std::shared_ptr<HttpCall>& call, int http_status, std::string body) const {
  // Bumped whatever the outcome: a failed or timed-out call may still have committed.
  invalidate_(call);
  responder_->Respond(call, http_status, std::move(body), "BYPASS");
}

namespace {

// A client-streaming message over 1 MiB whose type has exactly one bytes field (an upload's chunk: ImportCsv's
// `data`) goes as several messages: the first with every other field and the first MiB, then one per MiB. A
// service's gRPC limit (4 MiB) then never refuses a file the gateway accepted (--http_max_upload_bytes).
void AppendChunked(std::unique_ptr<google::protobuf::Message> request, std::vector<std::string>* requests) {
  constexpr size_t kChunk = size_t{1} << 20;
  const google::protobuf::Descriptor* type = request->GetDescriptor();
  const google::protobuf::FieldDescriptor* bytes = nullptr;
  int count = 0;
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_BYTES && !field->is_repeated()) {
      bytes = field;
      ++count;
    }
  }
  const google::protobuf::Reflection* reflection = request->GetReflection();
  if (count != 1 || request->ByteSizeLong() <= kChunk) {
    requests->push_back(request->SerializeAsString());
    return;
  }
  std::string data = reflection->GetString(*request, bytes);
  std::unique_ptr<google::protobuf::Message> piece(request->New());
  for (size_t offset = 0; offset < data.size() || offset == 0; offset += kChunk) {
    google::protobuf::Message* out = offset == 0 ? request.get() : piece.get();
    reflection->SetString(out, bytes, data.substr(offset, kChunk));
    requests->push_back(out->SerializeAsString());
  }
}

}  // namespace

bool Forwarder::BuildStreamRequests(const std::shared_ptr<HttpCall>& call, std::vector<std::string>* requests,
                                    const Done& fail) const {
  const Route& route = *call->route;
  auto build = [&](const PathBindings& bindings, const std::vector<QueryParam>& params, absl::string_view body,
                   size_t index) -> bool {
    std::unique_ptr<google::protobuf::Message> request = NewRequest(route);
    absl::Status built = BuildRequest(route, bindings, params, body, request.get());
    if (!built.ok()) {
      Fail(fail, route.method->client_streaming() ? InMessage(built, index) : built);
      return false;
    }
    if (route.method->client_streaming()) {
      AppendChunked(std::move(request), requests);
    } else {
      requests->push_back(request->SerializeAsString());
    }
    return true;
  };
  if (!route.method->client_streaming()) return build(call->bindings, call->params, call->request.body(), 0);
  absl::StatusOr<std::vector<absl::string_view>> messages = SplitJsonSequence(call->request.body());
  if (!messages.ok()) {
    Fail(fail, messages.status());
    return false;
  }
  const PathBindings no_bindings;
  const std::vector<QueryParam> no_params;
  for (size_t i = 0; i < messages->size(); ++i) {
    bool first = i == 0;  // path and query fields go into the first message
    if (!build(first ? call->bindings : no_bindings, first ? call->params : no_params, (*messages)[i], i)) return false;
  }
  return true;
}

// Streaming RPCs, the grpc-gateway way. Client streaming: the body is a sequence of JSON objects, one request
// message each; they are all transcoded before the call starts, so a malformed one is a 400 and the backend
// sees nothing. Server streaming: newline-delimited JSON, one {"result":…} per message, written as it arrives
// (the next message is read from the backend only when the previous one is on the wire); an error before the
// first message is an ordinary mapped error response, one after it (status 200 already sent) a final
// {"error":<google.rpc.Status>} line.
void Forwarder::Stream(const std::shared_ptr<HttpCall>& call) const {
  const Route& route = *call->route;
  bool write = route.http_method != "GET";
  Done fail = [this, call, write](int status, std::string body) {
    if (write) return FinishWrite(call, status, std::move(body));
    responder_->Respond(call, status, std::move(body), "BYPASS");
  };
  if (!write) metrics_->CacheBypass();
  const Backends::Backend* backend = backends_->Find(route.backend);
  if (backend == nullptr) return Fail(fail, NotDeployed(route.backend));
  std::vector<std::string> requests;
  if (!BuildStreamRequests(call, &requests, fail)) return;
  Backends::Metadata metadata;
  absl::Time deadline;
  if (!CallOptions(call, &metadata, &deadline, fail)) return;
  const Route* route_ptr = &route;
  if (!route.method->server_streaming()) {
    backends_->ClientStream(*backend, route.grpc_path, requests, metadata, deadline,
                            [this, route_ptr, fail](const grpc::Status& status, std::string response) {
                              Complete(route_ptr, status, std::move(response), fail);
                            });
    return;
  }
  // Server streaming (and bidirectional: the request messages are all sent first, the body being complete).
  ServerStream(call, requests, metadata, deadline, fail);
}

struct Forwarder::StreamState {
  std::shared_ptr<ResponseStream> out;  // set with the first message
  int messages = 0;
  bool client_gone = false;
  std::string render_error;  // a message the gateway could not render: reported as the error
  bool file = false;         // google.api.HttpBody messages: raw bytes, not NDJSON
};

void Forwarder::ServerStream(const std::shared_ptr<HttpCall>& call, const std::vector<std::string>& requests,
                             const Backends::Metadata& metadata, absl::Time deadline, const Done& fail) const {
  auto state = std::make_shared<StreamState>();
  const Route* route = call->route;
  state->file = route->method->output_type()->full_name() == "google.api.HttpBody";
  backends_->ServerStream(
      *backends_->Find(route->backend), route->grpc_path, requests, metadata, deadline,
      [this, call, state](std::string message, Backends::Next next) {
        boost::asio::post(*work_, [this, call, state, message = std::move(message), next = std::move(next)]() mutable {
          StreamMessage(call, state, message, std::move(next));
        });
      },
      [this, call, state, route, fail](const grpc::Status& status) {
        metrics_->RecordBackendCall(route->backend, route->method->name(), static_cast<int>(status.error_code()));
        boost::asio::post(*work_, [this, call, state, status, fail] { StreamEnd(call, state, status, fail); });
      });
}

void Forwarder::StartStream(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                            const std::string& content_type, const std::string& disposition) const {
  if (call->route->http_method != "GET") invalidate_(call);  // before anything of the answer leaves
  HttpResponse head{http::status::ok, 11};
  head.set(http::field::content_type, content_type);
  if (!disposition.empty()) head.set(http::field::content_disposition, disposition);
  head.set("X-Request-Id", call->request_id);
  head.set("X-Cache", "BYPASS");
  SetCorsHeaders(*call, &head);
  head.keep_alive(call->request.keep_alive());
  StreamReply start = std::move(call->stream_reply);
  state->out = start(std::move(head));
}

void Forwarder::StreamMessage(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                              const std::string& message, Backends::Next next) const {
  std::string piece;
  if (state->file) {
    // google.api.HttpBody (grpc-gateway): the bytes are the body; the first message names the type and file.
    google::api::HttpBody body;
    if (!body.ParseFromString(message)) {
      state->render_error = StatusJson(absl::InternalError("a google.api.HttpBody message does not parse"));
      next(false);
      return;
    }
    if (state->out == nullptr) {
      std::string type = body.content_type().empty() ? "application/octet-stream" : body.content_type();
      StartStream(call, state, type, ContentDisposition(body));
    }
    piece = std::move(*body.mutable_data());
  } else {
    google::protobuf::util::JsonPrintOptions print;
    print.always_print_primitive_fields = options_.emit_unpopulated;
    absl::StatusOr<std::string> json = ResponseBytesToJson(*call->route, message, print);
    if (!json.ok()) {
      state->render_error = StatusJson(json.status());
      next(false);
      return;
    }
    if (state->out == nullptr) StartStream(call, state, "application/x-ndjson", "");
    piece = StreamResultLine(*json);
  }
  ++state->messages;
  state->out->Write(std::move(piece), [state, next = std::move(next)](bool ok) {
    if (!ok) state->client_gone = true;
    next(ok);
  });
}

void Forwarder::StreamEnd(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                          const grpc::Status& status, const Done& fail) const {
  bool write = call->route->http_method != "GET";
  std::string error;
  int code = static_cast<int>(status.error_code());
  if (!state->render_error.empty()) {
    code = static_cast<int>(absl::StatusCode::kInternal);
    error = state->render_error;
  } else if (!status.ok()) {
    error = StatusJson(code, status.error_message(), status.error_details());
  }
  if (state->out == nullptr) {  // nothing sent yet: an ordinary response
    if (!error.empty()) return fail(state->render_error.empty() ? HttpStatusFromCode(code) : 500, std::move(error));
    // No messages: an empty 200 body (grpc-gateway).
    if (write) return FinishWrite(call, 200, "");
    return responder_->Respond(call, 200, "", "BYPASS", "application/x-ndjson");
  }
  // A file has no place for an error line: the log records it (the CSV is complete before the first byte).
  if (!error.empty() && !state->client_gone && !state->file) state->out->Write(StreamErrorLine(error), nullptr);
  state->out->Finish();
  if (write) invalidate_(call);  // it may have committed more meanwhile
  responder_->Log(call, 200, "BYPASS",
                  absl::StrCat(",\"messages\":", state->messages, ",\"grpc_code\":", code,
                               state->client_gone ? ",\"client_gone\":true" : ""));
}

}  // namespace stip::gateway
