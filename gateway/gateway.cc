#include "gateway/gateway.h"

#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/telemetry.h"
#include "gateway/api_descriptors.h"
#include "gateway/openapi.h"

namespace stip::gateway {
namespace {

namespace http = boost::beast::http;

std::string NewRequestId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  uint64_t a = random(), b = random();
  return absl::StrCat(absl::Hex(a, absl::kZeroPad16), absl::Hex(b, absl::kZeroPad16));
}

}  // namespace

ProtoComments ApiComments() {
  absl::StatusOr<ProtoComments> comments = ProtoComments::FromDescriptorSet(ApiDescriptorSet());
  if (comments.ok()) return *std::move(comments);
  LogJson("warning", "the OpenAPI document has no descriptions",
          absl::StrCat("\"error\":", JsonQuote(comments.status().ToString())));
  return ProtoComments();
}

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
                 Generations* generations, TokenCache* tokens, GatewayMetrics* metrics, boost::asio::io_context* work)
    : cors_(options.cors),
      routes_(routes),
      backends_(backends),
      tokens_(tokens),
      responder_(metrics, options.access_log),
      cache_(std::move(options.cache), routes, redis, generations, metrics, &responder_, work),
      forwarder_(options.forward, backends, metrics, &responder_, work,
                 [this](const std::shared_ptr<HttpCall>& call) { cache_.Invalidate(call); }),
      builtins_(backends, metrics, &responder_, work, BuildOpenApi(*routes, ApiComments())) {}

std::shared_ptr<HttpCall> Gateway::NewCall(HttpRequest request, const std::string& peer, Reply reply,
                                           StreamReply stream) {
  auto call = std::make_shared<HttpCall>();
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
  call->cors_origin = cors_.Allow(Header(call->request, "Origin"));
  std::vector<absl::string_view> trace = absl::StrSplit(Header(call->request, "traceparent"), '-');
  if (trace.size() == 4) call->trace_id = std::string(trace[1]);  // W3C: version-traceid-parentid-flags
  return call;
}

void Gateway::Handle(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream) {
  std::shared_ptr<HttpCall> call = NewCall(std::move(request), peer, std::move(reply), std::move(stream));
  if (Preflight(call) || builtins_.Serve(call)) return;
  if (Route(call)) Dispatch(call);
}

bool Gateway::IsUpload(boost::beast::http::verb method, std::string_view target) const {
  namespace http = boost::beast::http;
  if (method != http::verb::post && method != http::verb::put) return false;  // GETs are not routed twice
  std::string_view path = target.substr(0, target.find('?'));
  RouteMatch match =
      routes_->Match(std::string(boost::beast::http::to_string(method)), absl::string_view(path.data(), path.size()));
  return match.outcome == RouteMatch::Outcome::kFound && match.route->method->client_streaming();
}

bool Gateway::Preflight(const std::shared_ptr<HttpCall>& call) {
  if (call->request.method() != boost::beast::http::verb::options || call->cors_origin.empty() ||
      Header(call->request, "Access-Control-Request-Method").empty()) {
    return false;
  }
  call->label = "preflight";
  responder_.Log(call, 204, nullptr);
  Reply reply = std::move(call->reply);
  reply(CorsPolicy::Preflight(call->cors_origin, call->request.keep_alive()));
  return true;
}

bool Gateway::Route(const std::shared_ptr<HttpCall>& call) {
  std::string method(call->request.method_string());
  RouteMatch match = routes_->Match(method, call->path);
  if (match.outcome != RouteMatch::Outcome::kFound) {
    call->label = "unmatched";
    bool not_found = match.outcome == RouteMatch::Outcome::kNotFound;
    if (!not_found) call->allowed = match.allowed_methods;
    responder_.Respond(call, not_found ? 404 : 405,
                       not_found
                           ? StatusJson(absl::NotFoundError(absl::StrCat("未找到接口 (no route for ", call->path, ")")))
                           : StatusJson(absl::UnimplementedError(absl::StrCat(
                                 "不支持的请求方法 (method ", method,
                                 " not allowed; allowed: ", absl::StrJoin(match.allowed_methods, ", "), ")"))),
                       "BYPASS");
    return false;
  }
  call->route = match.route;
  call->label = match.route->label;
  call->bindings = std::move(match.bindings);
  absl::StatusOr<std::vector<QueryParam>> params = ParseQuery(call->raw_query);
  if (!params.ok()) {
    responder_.RespondError(call, params.status(), "BYPASS");
    return false;
  }
  call->params = *std::move(params);
  std::string authorization = Header(call->request, "Authorization");
  absl::StatusOr<Caller> caller = tokens_->Verify(authorization);
  if (!caller.ok()) {
    call->www_authenticate =
        authorization.empty() ? "Bearer realm=\"stip\"" : "Bearer realm=\"stip\", error=\"invalid_token\"";
    responder_.RespondError(call, absl::UnauthenticatedError(caller.status().message()), "BYPASS");
    return false;
  }
  call->caller = *std::move(caller);
  return true;
}

void Gateway::Dispatch(const std::shared_ptr<HttpCall>& call) {
  if (backends_->Find(call->route->backend) == nullptr) {
    return responder_.RespondError(call, NotDeployed(call->route->backend), "BYPASS");
  }
  if (call->route->method->client_streaming() || call->route->method->server_streaming()) {
    return forwarder_.Stream(call);  // never cached
  }
  if (call->route->http_method == "GET") return cache_.Get(call, &forwarder_);
  forwarder_.Unary(call, [this, call](int status, std::string body) {
    // Read-your-writes: the generations move before the answer leaves, so the caller's next GET misses.
    // Bumped whatever the outcome: a failed or timed-out call may still have committed.
    cache_.Invalidate(call);
    responder_.Respond(call, status, std::move(body), "BYPASS");
  });
}

}  // namespace stip::gateway
