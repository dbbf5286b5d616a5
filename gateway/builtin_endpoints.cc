#include "gateway/builtin_endpoints.h"

#include "absl/strings/match.h"
#include "boost/asio/post.hpp"
#include "gateway/assets.h"

namespace stip::gateway {
namespace {

namespace http = boost::beast::http;

const char* ContentTypeOf(absl::string_view path) {
  if (absl::EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(path, ".js")) return "application/javascript; charset=utf-8";
  if (absl::EndsWith(path, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(path, ".svg")) return "image/svg+xml";
  if (absl::EndsWith(path, ".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

bool BuiltinEndpoints::Serve(const std::shared_ptr<HttpCall>& call) {
  const std::string& path = call->path;
  bool get = call->request.method() == http::verb::get || call->request.method() == http::verb::head;
  if (path == "/healthz") {
    call->label = "/healthz";
    responder_->Respond(call, 200, "{\"status\":\"SERVING\"}", nullptr);
  } else if (path == "/readyz") {
    call->label = "/readyz";
    ServeReady(call);
  } else if (path == "/metrics") {
    call->label = "/metrics";
    responder_->Respond(call, 200, metrics_->Render(), nullptr, "text/plain; version=0.0.4");
  } else if (path == "/openapi.json" && get) {
    call->label = "/openapi.json";
    responder_->Respond(call, 200, openapi_, nullptr);
  } else {
    return get && ServeAsset(call);
  }
  return true;
}

void BuiltinEndpoints::ServeReady(const std::shared_ptr<HttpCall>& call) {
  if (draining_) {
    responder_->Respond(call, 503, "{\"ready\":false,\"draining\":true}", nullptr);
    return;
  }
  backends_->CheckReady(absl::Seconds(1), [this, call](bool ready, std::string json) {
    boost::asio::post(*work_, [this, call, ready, json = std::move(json)]() mutable {
      responder_->Respond(call, ready ? 200 : 503, std::move(json), nullptr);
    });
  });
}

bool BuiltinEndpoints::ServeAsset(const std::shared_ptr<HttpCall>& call) {
  std::string wanted = call->path == "/" ? "/index.html" : call->path;
  for (const Asset& asset : Assets()) {
    if (asset.path == wanted) {
      call->label = "/assets";
      responder_->Respond(call, 200, std::string(asset.content), nullptr, ContentTypeOf(wanted));
      return true;
    }
  }
  return false;
}

}  // namespace stip::gateway
