// The response cache: cache-aside for GET routes in Redis (key = scope + the generations of the collections
// the route reads + path + normalised query), single-flight for concurrent lookups and misses of one key, and
// the invalidation of a write (bump the generations it touches, tell the other replicas).
#ifndef STIP_GATEWAY_RESPONSE_CACHE_H_
#define STIP_GATEWAY_RESPONSE_CACHE_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "gateway/forwarder.h"
#include "gateway/gateway_metrics.h"
#include "gateway/generations.h"
#include "gateway/http_call.h"
#include "gateway/redis_cache.h"
#include "gateway/route_table.h"

namespace stip::gateway {

struct CacheOptions {
  bool enabled = true;
  absl::Duration ttl = absl::Seconds(60);  // ±10% jitter
  // backend → the collections its GET routes read. A backend not listed reads its own collection.
  std::map<std::string, std::vector<std::string>> reads;
  std::string key_prefix = "stip:gw:v1:";
  bool single_flight = true;  // coalesce concurrent lookups and misses of one key
};

class ResponseCache {
 public:
  // `redis` may be null (no Redis configured: every GET is a BYPASS).
  ResponseCache(CacheOptions options, const RouteTable* routes, RedisCache* redis, Generations* generations,
                GatewayMetrics* metrics, const Responder* responder, boost::asio::io_context* work);

  // Answers a GET: from the cache when it can, else from `forwarder` (storing a 200 on a miss).
  void Get(const std::shared_ptr<HttpCall>& call, const Forwarder* forwarder);
  // Read-your-writes: the generations of what the call's route writes move before its answer leaves.
  void Invalidate(const std::shared_ptr<HttpCall>& call);

  bool enabled() const { return options_.enabled && redis_ != nullptr; }

 private:
  struct Flight {
    std::vector<std::shared_ptr<HttpCall>> waiters;
  };
  // True when the call joined a flight already under way.
  bool Join(const std::string& flight_key, const std::shared_ptr<HttpCall>& call);
  void CompleteFlight(const std::string& key, int http_status, const std::string& body, const char* source);
  int TtlSeconds();

  CacheOptions options_;
  RedisCache* redis_;
  Generations* generations_;
  GatewayMetrics* metrics_;
  const Responder* responder_;
  boost::asio::io_context* work_;
  std::vector<std::vector<int>> reads_;            // by route id: generation indexes the route reads (GET)
  std::vector<std::vector<std::string>> touches_;  // by route id: collections a write touches
  std::mutex flights_mutex_;
  std::unordered_map<std::string, std::unique_ptr<Flight>> flights_;
  std::atomic<uint64_t> flight_counter_{0};
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_RESPONSE_CACHE_H_
