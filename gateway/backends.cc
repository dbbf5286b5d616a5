#include "gateway/backends.h"

#include <atomic>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/telemetry.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

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

void Backends::Call(const Backend& backend, const std::string& grpc_path, std::string request,
                    const Metadata& metadata, absl::Time deadline, CallDone done) const {
  auto* state = new CallState;
  state->done = std::move(done);
  grpc::Slice slice(std::move(request));
  state->request = grpc::ByteBuffer(&slice, 1);
  state->context.set_deadline(absl::ToChronoTime(deadline));
  for (const auto& [key, value] : metadata) state->context.AddMetadata(key, value);
  backend.stub->UnaryCall(&state->context, grpc_path, grpc::StubOptions(), &state->request, &state->response,
                          [state](grpc::Status status) {
                            std::string response = status.ok() ? Flatten(state->response) : std::string();
                            CallDone done = std::move(state->done);
                            delete state;
                            done(status, std::move(response));
                          });
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
    check->stub->async()->Check(&check->context, &check->request, &check->response,
                                [check, round](grpc::Status status) {
                                  bool serving = status.ok() && check->response.status() ==
                                                                    grpc::health::v1::HealthCheckResponse::SERVING;
                                  std::string state = status.ok()
                                                          ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                                                                check->response.status())
                                                          : absl::StrCat("UNREACHABLE (", status.error_message(), ")");
                                  bool last = false;
                                  {
                                    std::lock_guard<std::mutex> lock(round->mutex);
                                    round->ready = round->ready && serving;
                                    absl::StrAppend(&round->json, round->json.empty() ? "" : ",",
                                                    JsonQuote(check->service), ":", JsonQuote(state));
                                    last = --round->remaining == 0;
                                  }
                                  delete check;
                                  if (last) {
                                    round->done(round->ready, absl::StrCat("{\"ready\":", round->ready ? "true" : "false",
                                                                           ",\"services\":{", round->json, "}}"));
                                  }
                                });
  }
}

}  // namespace stip::gateway
