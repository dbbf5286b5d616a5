// Long-lived gRPC channels to the backend services, called by method name with serialized bytes
// (grpc::GenericStub, callback API: no thread ever waits on a backend), and their readiness.
#ifndef STIP_GATEWAY_BACKENDS_H_
#define STIP_GATEWAY_BACKENDS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/status.h"

namespace stip::gateway {

class Backends {
 public:
  struct Backend {
    std::string name;                   // "indicators"
    std::string address;                // host:port; empty = not deployed
    std::vector<std::string> services;  // full names served there, for readiness
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  using Metadata = std::vector<std::pair<std::string, std::string>>;
  using CallDone = std::function<void(const grpc::Status&, std::string response)>;

  // `addresses`: backend name → address; `services`: backend name → service full names.
  Backends(const std::map<std::string, std::string>& addresses,
           const std::map<std::string, std::vector<std::string>>& services);

  // nullptr when the backend is unknown or has no address.
  const Backend* Find(const std::string& name) const;

  // `done` runs on a gRPC thread.
  void Call(const Backend& backend, const std::string& grpc_path, const std::string& request, const Metadata& metadata,
            absl::Time deadline, CallDone done) const;

  // Client streaming: sends `requests` (serialized messages) in order, half-closes, and reports the single
  // response. `done` runs on a gRPC thread.
  void ClientStream(const Backend& backend, const std::string& grpc_path, const std::vector<std::string>& requests,
                    const Metadata& metadata, absl::Time deadline, CallDone done) const;

  // Server streaming (or bidirectional): sends `requests`, half-closes, then hands each response message to
  // `on_message` (on a gRPC thread) with `next`: next(true) asks for the following message (so a slow HTTP client slows
  // the backend down through gRPC flow control; nothing is buffered here), next(false) cancels the call. `next` must be
  // called exactly once per message. `on_done(status)` runs last, once.
  using Next = std::function<void(bool more)>;
  using OnMessage = std::function<void(std::string message, Next next)>;
  void ServerStream(const Backend& backend, const std::string& grpc_path, const std::vector<std::string>& requests,
                    const Metadata& metadata, absl::Time deadline, OnMessage on_message,
                    std::function<void(const grpc::Status&)> on_done) const;

  // grpc.health.v1 Check of every service of every deployed backend. `done(ready, json)` on a gRPC thread.
  void CheckReady(absl::Duration timeout, std::function<void(bool, std::string)> done) const;

 private:
  std::map<std::string, std::unique_ptr<Backend>> backends_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_BACKENDS_H_
