// The request path: built-in endpoints (/healthz /readyz /metrics, the dashboard, /openapi.json), then the
// route table; bearer-token check; GET through the Redis cache (cache-aside, single-flight, generations),
// everything else straight to the backend, bumping the generations a write touches before answering.
#ifndef STIP_GATEWAY_GATEWAY_H_
#define STIP_GATEWAY_GATEWAY_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "gateway/backends.h"
#include "gateway/gateway_metrics.h"
#include "gateway/generations.h"
#include "gateway/http_server.h"
#include "gateway/redis_cache.h"
#include "gateway/route_table.h"
#include "gateway/token_cache.h"

namespace stip::gateway {

struct GatewayOptions {
  bool cache_enabled = true;
  absl::Duration cache_ttl = absl::Seconds(60);       // ±10% jitter
  absl::Duration backend_timeout = absl::Seconds(10); // when the request has no Grpc-Timeout
  absl::Duration max_backend_timeout = absl::Seconds(60);
  bool emit_unpopulated = false;  // JSON: print fields that hold their default value
  bool access_log = true;         // a JSON line per request (errors are always logged)
  // backend → the collections its GET routes read. A backend not listed reads its own collection.
  std::map<std::string, std::vector<std::string>> reads;
  std::string key_prefix = "stip:gw:v1:";
  bool single_flight = true;  // coalesce concurrent lookups and misses of one key
};

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
  ~Gateway() override;

  void Handle(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream) override;
  void SetDraining(bool draining) { draining_ = draining; }

  // The collections of `backend` (for Generations): every backend and every collection in the read map.
  static std::vector<std::string> Collections(const RouteTable& routes,
                                              const std::map<std::string, std::vector<std::string>>& reads);
  const std::string& openapi() const { return openapi_; }

 private:
  struct Call;
  struct Flight;
  using Done = std::function<void(int http_status, std::string body)>;

  void HandleApi(const std::shared_ptr<Call>& call);
  void Cached(const std::shared_ptr<Call>& call);
  void Forward(const std::shared_ptr<Call>& call, Done done);
  // Client- and server-streaming routes (never cached).
  void Stream(const std::shared_ptr<Call>& call);
  void ServerStream(const std::shared_ptr<Call>& call, std::vector<std::string> requests, const Backends::Metadata& metadata,
                    absl::Time deadline, Done fail);
  // The deadline and metadata of a backend call; false (after calling `fail`) when the request's Grpc-Timeout
  // is malformed or already expired.
  bool CallOptions(const std::shared_ptr<Call>& call, Backends::Metadata* metadata, absl::Time* deadline,
                   const Done& fail);
  // A unary response from the backend (or its error) as an HTTP answer, on the work context.
  void Complete(const Route* route, const grpc::Status& status, std::string response, Done done);
  void BumpWrites(const std::shared_ptr<Call>& call);
  void FinishWrite(const std::shared_ptr<Call>& call, int http_status, std::string body);
  void LogRequest(const std::shared_ptr<Call>& call, int http_status, const char* cache, absl::string_view extra = "");
  void CompleteFlight(const std::string& key, int http_status, const std::string& body, const char* source);
  void Respond(const std::shared_ptr<Call>& call, int http_status, std::string body, const char* cache,
               const char* content_type = "application/json");
  void ServeReady(const std::shared_ptr<Call>& call);
  bool ServeAsset(const std::shared_ptr<Call>& call, const std::string& path);
  int TtlSeconds();
  std::string BuildOpenApi() const;

  GatewayOptions options_;
  const RouteTable* routes_;
  const Backends* backends_;
  RedisCache* redis_;
  Generations* generations_;
  TokenCache* tokens_;
  GatewayMetrics* metrics_;
  boost::asio::io_context* work_;
  std::vector<std::vector<int>> reads_;    // by route id: generation indexes the route reads (GET)
  std::vector<std::vector<std::string>> touches_;  // by route id: collections a write touches
  std::mutex flights_mutex_;
  std::unordered_map<std::string, std::unique_ptr<Flight>> flights_;
  std::atomic<bool> draining_{false};
  std::atomic<uint64_t> flight_counter_{0};
  std::string openapi_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_GATEWAY_H_
