// The request path, one job per part: built-in endpoints (BuiltinEndpoints), then the route table and the
// bearer-token check (here), GET through the response cache (ResponseCache), everything to the backends
// through the Forwarder, every answer through the Responder.
#ifndef STIP_GATEWAY_GATEWAY_H_
#define STIP_GATEWAY_GATEWAY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "gateway/backends.h"
#include "gateway/builtin_endpoints.h"
#include "gateway/cors_policy.h"
#include "gateway/forwarder.h"
#include "gateway/gateway_metrics.h"
#include "gateway/generations.h"
#include "gateway/http_call.h"
#include "gateway/http_server.h"
#include "gateway/proto_comments.h"
#include "gateway/redis_cache.h"
#include "gateway/response_cache.h"
#include "gateway/route_table.h"
#include "gateway/token_cache.h"

namespace stip::gateway {

struct GatewayOptions {
  CacheOptions cache;
  ForwardOptions forward;
  bool access_log = true;  // a JSON line per request (errors are always logged)
  CorsPolicy cors;         // --cors_origins
};

// The protos' comments from the embedded descriptor set (none, with a warning, if it cannot be read).
ProtoComments ApiComments();

// The default read map: indicators aggregates tier and carrier counts from the other two services.
std::map<std::string, std::vector<std::string>> DefaultReads();
// Parses "indicators=indicators+cultivation+evaluation,cultivation=cultivation".
absl::StatusOr<std::map<std::string, std::vector<std::string>>> ParseReads(absl::string_view text);

class Gateway : public HttpHandler {
 public:
  // `redis` may be null (no Redis configured: every GET is a BYPASS). `work` runs transcoding off the
  // gRPC and Redis threads.
  Gateway(GatewayOptions options, const RouteTable* routes, const Backends* backends, RedisCache* redis,
          Generations* generations, TokenCache* tokens, GatewayMetrics* metrics, boost::asio::io_context* work);

  void Handle(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream) override;
  // A client-streaming route (a file import): its body may be as large as --http_max_upload_bytes.
  bool IsUpload(boost::beast::http::verb method, std::string_view target) const override;
  void SetDraining(bool draining) { builtins_.SetDraining(draining); }

  // The collections of `backend` (for Generations): every backend and every collection in the read map.
  static std::vector<std::string> Collections(const RouteTable& routes,
                                              const std::map<std::string, std::vector<std::string>>& reads);
  const std::string& openapi() const { return builtins_.openapi(); }

 private:
  std::shared_ptr<HttpCall> NewCall(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream);
  // Routes and authenticates; false (after answering) when the call goes no further.
  bool Route(const std::shared_ptr<HttpCall>& call);
  void Dispatch(const std::shared_ptr<HttpCall>& call);
  // An allowed origin's CORS preflight (OPTIONS with Access-Control-Request-Method): answered here.
  bool Preflight(const std::shared_ptr<HttpCall>& call);

  CorsPolicy cors_;
  const RouteTable* routes_;
  const Backends* backends_;
  TokenCache* tokens_;
  Responder responder_;
  ResponseCache cache_;
  Forwarder forwarder_;
  BuiltinEndpoints builtins_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_GATEWAY_H_
