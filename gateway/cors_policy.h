// Cross-origin access for the bureaus' browser apps (CORS): which origins may call the API, the preflight
// answer, and the headers an allowed origin's responses carry. With no origins configured there is no CORS at
// all (a browser on another origin is then refused by its own same-origin policy).
#ifndef STIP_GATEWAY_CORS_POLICY_H_
#define STIP_GATEWAY_CORS_POLICY_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/http_server.h"

namespace stip::gateway {

class CorsPolicy {
 public:
  CorsPolicy() = default;  // no origins: no CORS
  // "https://kjj.example.gov.cn,http://localhost:5173"; "*" allows any origin (for development only: with
  // bearer tokens it is safe from CSRF, but any page could then read what its user may read).
  static absl::StatusOr<CorsPolicy> Parse(absl::string_view origins);

  bool enabled() const { return any_ || !origins_.empty(); }
  // The origin to echo in Access-Control-Allow-Origin, or "" when `origin` may not call.
  std::string Allow(absl::string_view origin) const;
  // The headers every response to an allowed origin carries.
  static void Decorate(const std::string& allowed_origin, HttpResponse* response);
  // A preflight's 204 for an allowed origin.
  static HttpResponse Preflight(const std::string& allowed_origin, bool keep_alive);

 private:
  bool any_ = false;
  std::set<std::string> origins_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_CORS_POLICY_H_
