// stip-gateway: HTTP/JSON in, gRPC out. Wiring only; see gateway.h for the request path.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
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
#include "gateway/openapi.h"
#include "gateway/redis_cache.h"
#include "gateway/route_table.h"
#include "gateway/token_cache.h"

ABSL_FLAG(std::string, http_addr, stip::EnvOr("STIP_HTTP_ADDR", "0.0.0.0:8080"),
          "host:port for HTTP (port 0 picks one)");
ABSL_FLAG(std::string, indicators_addr, stip::EnvOr("STIP_INDICATORS_ADDR", ""),
          "host:port of the indicators service; empty = not deployed (its routes answer 503)");
ABSL_FLAG(std::string, cultivation_addr, stip::EnvOr("STIP_CULTIVATION_ADDR", ""),
          "host:port of the cultivation service; empty = not deployed");
ABSL_FLAG(std::string, evaluation_addr, stip::EnvOr("STIP_EVALUATION_ADDR", ""),
          "host:port of the evaluation service; empty = not deployed");
ABSL_FLAG(bool, print_openapi, false, "print the OpenAPI document to stdout and exit");
ABSL_FLAG(std::string, cors_origins, stip::EnvOr("STIP_GATEWAY_CORS_ORIGINS", ""),
          "origins (scheme://host[:port], comma-separated) whose browser apps may call the API; empty = no CORS");
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
ABSL_FLAG(int, upload_timeout_ms, stip::EnvInt("STIP_GATEWAY_UPLOAD_TIMEOUT_MS", 300000),
          "deadline of a client-streaming call (a file import), and the most a Grpc-Timeout may ask of one");
ABSL_FLAG(int, http_max_upload_bytes, stip::EnvInt("STIP_GATEWAY_MAX_UPLOAD_BYTES", 64 << 20),
          "largest body of an upload (a client-streaming route such as the CSV/xlsx import)");
ABSL_FLAG(int, http_max_header_bytes, stip::EnvInt("STIP_GATEWAY_MAX_HEADER_BYTES", 16 << 10),
          "largest request header");
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

namespace stip::gateway {
namespace {

// Logs why the gateway cannot run; the exit code is 2 for configuration (`config`), 1 otherwise.
absl::Status Fatal(absl::string_view what, const absl::Status& status, bool config = true) {
  stip::LogJson("error", what, absl::StrCat("\"error\":", stip::JsonQuote(status.ToString())));
  return config ? absl::InvalidArgumentError(status.ToString()) : absl::UnavailableError(status.ToString());
}

absl::StatusOr<std::map<std::string, std::vector<std::string>>> ReadsFromFlags() {
  if (absl::GetFlag(FLAGS_cache_reads).empty()) return DefaultReads();
  return ParseReads(absl::GetFlag(FLAGS_cache_reads));
}

Backends BackendsFromFlags(const RouteTable& routes) {
  std::map<std::string, std::string> addresses = {{"indicators", absl::GetFlag(FLAGS_indicators_addr)},
                                                  {"cultivation", absl::GetFlag(FLAGS_cultivation_addr)},
                                                  {"evaluation", absl::GetFlag(FLAGS_evaluation_addr)}};
  std::map<std::string, std::vector<std::string>> services;
  for (const std::string& backend : routes.backends()) {
    services[backend] = routes.ServicesOf(backend);
    addresses.emplace(backend, "");  // a package with no address flag: not deployed
  }
  return Backends(addresses, services);
}

HttpServer::Options HttpOptionsFromFlags() {
  HttpServer::Options options;
  options.address = absl::GetFlag(FLAGS_http_addr);
  int threads = absl::GetFlag(FLAGS_http_threads);
  options.threads = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  options.body_limit = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
  options.upload_limit = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_upload_bytes));
  options.header_limit = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_header_bytes));
  options.read_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_http_read_timeout_ms));
  return options;
}

GatewayOptions GatewayOptionsFromFlags(std::map<std::string, std::vector<std::string>> reads) {
  GatewayOptions options;
  options.cache.enabled = absl::GetFlag(FLAGS_cache);
  options.cache.ttl = absl::Seconds(absl::GetFlag(FLAGS_cache_ttl_s));
  options.cache.reads = std::move(reads);
  options.cache.single_flight = absl::GetFlag(FLAGS_single_flight);
  options.forward.backend_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));
  options.forward.upload_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_upload_timeout_ms));
  options.forward.emit_unpopulated = absl::GetFlag(FLAGS_json_emit_unpopulated);
  options.access_log = absl::GetFlag(FLAGS_access_log);
  return options;
}

