#include "gateway/response_cache.h"

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"

namespace stip::gateway {
namespace {

std::mt19937_64& Random() {
  thread_local std::mt19937_64 random([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  return random;
}

}  // namespace

ResponseCache::ResponseCache(CacheOptions options, const RouteTable* routes, RedisCache* redis,
                             Generations* generations, GatewayMetrics* metrics, const Responder* responder,
                             boost::asio::io_context* work)
    : options_(std::move(options)),
      redis_(redis),
      generations_(generations),
      metrics_(metrics),
      responder_(responder),
      work_(work) {
  reads_.resize(routes->routes().size());
  touches_.resize(routes->routes().size());
  for (const auto& route : routes->routes()) {
    auto read = options_.reads.find(route->backend);
    std::vector<std::string> names =
        read != options_.reads.end() ? read->second : std::vector<std::string>{route->backend};
    for (const std::string& name : names) {
      int index = generations_->IndexOf(name);
      if (index >= 0) reads_[route->id].push_back(index);
    }
    touches_[route->id] = {route->backend};
  }
  metrics_->SetCacheEnabled(enabled());
}

bool ResponseCache::Join(const std::string& flight_key, const std::shared_ptr<HttpCall>& call) {
  std::lock_guard<std::mutex> lock(flights_mutex_);
  auto& flight = flights_[flight_key];
  if (flight) {
    flight->waiters.push_back(call);
    return true;
  }
  flight = std::make_unique<Flight>();
  flight->waiters.push_back(call);
  return false;
}

void ResponseCache::Get(const std::shared_ptr<HttpCall>& call, const Forwarder* forwarder) {
  auto bypass = [this, call](int status, std::string body) {
    responder_->Respond(call, status, std::move(body), "BYPASS");
  };
  if (!enabled() || !redis_->usable()) {
    metrics_->CacheBypass();
    return forwarder->Unary(call, bypass);
  }
  absl::StatusOr<std::string> query = NormalizeQuery(*call->route, call->params);
  if (!query.ok()) return responder_->RespondError(call, query.status(), "BYPASS");
  // The caller's scope: services filter by role and org unit, so callers that share both share entries.
  std::string scope = absl::StrCat(RoleName(call->caller.role), "/", call->caller.org_unit);
  std::string key = absl::StrCat(options_.key_prefix, scope, "|", generations_->Tag(reads_[call->route->id]), "|",
                                 call->path, "?", *query);
  // Single-flight: requests for the same key (same scope, same generations) while one is being looked up or
  // fetched wait for it, so N concurrent misses make one backend call (and one Redis GET). Without it
  // (--single_flight=false, for measurements) each request has a flight of its own.
  std::string flight_key = options_.single_flight ? key : absl::StrCat(key, "#", flight_counter_.fetch_add(1));
  if (Join(flight_key, call)) return;
  redis_->Get(key, [this, call, key, flight_key, forwarder](RedisCache::Outcome outcome, const std::string& value) {
    if (outcome == RedisCache::Outcome::kHit) return CompleteFlight(flight_key, 200, value, "HIT");
    boost::asio::post(*work_, [this, call, key, flight_key, outcome, forwarder] {
      forwarder->Unary(call, [this, key, flight_key, outcome](int status, const std::string& body) {
        bool miss = outcome == RedisCache::Outcome::kMiss;
        // SET before answering: a request that comes after this answer finds the entry (same connection,
        // commands in order).
        if (miss && status == 200) redis_->Set(key, body, TtlSeconds());
        CompleteFlight(flight_key, status, body, miss ? "MISS" : "BYPASS");
      });
    });
  });
}

void ResponseCache::CompleteFlight(const std::string& key, int http_status, const std::string& body,
                                   const char* source) {
  std::unique_ptr<Flight> flight;
  {
    std::lock_guard<std::mutex> lock(flights_mutex_);
    auto it = flights_.find(key);
    if (it == flights_.end()) return;
    flight = std::move(it->second);
    flights_.erase(it);
  }
  for (const auto& waiter : flight->waiters) {
    if (source[0] == 'H') {
      metrics_->CacheHit();
    } else if (source[0] == 'M') {
      metrics_->CacheMiss();
    } else {
      metrics_->CacheBypass();
    }
    responder_->Respond(waiter, http_status, body, source);
  }
}

void ResponseCache::Invalidate(const std::shared_ptr<HttpCall>& call) {
  for (const std::string& collection : touches_[call->route->id]) {
    generations_->Bump(collection);
    if (redis_ != nullptr) redis_->PublishChange(collection);  // other gateway replicas
  }
}

int ResponseCache::TtlSeconds() {
  double base = absl::ToDoubleSeconds(options_.ttl);
  std::uniform_real_distribution<double> jitter(-0.1, 0.1);
  return std::max(1, static_cast<int>(std::lround(base * (1 + jitter(Random())))));
}

}  // namespace stip::gateway
