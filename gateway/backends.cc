#include "gateway/backends.h"

#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/telemetry.h"
#include "gateway/tsan_handoff.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"

namespace stip::gateway {
namespace {

struct CallState {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  Backends::CallDone done;
};

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return out;
}

// One streaming call (client- or server-streaming) over the generic stub's callback bidi API: the gateway
// owns no thread for it and never waits on it.
class StreamCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  grpc::ClientContext context;
  std::vector<grpc::ByteBuffer> requests;
  bool server_streaming = false;
  Backends::OnMessage on_message;                    // server streaming
  Backends::CallDone on_unary;                       // client streaming
  std::function<void(const grpc::Status&)> on_done;  // server streaming

  void Begin(grpc::GenericStub* stub, const std::string& grpc_path) {
    stub->PrepareBidiStreamingCall(&context, grpc_path, grpc::StubOptions(), this);
    // Reads of a server stream are started from outside the reactions (after the HTTP write of the previous
    // message): the hold keeps OnDone from running in between.
    if (server_streaming) AddHold();
    if (requests.empty()) {
      StartWritesDone();
    } else {
      StartWrite(&requests[0]);
    }
    StartRead(&response_);
    HandToGrpc(this);
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    TakeFromGrpc(this);
    if (!ok) return;  // the call is over; OnDone says why
    if (++next_write_ < requests.size()) {
      StartWrite(&requests[next_write_]);
    } else {
      requests.clear();
      StartWritesDone();
    }
  }

  void OnReadDone(bool ok) override {
    TakeFromGrpc(this);
    if (!server_streaming) {
      if (ok) {
        got_response_ = true;
        unary_response_ = Flatten(response_);
      }
      return;
    }
    if (!ok) {
      RemoveHold();
      return;
    }
    on_message(Flatten(response_), [this](bool more) {
      if (!more) context.TryCancel();
      HandToGrpc(this);
      StartRead(&response_);  // after a cancel it ends with ok = false, which releases the hold
    });
  }

  void OnDone(const grpc::Status& status) override {
    TakeFromGrpc(this);
    if (server_streaming) {
      on_done(status);
    } else if (status.ok() && !got_response_) {
      on_unary(grpc::Status(grpc::StatusCode::INTERNAL, "the backend ended the call without a response"), "");
    } else {
      on_unary(status, status.ok() ? std::move(unary_response_) : std::string());
    }
    delete this;
  }

 private:
  grpc::ByteBuffer response_;
  size_t next_write_ = 0;
  bool got_response_ = false;
  std::string unary_response_;
};

// grpc::Slice copies a std::string whatever is passed, so there is nothing to move.
grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

Backends::Backends(const std::map<std::string, std::string>& addresses,
                   const std::map<std::string, std::vector<std::string>>& services) {
  for (const auto& [name, address] : addresses) {
    auto backend = std::make_unique<Backend>();
    backend->name = name;
    backend->address = address;
    auto found = services.find(name);
    if (found != services.end()) backend->services = found->second;
    if (!address.empty()) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
      args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
      args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 * 1024 * 1024);
      backend->channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
      backend->stub = std::make_unique<grpc::GenericStub>(backend->channel);
    }
    backends_[name] = std::move(backend);
  }
}

const Backends::Backend* Backends::Find(const std::string& name) const {
  auto it = backends_.find(name);
  if (it == backends_.end() || it->second->address.empty()) return nullptr;
  return it->second.get();
}

void Backends::Call(const Backend& backend, const std::string& grpc_path, const std::string& request,
                    const Metadata& metadata, absl::Time deadline, CallDone done) const {
  auto* state = new CallState;
  state->done = std::move(done);
  grpc::Slice slice(request);
  state->request = grpc::ByteBuffer(&slice, 1);
  state->context.set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : metadata) state->context.AddMetadata(key, value);
  HandToGrpc(state);
  backend.stub->UnaryCall(&state->context, grpc_path, grpc::StubOptions(), &state->request, &state->response,
                          [state](const grpc::Status& status) {
                            TakeFromGrpc(state);
                            std::string response = status.ok() ? Flatten(state->response) : std::string();
                            CallDone done = std::move(state->done);
                            delete state;
                            done(status, std::move(response));
                          });
}

void Backends::ClientStream(const Backend& backend, const std::string& grpc_path,
                            const std::vector<std::string>& requests, const Metadata& metadata, absl::Time deadline,
                            CallDone done) const {
  auto* call = new StreamCall;
  call->on_unary = std::move(done);
  for (const std::string& request : requests) call->requests.push_back(ToBuffer(request));
  call->context.set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : metadata) call->context.AddMetadata(key, value);
  call->Begin(backend.stub.get(), grpc_path);
}

void Backends::ServerStream(const Backend& backend, const std::string& grpc_path,
                            const std::vector<std::string>& requests, const Metadata& metadata, absl::Time deadline,
                            OnMessage on_message, std::function<void(const grpc::Status&)> on_done) const {
  auto* call = new StreamCall;
  call->server_streaming = true;
  call->on_message = std::move(on_message);
  call->on_done = std::move(on_done);
  for (const std::string& request : requests) call->requests.push_back(ToBuffer(request));
  call->context.set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : metadata) call->context.AddMetadata(key, value);
  call->Begin(backend.stub.get(), grpc_path);
}

void Backends::CheckReady(absl::Duration timeout, std::function<void(bool, std::string)> done) const {
  struct Check {
    std::string backend, service;
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    std::unique_ptr<grpc::health::v1::Health::Stub> stub;
  };
  struct Round {
    std::mutex mutex;
    int remaining = 0;
    bool ready = true;
    std::string json;
    std::function<void(bool, std::string)> done;
  };
  auto round = std::make_shared<Round>();
  round->done = std::move(done);
  std::vector<std::unique_ptr<Check>> checks;
  for (const auto& [name, backend] : backends_) {
    if (backend->address.empty()) continue;  // not deployed: readiness ignores it
    for (const std::string& service : backend->services) {
      auto check = std::make_unique<Check>();
      check->backend = name;
      check->service = service;
      check->request.set_service(service);
      check->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
      check->stub = grpc::health::v1::Health::NewStub(backend->channel);
      checks.push_back(std::move(check));
    }
  }
  round->remaining = static_cast<int>(checks.size());
  if (checks.empty()) {
    round->done(true, "{\"ready\":true,\"services\":{}}");
    return;
  }
  for (auto& owned : checks) {
    Check* check = owned.release();
    check->stub->async()->Check(
        &check->context, &check->request, &check->response, [check, round](const grpc::Status& status) {
          bool serving = status.ok() && check->response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
          std::string state = status.ok()
                                  ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(check->response.status())
                                  : absl::StrCat("UNREACHABLE (", status.error_message(), ")");
          bool last = false;
          {
            std::lock_guard<std::mutex> lock(round->mutex);
            round->ready = round->ready && serving;
            absl::StrAppend(&round->json, round->json.empty() ? "" : ",", JsonQuote(check->service), ":",
                            JsonQuote(state));
            last = --round->remaining == 0;
          }
          delete check;
          if (last) {
            round->done(round->ready, absl::StrCat("{\"ready\":", round->ready ? "true" : "false", ",\"services\":{",
                                                   round->json, "}}"));
          }
        });
  }
}

}  // namespace stip::gateway
