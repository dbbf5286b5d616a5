// stip-gateway: HTTP/JSON in, gRPC out. Wiring only; see gateway.h for the request path.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/signal_set.hpp"
#include "common/auth.h"
#include "common/config.h"
#include "common/flags.h"
#include "common/telemetry.h"
#include "gateway/backends.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/generations.h"
#include "gateway/http_server.h"
#include "gateway/redis_cache.h"
#include "gateway/route_table.h"
#include "gateway/token_cache.h"

ABSL_FLAG(std::string, http_addr, stip::EnvOr("STIP_HTTP_ADDR", "0.0.0.0:8080"), "host:port for HTTP (port 0 picks one)");
ABSL_FLAG(std::string, indicators_addr, stip::EnvOr("STIP_INDICATORS_ADDR", ""),
          "host:port of the indicators service; empty = not deployed (its routes answer 503)");
ABSL_FLAG(std::string, cultivation_addr, stip::EnvOr("STIP_CULTIVATION_ADDR", ""),
          "host:port of the cultivation service; empty = not deployed");
ABSL_FLAG(std::string, evaluation_addr, stip::EnvOr("STIP_EVALUATION_ADDR", ""),
          "host:port of the evaluation service; empty = not deployed");
ABSL_FLAG(bool, cache, stip::EnvBool("STIP_GATEWAY_CACHE", true), "cache GET responses in Redis (needs --redis_addr)");
ABSL_FLAG(int, cache_ttl_s, stip::EnvInt("STIP_GATEWAY_CACHE_TTL_S", 60), "cache entry TTL in seconds (±10% jitter)");
ABSL_FLAG(std::string, cache_reads, stip::EnvOr("STIP_GATEWAY_CACHE_READS", ""),
          "which collections each backend's GET routes read, e.g. indicators=indicators+cultivation+evaluation; "
          "empty = the built-in map");
ABSL_FLAG(int, redis_timeout_ms, stip::EnvInt("STIP_GATEWAY_REDIS_TIMEOUT_MS", 25), "Redis command timeout");
ABSL_FLAG(int, redis_connect_timeout_ms, stip::EnvInt("STIP_GATEWAY_REDIS_CONNECT_TIMEOUT_MS", 250),
          "Redis connect (and probe) timeout");
ABSL_FLAG(int, redis_failure_threshold, stip::EnvInt("STIP_GATEWAY_REDIS_FAILURE_THRESHOLD", 3),
          "consecutive Redis failures that open the circuit");
ABSL_FLAG(int, backend_timeout_ms, stip::EnvInt("STIP_GATEWAY_BACKEND_TIMEOUT_MS", 10000),
          "deadline of a backend call when the request has no Grpc-Timeout header");
ABSL_FLAG(int, http_threads, stip::EnvInt("STIP_GATEWAY_HTTP_THREADS", 0), "HTTP I/O threads; 0 = one per core");
ABSL_FLAG(int, http_max_body_bytes, stip::EnvInt("STIP_GATEWAY_MAX_BODY_BYTES", 1 << 20), "largest request body");
ABSL_FLAG(int, http_max_header_bytes, stip::EnvInt("STIP_GATEWAY_MAX_HEADER_BYTES", 16 << 10), "largest request header");
ABSL_FLAG(int, http_read_timeout_ms, stip::EnvInt("STIP_GATEWAY_READ_TIMEOUT_MS", 30000),
          "time a client has to send a whole request (includes keep-alive idle time)");
ABSL_FLAG(bool, json_emit_unpopulated, stip::EnvBool("STIP_GATEWAY_JSON_EMIT_UNPOPULATED", false),
          "print fields that hold default values in JSON responses");
ABSL_FLAG(bool, single_flight, stip::EnvBool("STIP_GATEWAY_SINGLE_FLIGHT", true),
          "coalesce concurrent cache lookups and misses of one key (off only to measure)");
ABSL_FLAG(bool, access_log, stip::EnvBool("STIP_GATEWAY_ACCESS_LOG", true), "log every request (errors always are)");

namespace {

bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), port)) return false;
  *host = address.substr(0, colon);
  return !host->empty();
}

}  // namespace

