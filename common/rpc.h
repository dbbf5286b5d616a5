// The one wrapper every RPC handler runs in: authenticates the caller, runs the handler, maps the
// absl::Status to gRPC, writes the request log line and the metrics. Health and reflection bypass it,
// so they need no token.
#ifndef STIP_COMMON_RPC_H_
#define STIP_COMMON_RPC_H_

#include <exception>
#include <memory>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace stip {

class Metrics;

class RpcRuntime;

// A streaming call in the same runtime as the unary ones: authenticated when it starts, logged (with request and
// trace ids) and measured when it ends. The reactor keeps one for its lifetime.
class StreamCall {
 public:
  StreamCall(const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method);
  ~StreamCall();
  StreamCall(const StreamCall&) = delete;
  StreamCall& operator=(const StreamCall&) = delete;

  // The caller, or UNAUTHENTICATED: end the call with it.
  const absl::StatusOr<Caller>& caller() const;
  // Writes the log line and the metrics once; returns the status for the reactor's Finish().
  grpc::Status End(const absl::Status& status);

 private:
  struct State;
  const RpcRuntime* runtime_;
  std::unique_ptr<State> state_;
};

// Why a wrapper and not a grpc::experimental interceptor: 1.51's server interceptors can observe a call
// but cannot end it with UNAUTHENTICATED before the handler runs.
class RpcRuntime {
 public:
  RpcRuntime(const TokenVerifier* verifier, Metrics* metrics) : verifier_(verifier), metrics_(metrics) {}

  // `handler` is `absl::Status(const Caller&)`; it fills the response before returning OK.
  template <typename Handler>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, absl::string_view method,
                                  Handler&& handler) const {
    CallRecord record = Begin(context, method);
    absl::Status status;
    if (!record.caller.ok()) {
      status = record.caller.status();
    } else {
      try {
        status = std::forward<Handler>(handler)(*record.caller);
      } catch (const std::exception& error) {
        status = Internal(error.what());
      }
    }
    return Finish(context, record, status);
  }

 private:
  friend class StreamCall;
  struct CallRecord {
    absl::string_view method;
    absl::Time start;
    std::string request_id;
    std::string trace_id;
    absl::StatusOr<Caller> caller;
  };
  CallRecord Begin(grpc::CallbackServerContext* context, absl::string_view method) const;
  grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const CallRecord& record,
                                   const absl::Status& status) const;
  void Record(const CallRecord& record, const absl::Status& status) const;
  static absl::Status Internal(const char* what);

  const TokenVerifier* verifier_;
  Metrics* metrics_;
};

}  // namespace stip

#endif  // STIP_COMMON_RPC_H_
