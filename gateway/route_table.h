// The REST routes of the backend services, read at start-up from the google.api.http annotations of the
// descriptors in the generated pool: no hand-written per-route code.
#ifndef STIP_GATEWAY_ROUTE_TABLE_H_
#define STIP_GATEWAY_ROUTE_TABLE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "google/protobuf/descriptor.h"

namespace stip::gateway {

struct Route {
  int id = 0;
  std::string http_method;  // GET, POST, PUT, PATCH, DELETE or a custom method
  PathTemplate path;
  std::string body;           // "" (none), "*" (the whole request) or a field path
  std::string response_body;  // "" or the field of the response to return
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string grpc_path;  // "/stip.indicators.v1.IndicatorService/GetProgress"
  std::string backend;    // the service's package component: "indicators"
  std::string label;      // "GET /v1/{plan=plans/*}/progress", for metrics and logs
  int binding = 0;        // 0 for the method's main binding, 1… for its additional_bindings
};

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Route* route = nullptr;
  PathBindings bindings;
  std::vector<std::string> allowed_methods;  // for 405
};

class RouteTable {
 public:
  // Every service of the generated pool whose full name starts with `service_prefix`. Two bindings with the
  // same HTTP method and the same path shape (variable names aside) are an error naming both methods: the
  // gateway could serve only one of them.
  static absl::StatusOr<RouteTable> FromGeneratedPool(absl::string_view service_prefix = "stip.");
  static absl::StatusOr<RouteTable> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // `path` is the request path without the query string, still percent-encoded.
  RouteMatch Match(absl::string_view http_method, absl::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  // Full names of the services, grouped by backend.
  std::vector<std::string> ServicesOf(absl::string_view backend) const;
  std::vector<std::string> backends() const;

 private:
  absl::Status Add(const google::protobuf::MethodDescriptor* method);
  absl::Status CheckCollision(const Route& route) const;
  void Sort();

  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<std::pair<std::string, std::string>> services_;  // (backend, service full name)
};

// The backend of a service: the package component after "stip." ("stip.indicators.v1" → "indicators").
std::string BackendOf(const google::protobuf::ServiceDescriptor* service);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_ROUTE_TABLE_H_
