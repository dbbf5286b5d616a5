#include "gateway/gateway.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "boost/asio/post.hpp"
#include "common/telemetry.h"
#include "gateway/assets.h"
#include "gateway/transcoder.h"
#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {
namespace http = boost::beast::http;

namespace {

std::mt19937_64& Random() {
  thread_local std::mt19937_64 random([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  return random;
}

std::string NewRequestId() {
  uint64_t a = Random()(), b = Random()();
  return absl::StrCat(absl::Hex(a, absl::kZeroPad16), absl::Hex(b, absl::kZeroPad16));
}

std::string Header(const HttpRequest& request, absl::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return "";
  return std::string(it->value());
}

const char* ContentTypeOf(absl::string_view path) {
  if (absl::EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(path, ".js")) return "application/javascript; charset=utf-8";
  if (absl::EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(path, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(path, ".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

struct Gateway::Call {
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
  std::vector<std::string> allowed;
  std::string www_authenticate;
};

struct Gateway::Flight {
  std::vector<std::shared_ptr<Call>> waiters;
};

std::map<std::string, std::vector<std::string>> DefaultReads() {
  return {{"indicators", {"indicators", "cultivation", "evaluation"}},
          {"cultivation", {"cultivation"}},
          {"evaluation", {"evaluation"}}};
}

absl::StatusOr<std::map<std::string, std::vector<std::string>>> ParseReads(absl::string_view text) {
  std::map<std::string, std::vector<std::string>> reads;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, '=');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("bad cache read entry '", entry, "' (want backend=a+b+c)"));
    }
    std::vector<std::string> collections = absl::StrSplit(parts[1], '+', absl::SkipEmpty());
    reads[std::string(absl::StripAsciiWhitespace(parts[0]))] = std::move(collections);
  }
  return reads;
}

std::vector<std::string> Gateway::Collections(const RouteTable& routes,
                                              const std::map<std::string, std::vector<std::string>>& reads) {
  std::vector<std::string> collections;
  auto add = [&](const std::string& name) {
    if (std::find(collections.begin(), collections.end(), name) == collections.end()) collections.push_back(name);
  };
  for (const std::string& backend : routes.backends()) add(backend);
  for (const auto& [backend, read] : reads) {
    add(backend);
    for (const std::string& name : read) add(name);
  }
  return collections;
}

Gateway::Gateway(GatewayOptions options, const RouteTable* routes, const Backends* backends, RedisCache* redis,
                 Generations* generations, TokenCache* tokens, GatewayMetrics* metrics,
                 boost::asio::io_context* work)
    : options_(std::move(options)),
      routes_(routes),
      backends_(backends),
      redis_(redis),
      generations_(generations),
      tokens_(tokens),
      metrics_(metrics),
      work_(work) {
  reads_.resize(routes_->routes().size());
  touches_.resize(routes_->routes().size());
  for (const auto& route : routes_->routes()) {
    auto read = options_.reads.find(route->backend);
    std::vector<std::string> names =
        read != options_.reads.end() ? read->second : std::vector<std::string>{route->backend};
    for (const std::string& name : names) {
      int index = generations_->IndexOf(name);
      if (index >= 0) reads_[route->id].push_back(index);
    }
    touches_[route->id] = {route->backend};
  }
  metrics_->SetCacheEnabled(options_.cache_enabled && redis_ != nullptr);
  openapi_ = BuildOpenApi();
}

Gateway::~Gateway() = default;

void Gateway::Handle(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream) {
  auto call = std::make_shared<Call>();
  call->start = absl::Now();
  call->request = std::move(request);
  call->reply = std::move(reply);
  call->stream_reply = std::move(stream);
  call->peer = peer;
  std::string_view target = call->request.target();
  size_t question = target.find('?');
  call->path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) call->raw_query = std::string(target.substr(question + 1));
  call->request_id = Header(call->request, "X-Request-Id");
  if (call->request_id.empty() || call->request_id.size() > 128) call->request_id = NewRequestId();
  std::string traceparent = Header(call->request, "traceparent");
  std::vector<absl::string_view> trace = absl::StrSplit(traceparent, '-');
  if (trace.size() == 4) call->trace_id = std::string(trace[1]);

  const std::string& path = call->path;
  bool get = call->request.method() == http::verb::get || call->request.method() == http::verb::head;
  if (path == "/healthz") {
    call->label = "/healthz";
    Respond(call, 200, "{\"status\":\"SERVING\"}", nullptr);
    return;
  }
  if (path == "/readyz") {
    call->label = "/readyz";
    ServeReady(call);
    return;
  }
  if (path == "/metrics") {
    call->label = "/metrics";
    Respond(call, 200, metrics_->Render(), nullptr, "text/plain; version=0.0.4");
    return;
  }
  if (path == "/openapi.json" && get) {
    call->label = "/openapi.json";
    Respond(call, 200, openapi_, nullptr);
    return;
  }
  if (get && ServeAsset(call, path)) return;
  HandleApi(call);
}

void Gateway::HandleApi(const std::shared_ptr<Call>& call) {
  std::string method(call->request.method_string());
  RouteMatch match = routes_->Match(method, call->path);
  if (match.outcome == RouteMatch::Outcome::kNotFound) {
    call->label = "unmatched";
    Respond(call, 404, StatusJson(5, absl::StrCat("未找到接口 (no route for ", call->path, ")")), "BYPASS");
    return;
  }
  if (match.outcome == RouteMatch::Outcome::kMethodNotAllowed) {
    call->label = "unmatched";
    call->allowed = match.allowed_methods;
    Respond(call, 405,
            StatusJson(12, absl::StrCat("不支持的请求方法 (method ", method, " not allowed; allowed: ",
                                        absl::StrJoin(match.allowed_methods, ", "), ")")),
            "BYPASS");
    return;
  }
  call->route = match.route;
  call->label = match.route->label;
  call->bindings = std::move(match.bindings);
  absl::StatusOr<std::vector<QueryParam>> params = ParseQuery(call->raw_query);
  if (!params.ok()) {
    Respond(call, 400, StatusJson(params.status()), "BYPASS");
    return;
  }
  call->params = *std::move(params);
  absl::StatusOr<Caller> caller = tokens_->Verify(Header(call->request, "Authorization"));
  if (!caller.ok()) {
    call->www_authenticate = Header(call->request, "Authorization").empty()
                                 ? "Bearer realm=\"stip\""
                                 : "Bearer realm=\"stip\", error=\"invalid_token\"";
    Respond(call, 401, StatusJson(16, caller.status().message()), "BYPASS");
    return;
  }
  call->caller = *std::move(caller);
  if (backends_->Find(call->route->backend) == nullptr) {
    Respond(call, 503,
            StatusJson(14, absl::StrCat("服务未部署 (service '", call->route->backend, "' is not deployed)")), "BYPASS");
    return;
  }
  if (call->route->method->client_streaming() || call->route->method->server_streaming()) {
    Stream(call);  // never cached
    return;
  }
  if (call->route->http_method == "GET") {
    if (options_.cache_enabled && redis_ != nullptr) {
      Cached(call);
    } else {
      metrics_->CacheBypass();
      Forward(call, [this, call](int status, std::string body) { Respond(call, status, std::move(body), "BYPASS"); });
    }
    return;
  }
  Forward(call, [this, call](int status, std::string body) { FinishWrite(call, status, std::move(body)); });
}

void Gateway::Cached(const std::shared_ptr<Call>& call) {
  if (!redis_->usable()) {
    metrics_->CacheBypass();
    Forward(call, [this, call](int status, std::string body) { Respond(call, status, std::move(body), "BYPASS"); });
    return;
  }
  absl::StatusOr<std::string> query = NormalizeQuery(*call->route, call->params);
  if (!query.ok()) {
    Respond(call, 400, StatusJson(query.status()), "BYPASS");
    return;
  }
  // The caller's scope: services filter by role and org unit, so callers that share both share entries.
  std::string scope = absl::StrCat(RoleName(call->caller.role), "/", call->caller.org_unit);
  std::string key = absl::StrCat(options_.key_prefix, scope, "|", generations_->Tag(reads_[call->route->id]), "|",
                                 call->path, "?", *query);
  // Single-flight: requests for the same key (same scope, same generations) while one is being looked up or
  // fetched wait for it, so N concurrent misses make one backend call (and one Redis GET). Without it
  // (--single_flight=false, for measurements) each request has a flight of its own.
  std::string flight_key = options_.single_flight ? key : absl::StrCat(key, "#", flight_counter_.fetch_add(1));
  {
    std::lock_guard<std::mutex> lock(flights_mutex_);
    auto& flight = flights_[flight_key];
    if (flight) {
      flight->waiters.push_back(call);
      return;
    }
    flight = std::make_unique<Flight>();
    flight->waiters.push_back(call);
  }
  redis_->Get(key, [this, call, key, flight_key](RedisCache::Outcome outcome, std::string value) {
    if (outcome == RedisCache::Outcome::kHit) {
      CompleteFlight(flight_key, 200, value, "HIT");
      return;
    }
    boost::asio::post(*work_, [this, call, key, flight_key, outcome] {
      Forward(call, [this, key, flight_key, outcome](int status, std::string body) {
        bool miss = outcome == RedisCache::Outcome::kMiss;
        // SET before answering: a request that comes after this answer finds the entry (same connection,
        // commands in order).
        if (miss && status == 200) redis_->Set(key, body, TtlSeconds());
        CompleteFlight(flight_key, status, body, miss ? "MISS" : "BYPASS");
      });
    });
  });
}

void Gateway::CompleteFlight(const std::string& key, int http_status, const std::string& body, const char* source) {
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
    Respond(waiter, http_status, body, source);
  }
}

bool Gateway::CallOptions(const std::shared_ptr<Call>& call, Backends::Metadata* metadata, absl::Time* deadline,
                          const Done& fail) {
  absl::Duration timeout = options_.backend_timeout;
  std::string grpc_timeout = Header(call->request, "Grpc-Timeout");
  if (!grpc_timeout.empty()) {
    absl::StatusOr<absl::Duration> parsed = ParseGrpcTimeout(grpc_timeout);
    if (!parsed.ok()) {
      fail(400, StatusJson(parsed.status()));
      return false;
    }
    timeout = std::min(*parsed, options_.max_backend_timeout);
    if (timeout <= absl::ZeroDuration()) {  // already expired, as a zero context timeout in grpc-gateway
      fail(504, StatusJson(4, "请求已超时 (deadline exceeded before the call)"));
      return false;
    }
  }
  *deadline = absl::Now() + timeout;
  metadata->emplace_back("x-request-id", call->request_id);
  for (const char* name : {"authorization", "traceparent", "tracestate"}) {
    std::string value = Header(call->request, name);
    if (!value.empty()) metadata->emplace_back(name, std::move(value));
  }
  std::string forwarded = Header(call->request, "X-Forwarded-For");
  if (!call->peer.empty()) forwarded = forwarded.empty() ? call->peer : absl::StrCat(forwarded, ", ", call->peer);
  if (!forwarded.empty()) metadata->emplace_back("x-forwarded-for", forwarded);
  for (const auto& field : call->request) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    if (absl::StartsWith(name, "grpc-metadata-") && name.size() > 14) {
      metadata->emplace_back(name.substr(14), std::string(field.value()));
    }
  }
  return true;
}

