// One HTTP request as it moves through the gateway's parts (router, cache, forwarder, built-in endpoints),
// and the one place that answers it: headers, the X-Cache label, the access-log line and the metrics.
#ifndef STIP_GATEWAY_HTTP_CALL_H_
#define STIP_GATEWAY_HTTP_CALL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/caller.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_server.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"

namespace stip::gateway {

struct HttpCall {
  HttpRequest request;
  Reply reply;
  StreamReply stream_reply;
  std::string peer;
  std::string path;
  std::string raw_query;
  std::string request_id;
  std::string trace_id;
  std::string label = "other";
  absl::Time start;
  const Route* route = nullptr;
  PathBindings bindings;
  std::vector<QueryParam> params;
  Caller caller;
  std::vector<std::string> allowed;  // the Allow header of a 405
  std::string www_authenticate;      // the challenge of a 401
  std::string cors_origin;           // the request's Origin when CORS allows it, else ""
};

// The CORS headers of an allowed origin (none otherwise), on every response of `call`.
void SetCorsHeaders(const HttpCall& call, HttpResponse* response);

// A finished backend answer as HTTP: status and body.
using Done = std::function<void(int http_status, std::string body)>;

// The value of a request header, "" when absent.
std::string Header(const HttpRequest& request, absl::string_view name);

class Responder {
 public:
  Responder(GatewayMetrics* metrics, bool access_log) : metrics_(metrics), access_log_(access_log) {}

  // `cache` is the X-Cache label (HIT, MISS, BYPASS) or null for built-in endpoints.
  void Respond(const std::shared_ptr<HttpCall>& call, int http_status, std::string body, const char* cache,
               const char* content_type = "application/json") const;
  // The google.rpc.Status body of `status`, with the HTTP status the status table gives its code.
  void RespondError(const std::shared_ptr<HttpCall>& call, const absl::Status& status, const char* cache) const;
  void Log(const std::shared_ptr<HttpCall>& call, int http_status, const char* cache,
           absl::string_view extra = "") const;

 private:
  GatewayMetrics* metrics_;
  bool access_log_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_HTTP_CALL_H_