int main(int argc, char** argv) {
  stip::ParseServiceFlags(argc, argv, "stip-gateway: REST/JSON gateway to the stip gRPC services");
  using namespace stip::gateway;
  std::signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<stip::AuthConfig> auth = stip::AuthConfigFromFlags();
  if (!auth.ok()) {
    stip::LogJson("error", "auth configuration", absl::StrCat("\"error\":", stip::JsonQuote(auth.status().ToString())));
    return 2;
  }
  absl::StatusOr<std::unique_ptr<stip::TokenVerifier>> verifier = stip::TokenVerifier::Create(*auth);
  if (!verifier.ok()) return 2;

  absl::StatusOr<RouteTable> routes = RouteTable::FromGeneratedPool("stip.");
  if (!routes.ok()) {
    stip::LogJson("error", "route table", absl::StrCat("\"error\":", stip::JsonQuote(routes.status().ToString())));
    return 2;
  }
  auto reads = DefaultReads();
  if (!absl::GetFlag(FLAGS_cache_reads).empty()) {
    auto parsed = ParseReads(absl::GetFlag(FLAGS_cache_reads));
    if (!parsed.ok()) {
      stip::LogJson("error", "bad --cache_reads", absl::StrCat("\"error\":", stip::JsonQuote(parsed.status().ToString())));
      return 2;
    }
    reads = *parsed;
  }

  std::map<std::string, std::string> addresses = {{"indicators", absl::GetFlag(FLAGS_indicators_addr)},
                                                  {"cultivation", absl::GetFlag(FLAGS_cultivation_addr)},
                                                  {"evaluation", absl::GetFlag(FLAGS_evaluation_addr)}};
  std::map<std::string, std::vector<std::string>> services;
  for (const std::string& backend : routes->backends()) {
    services[backend] = routes->ServicesOf(backend);
    addresses.emplace(backend, "");  // a package with no address flag: not deployed
  }
  Backends backends(addresses, services);

  GatewayMetrics metrics;
  Generations generations(Gateway::Collections(*routes, reads));
  TokenCache tokens(verifier->get());

  HttpServer::Options http_options;
  http_options.address = absl::GetFlag(FLAGS_http_addr);
  int threads = absl::GetFlag(FLAGS_http_threads);
  http_options.threads = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  http_options.body_limit = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
  http_options.header_limit = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_header_bytes));
  http_options.read_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_http_read_timeout_ms));

  // Declared before the cache: the cache runs on the server's io_context and must be destroyed first.
  HttpServer server(http_options, nullptr);

  std::unique_ptr<RedisCache> redis;
  std::string redis_addr = absl::GetFlag(FLAGS_redis_addr);
  if (!redis_addr.empty()) {
    RedisCache::Options options;
    if (!SplitHostPort(redis_addr, &options.host, &options.port)) {
      stip::LogJson("error", "bad --redis_addr", absl::StrCat("\"redis_addr\":", stip::JsonQuote(redis_addr)));
      return 2;
    }
    options.command_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_redis_timeout_ms));
    options.connect_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_redis_connect_timeout_ms));
    options.failure_threshold = absl::GetFlag(FLAGS_redis_failure_threshold);
    RedisCache::Events events;
    events.on_state = [&metrics](bool up) { metrics.SetRedisUp(up); };
    events.on_error = [&metrics] { metrics.CacheError(); };
    events.on_notice = [&metrics](const std::string&) { metrics.CacheNotice(); };
    events.on_subscribed = [&metrics] { metrics.Resubscribed(); };
    redis = std::make_unique<RedisCache>(options, &generations, events, &server.io());
  }

  GatewayOptions options;
  options.cache.enabled = absl::GetFlag(FLAGS_cache);
  options.cache.ttl = absl::Seconds(absl::GetFlag(FLAGS_cache_ttl_s));
  options.cache.reads = reads;
  options.cache.single_flight = absl::GetFlag(FLAGS_single_flight);
  options.forward.backend_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));
  options.forward.emit_unpopulated = absl::GetFlag(FLAGS_json_emit_unpopulated);
  options.access_log = absl::GetFlag(FLAGS_access_log);

  Gateway gateway(options, &*routes, &backends, redis.get(), &generations, &tokens, &metrics, &server.io());
  server.set_handler(&gateway);
  absl::Status started = server.Start();
  if (!started.ok()) {
    stip::LogJson("error", "cannot start", absl::StrCat("\"error\":", stip::JsonQuote(started.ToString())));
    return 1;
  }
  metrics.SetRedisUp(false);
  if (redis) redis->Start();
  stip::LogJson("info", "gateway listening",
                absl::StrCat("\"http\":", stip::JsonQuote(absl::StrCat(http_options.address)), ",\"port\":", server.port(),
                             ",\"routes\":", routes->routes().size(), ",\"cache\":",
                             options.cache.enabled && redis ? "true" : "false", ",\"redis\":", stip::JsonQuote(redis_addr)));
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    std::string temp = port_file + ".tmp";
    std::ofstream(temp) << server.port() << "\n";
    std::rename(temp.c_str(), port_file.c_str());
  }

  // SIGTERM/SIGINT: readiness goes false, new connections stop, in-flight exchanges get a moment to finish.
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int signal) {
    stip::LogJson("info", "shutting down", absl::StrCat("\"signal\":", signal));
    gateway.SetDraining(true);
    server.Stop();
  });
  signals_io.run();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  if (redis) redis->Stop();
  server.Wait();
  return 0;
}
