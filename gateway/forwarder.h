// Forwarding to the backends: a transcoded request with its deadline and forwarded metadata, the answer
// rendered to JSON off the I/O threads; client- and server-streaming routes the grpc-gateway way.
#ifndef STIP_GATEWAY_FORWARDER_H_
#define STIP_GATEWAY_FORWARDER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "gateway/backends.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_call.h"

namespace google::api {
class HttpBody;
}  // namespace google::api

namespace stip::gateway {

struct ForwardOptions {
  absl::Duration backend_timeout = absl::Seconds(10);  // when the request has no Grpc-Timeout
  absl::Duration max_backend_timeout = absl::Seconds(60);
  // A client-streaming call (a file import) runs as long as the file takes: 100,000 rows are ~10 s of writes.
  absl::Duration upload_timeout = absl::Minutes(5);
  bool emit_unpopulated = false;  // JSON: print fields that hold their default value
};

class Forwarder {
 public:
  // `invalidate` runs for a write route before any of its answer leaves (read-your-writes).
  using Invalidate = std::function<void(const std::shared_ptr<HttpCall>& call)>;

  Forwarder(ForwardOptions options, const Backends* backends, GatewayMetrics* metrics, const Responder* responder,
            boost::asio::io_context* work, Invalidate invalidate)
      : options_(options),
        backends_(backends),
        metrics_(metrics),
        responder_(responder),
        work_(work),
        invalidate_(std::move(invalidate)) {}

  // A unary call; `done` gets the HTTP status and body on the work context.
  void Unary(const std::shared_ptr<HttpCall>& call, Done done) const;
  // A client- or server-streaming call (never cached); it answers the call itself.
  void Stream(const std::shared_ptr<HttpCall>& call) const;

 private:
  // The deadline and metadata of a backend call; false (after calling `fail`) when the request's Grpc-Timeout
  // is malformed or already expired.
  bool CallOptions(const std::shared_ptr<HttpCall>& call, Backends::Metadata* metadata, absl::Time* deadline,
                   const Done& fail) const;
  void Complete(const Route* route, const grpc::Status& status, std::string response, Done done) const;
  // The request messages of a streaming call, all transcoded before the call starts (a bad one is a 400).
  bool BuildStreamRequests(const std::shared_ptr<HttpCall>& call, std::vector<std::string>* requests,
                           const Done& fail) const;
  struct StreamState;
  void ServerStream(const std::shared_ptr<HttpCall>& call, const std::vector<std::string>& requests,
                    const Backends::Metadata& metadata, absl::Time deadline, const Done& fail) const;
  // One message of a server stream, on the work context: rendered and written, the next asked for when sent.
  void StreamMessage(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                     const std::string& message, Backends::Next next) const;
  void StreamEnd(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                 const grpc::Status& status, const Done& fail) const;
  void FinishWrite(const std::shared_ptr<HttpCall>& call, int http_status, std::string body) const;
  // Sends the 200 head of a server stream (NDJSON, or a file's type and name).
  void StartStream(const std::shared_ptr<HttpCall>& call, const std::shared_ptr<StreamState>& state,
                   const std::string& content_type, const std::string& disposition) const;

  ForwardOptions options_;
  const Backends* backends_;
  GatewayMetrics* metrics_;
  const Responder* responder_;
  boost::asio::io_context* work_;
  Invalidate invalidate_;
};

// "attachment; filename=…; filename*=UTF-8''…" from the stip.type.v1.DownloadFile in a google.api.HttpBody's
// extensions; "" when it names no file.
std::string ContentDisposition(const google::api::HttpBody& body);

// The answer of a backend that is not deployed here.
absl::Status NotDeployed(const std::string& backend);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_FORWARDER_H_
