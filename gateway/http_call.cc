#include "gateway/http_call.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/telemetry.h"
#include "gateway/cors_policy.h"

namespace stip::gateway {

namespace http = boost::beast::http;

std::string Header(const HttpRequest& request, absl::string_view name) {
  auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return "";
  return std::string(it->value());
}

void SetCorsHeaders(const HttpCall& call, HttpResponse* response) {
  CorsPolicy::Decorate(call.cors_origin, response);
}

void Responder::Respond(const std::shared_ptr<HttpCall>& call, int http_status, std::string body, const char* cache,
                        const char* content_type) const {
  HttpResponse response{static_cast<http::status>(http_status), 11};
  response.set(http::field::content_type, content_type);
  response.set("X-Request-Id", call->request_id);
  if (cache != nullptr) response.set("X-Cache", cache);
  SetCorsHeaders(*call, &response);
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
  Log(call, http_status, cache);
  Reply reply = std::move(call->reply);
  reply(std::move(response));
}

void Responder::RespondError(const std::shared_ptr<HttpCall>& call, const absl::Status& status,
                             const char* cache) const {
  Respond(call, HttpStatusFromCode(static_cast<int>(status.code())), StatusJson(status), cache);
}

void Responder::Log(const std::shared_ptr<HttpCall>& call, int http_status, const char* cache,
                    absl::string_view extra) const {
  double seconds = absl::ToDoubleSeconds(absl::Now() - call->start);
  metrics_->RecordRequest(call->label, http_status, seconds);
  if (!access_log_ && http_status < 500) return;
  LogJson(http_status >= 500 ? "error" : "info", "http",
          absl::StrCat("\"method\":", JsonQuote(std::string(call->request.method_string())),
                       ",\"path\":", JsonQuote(call->path), ",\"route\":", JsonQuote(call->label),
                       ",\"status\":", http_status, ",\"cache\":", JsonQuote(cache == nullptr ? "" : cache), ",\"ms\":",
                       absl::StrFormat("%.3f", seconds * 1000), ",\"request_id\":", JsonQuote(call->request_id),
                       ",\"trace_id\":", JsonQuote(call->trace_id), extra));
}

}  // namespace stip::gateway
