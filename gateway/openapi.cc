#include "gateway/openapi.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/openapi_schemas.h"
#include "google/api/field_behavior.pb.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

constexpr int kQueryDepth = 3;  // nested messages expanded into dotted query parameters, at most this deep

// "/v1/{name=plans/*/indicators/*}/values" → "/v1/plans/{plan}/indicators/{indicator}/values" with one string
// path parameter per "*" (named after the collection before it, as protoc-gen-openapiv2's
// expand_slashed_path_patterns does), so a generated client never has to percent-encode a slash.
std::string ExpandPath(const std::string& text, nlohmann::json* parameters) {
  std::string out;
  std::set<std::string> used;
  auto add_parameter = [&](const std::string& name, const std::string& of) {
    std::string unique = name;
    for (int n = 2; !used.insert(unique).second; ++n) unique = absl::StrCat(name, n);
    parameters->push_back({{"name", unique},
                           {"in", "path"},
                           {"required", true},
                           {"schema", {{"type", "string"}, {"pattern", "^[^/]+$"}}},
                           {"description", absl::StrCat("a segment of `", of, "`")}});
    return unique;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out.push_back(text[i]);
      continue;
    }
    size_t close = text.find('}', i);
    std::string inner = text.substr(i + 1, close - i - 1);
    i = close;
    size_t eq = inner.find('=');
    std::string field = inner.substr(0, eq);
    std::string pattern = eq == std::string::npos ? "*" : inner.substr(eq + 1);
    std::string previous;
    std::vector<std::string> segments = absl::StrSplit(pattern, '/');
    for (size_t s = 0; s < segments.size(); ++s) {
      if (s > 0) out.push_back('/');
      if (segments[s] != "*" && segments[s] != "**") {
        absl::StrAppend(&out, segments[s]);
        previous = segments[s];
        continue;
      }
      std::string name = previous.empty() ? field : previous;
      if (absl::EndsWith(name, "s") && !previous.empty()) name.pop_back();
      absl::StrAppend(&out, "{", add_parameter(name, field), "}");
    }
  }
  return out;
}

void QueryParameters(OpenApiSchemas* schemas, const Descriptor* message, const std::string& proto_prefix,
                     const std::string& json_prefix, const std::set<std::string>& bound, int depth,
                     nlohmann::json* parameters) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    std::string proto_path = absl::StrCat(proto_prefix, field->name());
    std::string json_path = absl::StrCat(json_prefix, field->json_name());
    if (bound.count(proto_path) > 0 || OpenApiSchemas::Has(field, google::api::OUTPUT_ONLY)) continue;
    const Descriptor* type = field->message_type();
    if (type != nullptr && !OpenApiSchemas::IsWellKnown(type)) {
      if (field->is_repeated() || depth >= kQueryDepth) continue;  // no form for these in a query string
      QueryParameters(schemas, type, proto_path + ".", json_path + ".", bound, depth + 1, parameters);
      continue;
    }
    nlohmann::json schema = schemas->Field(field);
    std::string description = schema.value("description", "");
    schema.erase("description");
    nlohmann::json parameter = {{"name", json_path}, {"in", "query"}, {"schema", schema}};
    if (field->is_repeated()) parameter["explode"] = true;
    if (!description.empty()) parameter["description"] = description;
    if (OpenApiSchemas::Has(field, google::api::REQUIRED)) parameter["required"] = true;
    parameters->push_back(parameter);
  }
}

// The request fields the route binds from the path (proto paths: "parent", "report.name").
std::set<std::string> PathFields(const Route& route) {
  std::vector<std::string> fields = route.path.variable_fields();
  return std::set<std::string>(fields.begin(), fields.end());
}

// The first sentence of the method's comment, for lists of operations.
std::string Summary(const std::string& description) {
  std::string first = description.substr(0, description.find('\n'));
  size_t cut = std::min(first.find("。"), first.find(". "));
  return cut == std::string::npos ? first : first.substr(0, cut);
}

