#include "gateway/openapi.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {

namespace {

// "/v1/{name=plans/*}/progress" → ("/v1/{name}/progress", its path parameters with their patterns).
std::pair<std::string, nlohmann::json> OpenApiPath(const std::string& text) {
  std::string out;
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
  return {out, parameters};
}

}  // namespace

std::string BuildOpenApi(const RouteTable& routes) {
  nlohmann::json doc = {
      {"openapi", "3.0.3"},
      {"info", {{"title", "stip REST API (from the google.api.http annotations)"}, {"version", "v1"}}},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
      {"security", nlohmann::json::array({{{"bearer", nlohmann::json::array()}}})}};
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& route : routes.routes()) {
    auto [out, parameters] = OpenApiPath(route->path.text());
    nlohmann::json operation = {
        {"operationId", absl::StrCat(route->method->service()->name(), "_", route->method->name(), route->id)},
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
