// The one wrapper every RPC handler runs in: authenticates the caller, runs the handler, maps the
// absl::Status to gRPC, writes the request log line and the metrics. Health and reflection bypass it,
// so they need no token.
#ifndef STIP_COMMON_RPC_H_
#define STIP_COMMON_RPC_H_

#include <exception>
#include <memory>
#include <utility>
#include "absl/strings/string_view.h"

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace stip {

class Metrics;

class RpcRuntime;
class RequestLedger;

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

// INVALID_ARGUMENT with a field violation per google.api.field_behavior = REQUIRED field of `request` left
// unset (empty string, zero enum or number, absent message, empty list), nested fields by their dotted path.
absl::Status CheckRequiredFields(const google::protobuf::Message& request);

// Why a wrapper and not a grpc::experimental interceptor: 1.51's server interceptors can observe a call
// but cannot end it with UNAUTHENTICATED before the handler runs.
class RpcRuntime {
 public:
  RpcRuntime(const TokenVerifier* verifier, Metrics* metrics) : verifier_(verifier), metrics_(metrics) {}

  // Where Create calls keep their request_id answers (AIP-155); without one, request_id is ignored.
  void set_ledger(RequestLedger* ledger) { ledger_ = ledger; }

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

  // As above, after refusing a request whose google.api.field_behavior = REQUIRED fields are unset.
  template <typename Handler>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context, absl::string_view method,
                                  const google::protobuf::Message& request, Handler&& handler) const {
    return Unary(context, method, [&](const Caller& caller) -> absl::Status {
      if (absl::Status missing = CheckRequiredFields(request); !missing.ok()) return missing;
      return handler(caller);
    });
  }

  // A Create whose request has an AIP-155 `request_id`: a retry with the same id from the same caller gets the
  // first answer without running again; the same id with a different request is INVALID_ARGUMENT on request_id.
  template <typename Request, typename Handler>
  grpc::ServerUnaryReactor* Create(grpc::CallbackServerContext* context, absl::string_view method,
                                   const Request& request, google::protobuf::Message* response,
                                   Handler&& handler) const {
    return Unary(context, method, request, [&](const Caller& caller) -> absl::Status {
      if (request.request_id().empty() || ledger_ == nullptr) return handler(caller);
      Request fingerprint = request;
      fingerprint.clear_request_id();
      return Idempotent(method, caller, request.request_id(), fingerprint, response,
                        [&]() -> absl::Status { return handler(caller); });
    });
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
  absl::Status Idempotent(absl::string_view method, const Caller& caller, const std::string& request_id,
                          const google::protobuf::Message& fingerprint, google::protobuf::Message* response,
                          absl::FunctionRef<absl::Status()> run) const;

  const TokenVerifier* verifier_;
  Metrics* metrics_;
  RequestLedger* ledger_ = nullptr;
};

}  // namespace stip

#endif  // STIP_COMMON_RPC_H_