nlohmann::json RequestBody(OpenApiSchemas* schemas, const Route& route, const std::set<std::string>& bound) {
  const MethodDescriptor* method = route.method;
  nlohmann::json schema;
  if (route.body == "*") {
    std::set<std::string> omit;
    for (const std::string& path : bound) {
      if (path.find('.') == std::string::npos) omit.insert(path);
    }
    schema = omit.empty() ? schemas->Ref(method->input_type())
                          : schemas->Named(absl::StrCat(method->service()->full_name(), ".", method->name(), "Body"),
                                           schemas->Object(method->input_type(), omit));
  } else {
    const Descriptor* type = method->input_type();
    const FieldDescriptor* field = nullptr;
    for (absl::string_view part : absl::StrSplit(route.body, '.')) {
      field = type->FindFieldByName(std::string(part));
      type = field->message_type();
    }
    schema = schemas->Field(field);
  }
  std::string description =
      method->client_streaming() ? "one JSON object per request message (newline-delimited JSON)" : "";
  nlohmann::json body = {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
  if (!description.empty()) body["description"] = description;
  return body;
}

nlohmann::json Responses(OpenApiSchemas* schemas, const MethodDescriptor* method) {
  nlohmann::json status =
      schemas->Ref(google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName("google.rpc.Status"));
  nlohmann::json ok;
  const Descriptor* output = method->output_type();
  if (output->full_name() == "google.api.HttpBody") {
    ok = {{"description", "the file (Content-Type and Content-Disposition name it)"},
          {"content", {{"application/octet-stream", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  } else if (method->server_streaming()) {
    nlohmann::json line = {{"type", "object"}, {"properties", {{"result", schemas->Ref(output)}, {"error", status}}}};
    ok = {{"description", "newline-delimited JSON: {\"result\": …} per message, {\"error\": …} if it fails midway"},
          {"content", {{"application/x-ndjson", {{"schema", line}}}}}};
  } else {
    ok = {{"description", "OK"}, {"content", {{"application/json", {{"schema", schemas->Ref(output)}}}}}};
  }
  nlohmann::json error_content = {{"application/json", {{"schema", status}}}};
  return {{"200", ok},
          {"4XX",
           {{"description",
             "the request cannot be served: 400 INVALID_ARGUMENT (field violations in details), 401, 403, 404, "
             "409 ALREADY_EXISTS, 412/409 etag mismatch, 429"},
            {"content", error_content}}},
          {"default",
           {{"description", "an error: google.rpc.Status with a Chinese message and its details (BadRequest …)"},
            {"content", error_content}}}};
}

nlohmann::json Operation(OpenApiSchemas* schemas, const ProtoComments& comments, const Route& route,
                         nlohmann::json parameters) {
  const MethodDescriptor* method = route.method;
  std::set<std::string> bound = PathFields(route);
  if (!route.body.empty()) bound.insert(route.body);
  if (route.body != "*") QueryParameters(schemas, method->input_type(), "", "", bound, 0, &parameters);
  std::string operation_id = absl::StrCat(method->service()->name(), "_", method->name());
  if (route.binding > 0) absl::StrAppend(&operation_id, route.binding + 1);
  nlohmann::json operation = {{"operationId", operation_id},
                              {"tags", {method->service()->name()}},
                              {"parameters", parameters},
                              {"responses", Responses(schemas, method)},
                              {"x-grpc-method", absl::StrCat(method->service()->full_name(), "/", method->name())}};
  std::string description = comments.Of(method);
  operation["summary"] = description.empty() ? method->name() : Summary(description);
  if (!description.empty()) operation["description"] = description;
  if (!route.body.empty()) operation["requestBody"] = RequestBody(schemas, route, PathFields(route));
  return operation;
}

}  // namespace

std::string BuildOpenApi(const RouteTable& routes, const ProtoComments& comments) {
  OpenApiSchemas schemas(&comments);
  nlohmann::json paths = nlohmann::json::object();
  std::map<std::string, std::string> tags;
  for (const auto& route : routes.routes()) {
    nlohmann::json parameters = nlohmann::json::array();
    std::string path = ExpandPath(route->path.text(), &parameters);
    paths[path][absl::AsciiStrToLower(route->http_method)] = Operation(&schemas, comments, *route, parameters);
    tags[route->method->service()->name()] = comments.Of(route->method->service());
  }
  nlohmann::json tag_list = nlohmann::json::array();
  for (const auto& [name, description] : tags) {
    nlohmann::json tag = {{"name", name}};
    if (!description.empty()) tag["description"] = description;
    tag_list.push_back(tag);
  }
  nlohmann::json components = {
      {"securitySchemes",
       {{"bearer",
         {{"type", "http"},
          {"scheme", "bearer"},
          {"bearerFormat", "JWT"},
          {"description", "scripts/stip token --role … --org-unit … prints one for a local suite"}}}}},
      {"schemas", schemas.components()}};
  nlohmann::json doc = {{"openapi", "3.0.3"},
                        {"info",
                         {{"title", "stip REST API"},
                          {"version", "v1"},
                          {"description",
                           "东丽区科技创新三年行动计划 — the REST/JSON surface of stip's gRPC services, generated from "
                           "their google.api.http annotations. Errors are google.rpc.Status with Chinese messages."}}},
                        {"servers", {{{"url", "/"}}}},
                        {"tags", tag_list},
                        {"security", nlohmann::json::array({{{"bearer", nlohmann::json::array()}}})},
                        {"paths", paths},
                        {"components", components}};
  return doc.dump(2);
}

}  // namespace stip::gateway