// The Redis cache of --redis_addr (null when none is configured), on the server's io_context.
absl::StatusOr<std::unique_ptr<RedisCache>> RedisFromFlags(Generations* generations, GatewayMetrics* metrics,
                                                           boost::asio::io_context* io) {
  std::string address = absl::GetFlag(FLAGS_redis_addr);
  if (address.empty()) return std::unique_ptr<RedisCache>();
  RedisCache::Options options;
  if (!SplitHostPort(address, &options.host, &options.port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad --redis_addr ", address));
  }
  options.command_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_redis_timeout_ms));
  options.connect_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_redis_connect_timeout_ms));
  options.failure_threshold = absl::GetFlag(FLAGS_redis_failure_threshold);
  RedisCache::Events events;
  events.on_state = [metrics](bool up) { metrics->SetRedisUp(up); };
  events.on_error = [metrics] { metrics->CacheError(); };
  events.on_notice = [metrics](const std::string&) { metrics->CacheNotice(); };
  events.on_subscribed = [metrics] { metrics->Resubscribed(); };
  return std::make_unique<RedisCache>(options, generations, events, io);
}

void WritePortFile(int port) {
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (port_file.empty()) return;
  std::string temp = port_file + ".tmp";
  std::ofstream(temp) << port << "\n";
  std::rename(temp.c_str(), port_file.c_str());
}

// SIGTERM/SIGINT: readiness goes false, new connections stop, in-flight exchanges get a moment to finish.
void WaitForSignal(Gateway& gateway, HttpServer& server) {
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int signal) {
    stip::LogJson("info", "shutting down", absl::StrCat("\"signal\":", signal));
    gateway.SetDraining(true);
    server.Stop();
  });
  signals_io.run();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
}

// --print_openapi: the document /openapi.json serves, for publishing (scripts/stip openapi); nothing starts.
absl::Status PrintOpenApi() {
  absl::StatusOr<RouteTable> routes = RouteTable::FromGeneratedPool("stip.");
  if (!routes.ok()) return Fatal("route table", routes.status());
  std::cout << BuildOpenApi(*routes, ApiComments()) << "\n";
  return absl::OkStatus();
}

absl::Status RunGateway() {
  if (absl::GetFlag(FLAGS_print_openapi)) return PrintOpenApi();
  absl::StatusOr<stip::AuthConfig> auth = stip::AuthConfigFromFlags();
  if (!auth.ok()) return Fatal("auth configuration", auth.status());
  absl::StatusOr<std::unique_ptr<stip::TokenVerifier>> verifier = stip::TokenVerifier::Create(*auth);
  if (!verifier.ok()) return Fatal("auth configuration", verifier.status());
  absl::StatusOr<RouteTable> routes = RouteTable::FromGeneratedPool("stip.");
  if (!routes.ok()) return Fatal("route table", routes.status());
  absl::StatusOr<std::map<std::string, std::vector<std::string>>> reads = ReadsFromFlags();
  if (!reads.ok()) return Fatal("bad --cache_reads", reads.status());
  Backends backends = BackendsFromFlags(*routes);
  GatewayMetrics metrics;
  Generations generations(Gateway::Collections(*routes, *reads));
  TokenCache tokens(verifier->get());
  HttpServer::Options http_options = HttpOptionsFromFlags();
  // Declared before the cache: the cache runs on the server's io_context and must be destroyed first.
  HttpServer server(http_options, nullptr);
  absl::StatusOr<std::unique_ptr<RedisCache>> redis = RedisFromFlags(&generations, &metrics, &server.io());
  if (!redis.ok()) return Fatal("bad --redis_addr", redis.status());
  absl::StatusOr<CorsPolicy> cors = CorsPolicy::Parse(absl::GetFlag(FLAGS_cors_origins));
  if (!cors.ok()) return Fatal("bad --cors_origins", cors.status());
  GatewayOptions options = GatewayOptionsFromFlags(*reads);
  options.cors = *std::move(cors);
  bool cached = options.cache.enabled && *redis != nullptr;
  Gateway gateway(std::move(options), &*routes, &backends, redis->get(), &generations, &tokens, &metrics, &server.io());
  server.set_handler(&gateway);
  if (absl::Status started = server.Start(); !started.ok()) return Fatal("cannot start", started, /*config=*/false);
  metrics.SetRedisUp(false);
  if (*redis) (*redis)->Start();
  stip::LogJson("info", "gateway listening",
                absl::StrCat("\"http\":", stip::JsonQuote(http_options.address), ",\"port\":", server.port(),
                             ",\"routes\":", routes->routes().size(), ",\"cache\":", cached ? "true" : "false",
                             ",\"redis\":", stip::JsonQuote(absl::GetFlag(FLAGS_redis_addr))));
  WritePortFile(server.port());
  WaitForSignal(gateway, server);
  if (*redis) (*redis)->Stop();
  server.Wait();
  return absl::OkStatus();
}

}  // namespace
}  // namespace stip::gateway

int main(int argc, char** argv) {
  stip::ParseServiceFlags(argc, argv, "stip-gateway: REST/JSON gateway to the stip gRPC services");
  std::signal(SIGPIPE, SIG_IGN);
  absl::Status status = stip::gateway::RunGateway();
  if (status.ok()) return 0;
  return status.code() == absl::StatusCode::kUnavailable ? 1 : 2;
}
