#include "gateway/cors_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace stip::gateway {

namespace http = boost::beast::http;

absl::StatusOr<CorsPolicy> CorsPolicy::Parse(absl::string_view origins) {
  CorsPolicy policy;
  for (absl::string_view origin : absl::StrSplit(origins, ',', absl::SkipWhitespace())) {
    origin = absl::StripAsciiWhitespace(origin);
    if (origin == "*") {
      policy.any_ = true;
      continue;
    }
    bool scheme = absl::StartsWith(origin, "http://") || absl::StartsWith(origin, "https://");
    absl::string_view host = origin.substr(origin.find("//") + 2);
    if (!scheme || host.empty() || absl::StrContains(host, "/")) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad --cors_origins entry '", origin, "' (want scheme://host[:port], no path)"));
    }
    policy.origins_.insert(absl::AsciiStrToLower(origin));
  }
  return policy;
}

std::string CorsPolicy::Allow(absl::string_view origin) const {
  if (origin.empty()) return "";
  if (any_ || origins_.count(absl::AsciiStrToLower(origin)) > 0) return std::string(origin);
  return "";
}

void CorsPolicy::Decorate(const std::string& allowed_origin, HttpResponse* response) {
  if (allowed_origin.empty()) return;
  response->set(http::field::access_control_allow_origin, allowed_origin);
  response->set(http::field::vary, "Origin");
  response->set(http::field::access_control_expose_headers,
                "X-Request-Id, X-Cache, ETag, Content-Disposition, Retry-After");
}

HttpResponse CorsPolicy::Preflight(const std::string& allowed_origin, bool keep_alive) {
  HttpResponse response{http::status::no_content, 11};
  Decorate(allowed_origin, &response);
  response.set(http::field::access_control_allow_methods, "GET, POST, PATCH, PUT, DELETE");
  response.set(http::field::access_control_allow_headers,
               "Authorization, Content-Type, X-Request-Id, Grpc-Timeout, If-Match, traceparent, tracestate");
  response.set(http::field::access_control_max_age, "600");
  response.keep_alive(keep_alive);
  return response;
}

}  // namespace stip::gateway