void Gateway::Forward(const std::shared_ptr<Call>& call, Done done) {
  const Route& route = *call->route;
  const Backends::Backend* backend = backends_->Find(route.backend);
  if (backend == nullptr) {
    done(503, StatusJson(14, absl::StrCat("服务未部署 (service '", route.backend, "' is not deployed)")));
    return;
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  absl::Status built = BuildRequest(route, call->bindings, call->params, call->request.body(), request.get());
  if (!built.ok()) {
    done(HttpStatusFromCode(static_cast<int>(built.code())), StatusJson(built));
    return;
  }
  Backends::Metadata metadata;
  absl::Time deadline;
  if (!CallOptions(call, &metadata, &deadline, done)) return;
  std::string bytes;
  request->SerializeToString(&bytes);
  const Route* route_ptr = &route;
  backends_->Call(*backend, route.grpc_path, std::move(bytes), metadata, deadline,
                  [this, route_ptr, done = std::move(done)](const grpc::Status& status, std::string response) mutable {
                    Complete(route_ptr, status, std::move(response), std::move(done));
                  });
}

void Gateway::Complete(const Route* route, const grpc::Status& status, std::string response, Done done) {
  metrics_->RecordBackendCall(route->backend, route->method->name(), static_cast<int>(status.error_code()));
  boost::asio::post(*work_, [this, route, status, response = std::move(response), done = std::move(done)] {
    if (!status.ok()) {
      int code = static_cast<int>(status.error_code());
      done(HttpStatusFromCode(code), StatusJson(code, status.error_message(), status.error_details()));
      return;
    }
    google::protobuf::util::JsonPrintOptions print;
    print.always_print_primitive_fields = options_.emit_unpopulated;
    absl::StatusOr<std::string> json = ResponseBytesToJson(*route, response, print);
    if (!json.ok()) {
      done(500, StatusJson(json.status()));
      return;
    }
    done(200, *std::move(json));
  });
}

// Streaming RPCs, the grpc-gateway way. Client streaming: the body is a sequence of JSON objects, one request
// message each (path and query fields go into the first); they are all transcoded before the call starts, so
// a malformed one is a 400 and the backend sees nothing. Server streaming: newline-delimited JSON, one
// {"result":…} per message, written as it arrives (the next message is read from the backend only when the
// previous one is on the wire); an error before the first message is an ordinary mapped error response, one
// after it (status 200 already sent) a final {"error":<google.rpc.Status>} line.
void Gateway::Stream(const std::shared_ptr<Call>& call) {
  const Route& route = *call->route;
  bool write = route.http_method != "GET";
  Done fail = [this, call, write](int status, std::string body) {
    if (write) {
      FinishWrite(call, status, std::move(body));
    } else {
      Respond(call, status, std::move(body), "BYPASS");
    }
  };
  if (!write) metrics_->CacheBypass();
  const Backends::Backend* backend = backends_->Find(route.backend);
  if (backend == nullptr) {
    fail(503, StatusJson(14, absl::StrCat("服务未部署 (service '", route.backend, "' is not deployed)")));
    return;
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(route.method->input_type());
  std::vector<std::string> requests;
  auto build = [&](const PathBindings& bindings, const std::vector<QueryParam>& params, absl::string_view body,
                   size_t index) -> bool {
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    absl::Status built = BuildRequest(route, bindings, params, body, request.get());
    if (!built.ok()) {
      if (route.method->client_streaming()) {
        absl::Status annotated(built.code(), absl::StrCat("第 ", index + 1, " 条消息 (message ", index + 1, "): ",
                                                          built.message()));
        built.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { annotated.SetPayload(url, payload); });
        built = annotated;
      }
      fail(HttpStatusFromCode(static_cast<int>(built.code())), StatusJson(built));
      return false;
    }
    requests.push_back(request->SerializeAsString());
    return true;
  };
  if (route.method->client_streaming()) {
    absl::StatusOr<std::vector<absl::string_view>> messages = SplitJsonSequence(call->request.body());
    if (!messages.ok()) {
      fail(400, StatusJson(messages.status()));
      return;
    }
    const PathBindings no_bindings;
    const std::vector<QueryParam> no_params;
    for (size_t i = 0; i < messages->size(); ++i) {
      bool first = i == 0;
      if (!build(first ? call->bindings : no_bindings, first ? call->params : no_params, (*messages)[i], i)) return;
    }
  } else if (!build(call->bindings, call->params, call->request.body(), 0)) {
    return;
  }
  Backends::Metadata metadata;
  absl::Time deadline;
  if (!CallOptions(call, &metadata, &deadline, fail)) return;
  const Route* route_ptr = &route;
  if (!route.method->server_streaming()) {
    backends_->ClientStream(*backend, route.grpc_path, std::move(requests), metadata, deadline,
                            [this, route_ptr, fail](const grpc::Status& status, std::string response) {
                              Complete(route_ptr, status, std::move(response), fail);
                            });
    return;
  }
  // Server streaming (and bidirectional: the request messages are all sent first, the body being complete).
  ServerStream(call, std::move(requests), metadata, deadline, fail);
}

void Gateway::ServerStream(const std::shared_ptr<Call>& call, std::vector<std::string> requests, const Backends::Metadata& metadata,
                           absl::Time deadline, Done fail) {
  struct State {
    std::shared_ptr<ResponseStream> out;  // set with the first message
    int messages = 0;
    bool client_gone = false;
    std::string render_error;  // a message the gateway could not render: reported as the error
  };
  auto state = std::make_shared<State>();
  const Route* route = call->route;
  const bool write = route->http_method != "GET";
  backends_->ServerStream(
      *backends_->Find(route->backend), route->grpc_path, std::move(requests), metadata, deadline,
      [this, call, state, route, write](std::string message, Backends::Next next) {
        boost::asio::post(*work_, [this, call, state, route, write, message = std::move(message),
                                   next = std::move(next)]() mutable {
          google::protobuf::util::JsonPrintOptions print;
          print.always_print_primitive_fields = options_.emit_unpopulated;
          absl::StatusOr<std::string> json = ResponseBytesToJson(*route, message, print);
          if (!json.ok()) {
            state->render_error = StatusJson(json.status());
            next(false);
            return;
          }
          if (state->out == nullptr) {
            if (write) BumpWrites(call);  // before anything of the answer leaves, as for every write
            HttpResponse head{http::status::ok, 11};
            head.set(http::field::content_type, "application/x-ndjson");
            head.set("X-Request-Id", call->request_id);
            head.set("X-Cache", "BYPASS");
            head.keep_alive(call->request.keep_alive());
            StreamReply start = std::move(call->stream_reply);
            state->out = start(std::move(head));
          }
          ++state->messages;
          state->out->Write(StreamResultLine(*json), [state, next = std::move(next)](bool ok) {
            if (!ok) state->client_gone = true;
            next(ok);
          });
        });
      },
      [this, call, state, route, fail](const grpc::Status& status) {
        metrics_->RecordBackendCall(route->backend, route->method->name(), static_cast<int>(status.error_code()));
        boost::asio::post(*work_, [this, call, state, status, fail] {
          std::string error;
          int code = static_cast<int>(status.error_code());
          if (!state->render_error.empty()) {
            code = 13;
            error = state->render_error;
          } else if (!status.ok()) {
            error = StatusJson(code, status.error_message(), status.error_details());
          }
          if (state->out == nullptr) {  // nothing sent yet: an ordinary response
            if (error.empty()) {
              // No messages: an empty 200 body (grpc-gateway).
              if (call->route->http_method != "GET") {
                FinishWrite(call, 200, "");
              } else {
                Respond(call, 200, "", "BYPASS", "application/x-ndjson");
              }
            } else {
              fail(state->render_error.empty() ? HttpStatusFromCode(code) : 500, std::move(error));
            }
            return;
          }
          if (!error.empty() && !state->client_gone) {
            state->out->Write(StreamErrorLine(error), nullptr);
          }
          state->out->Finish();
          if (call->route->http_method != "GET") BumpWrites(call);  // it may have committed more meanwhile
          LogRequest(call, 200, "BYPASS",
                     absl::StrCat(",\"messages\":", state->messages, ",\"grpc_code\":", code,
                                  state->client_gone ? ",\"client_gone\":true" : ""));
        });
      });
}

void Gateway::BumpWrites(const std::shared_ptr<Call>& call) {
  for (const std::string& collection : touches_[call->route->id]) {
    generations_->Bump(collection);
    if (redis_ != nullptr) redis_->Publish("stip:changes", collection);  // other gateway replicas
  }
}

void Gateway::FinishWrite(const std::shared_ptr<Call>& call, int http_status, std::string body) {
  // Read-your-writes: the generations move before the answer leaves, so the caller's next GET misses.
  // Bumped whatever the outcome: a failed or timed-out call may still have committed.
  BumpWrites(call);
  Respond(call, http_status, std::move(body), "BYPASS");
}

void Gateway::Respond(const std::shared_ptr<Call>& call, int http_status, std::string body, const char* cache,
                      const char* content_type) {
  HttpResponse response{static_cast<http::status>(http_status), 11};
  response.set(http::field::content_type, content_type);
  response.set("X-Request-Id", call->request_id);
  if (cache != nullptr) response.set("X-Cache", cache);
  if (http_status == 401 && !call->www_authenticate.empty()) {
    response.set(http::field::www_authenticate, call->www_authenticate);
  }
  if (http_status == 405) response.set(http::field::allow, absl::StrJoin(call->allowed, ", "));
  if (call->request.method() == http::verb::head) {
    response.content_length(body.size());
  } else {
    response.body() = std::move(body);
  }
  response.keep_alive(call->request.keep_alive());
  LogRequest(call, http_status, cache);
  Reply reply = std::move(call->reply);
  reply(std::move(response));
}

void Gateway::LogRequest(const std::shared_ptr<Call>& call, int http_status, const char* cache, absl::string_view extra) {
  double seconds = absl::ToDoubleSeconds(absl::Now() - call->start);
  metrics_->RecordRequest(call->label, http_status, seconds);
  if (options_.access_log || http_status >= 500) {
    LogJson(http_status >= 500 ? "error" : "info", "http",
            absl::StrCat("\"method\":", JsonQuote(std::string(call->request.method_string())), ",\"path\":", JsonQuote(call->path),
                         ",\"route\":", JsonQuote(call->label), ",\"status\":", http_status,
                         ",\"cache\":", JsonQuote(cache == nullptr ? "" : cache),
                         ",\"ms\":", absl::StrFormat("%.3f", seconds * 1000),
                         ",\"request_id\":", JsonQuote(call->request_id), ",\"trace_id\":", JsonQuote(call->trace_id),
                         extra));
  }
}

void Gateway::ServeReady(const std::shared_ptr<Call>& call) {
  if (draining_) {
    Respond(call, 503, "{\"ready\":false,\"draining\":true}", nullptr);
    return;
  }
  backends_->CheckReady(absl::Seconds(1), [this, call](bool ready, std::string json) {
    boost::asio::post(*work_, [this, call, ready, json = std::move(json)]() mutable {
      Respond(call, ready ? 200 : 503, std::move(json), nullptr);
    });
  });
}

bool Gateway::ServeAsset(const std::shared_ptr<Call>& call, const std::string& path) {
  std::string wanted = path == "/" ? "/index.html" : path;
  for (const Asset& asset : Assets()) {
    if (asset.path == wanted) {
      call->label = "/assets";
      Respond(call, 200, std::string(asset.content), nullptr, ContentTypeOf(wanted));
      return true;
    }
  }
  return false;
}

int Gateway::TtlSeconds() {
  double base = absl::ToDoubleSeconds(options_.cache_ttl);
  std::uniform_real_distribution<double> jitter(-0.1, 0.1);
  return std::max(1, static_cast<int>(base * (1 + jitter(Random())) + 0.5));
}

std::string Gateway::BuildOpenApi() const {
  nlohmann::json doc = {{"openapi", "3.0.3"},
                        {"info", {{"title", "stip REST API (from the google.api.http annotations)"}, {"version", "v1"}}},
                        {"components",
                         {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
                        {"security", nlohmann::json::array({{{"bearer", nlohmann::json::array()}}})}};
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& route : routes_->routes()) {
    // "/v1/{name=plans/*}/progress" → "/v1/{name}/progress"; the pattern goes in the parameter.
    std::string text = route->path.text(), out;
    nlohmann::json parameters = nlohmann::json::array();
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '{') {
        out.push_back(text[i]);
        continue;
      }
      size_t close = text.find('}', i);
      std::string inner = text.substr(i + 1, close - i - 1);
      size_t eq = inner.find('=');
      std::string field = inner.substr(0, eq);
      absl::StrAppend(&out, "{", field, "}");
      parameters.push_back({{"name", field},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}},
                            {"description", eq == std::string::npos ? "" : "pattern: " + inner.substr(eq + 1)}});
      i = close;
    }
    nlohmann::json operation = {{"operationId", absl::StrCat(route->method->service()->name(), "_", route->method->name(), route->id)},
                                {"tags", {route->method->service()->full_name()}},
                                {"parameters", parameters},
                                {"responses",
                                 {{"200", {{"description", route->method->output_type()->full_name()}}},
                                  {"default", {{"description", "google.rpc.Status"}}}}}};
    if (!route->body.empty()) {
      operation["requestBody"] = {
          {"description", route->body == "*" ? route->method->input_type()->full_name() : "field " + route->body},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    paths[out][absl::AsciiStrToLower(route->http_method)] = operation;
  }
  doc["paths"] = paths;
  return doc.dump(2);
}

}  // namespace stip::gateway
