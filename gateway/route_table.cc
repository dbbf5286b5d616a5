#include "gateway/route_table.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "google/protobuf/descriptor_database.h"

namespace stip::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

const FieldDescriptor* FindFieldPath(const Descriptor* message, absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

// The template with its variable names dropped: "/v1/{name=plans/*}/x" and "/v1/{parent=plans/*}/x" are the
// same shape, so they would match the same requests.
std::string TemplateShape(absl::string_view text) {
  std::string shape;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      shape.push_back(text[i]);
      continue;
    }
    size_t close = text.find('}', i);
    absl::string_view inner = text.substr(i + 1, close - i - 1);
    size_t eq = inner.find('=');
    absl::StrAppend(&shape, "{", eq == absl::string_view::npos ? "*" : inner.substr(eq + 1), "}");
    i = close;
  }
  return shape;
}

}  // namespace

std::string BackendOf(const ServiceDescriptor* service) {
  std::vector<std::string> parts = absl::StrSplit(service->file()->package(), '.');
  if (parts.size() >= 2 && parts[0] == "stip") return parts[1];
  return parts.empty() ? std::string() : parts[0];
}

absl::StatusOr<RouteTable> RouteTable::FromGeneratedPool(absl::string_view service_prefix) {
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::sort(files.begin(), files.end());
  std::vector<const ServiceDescriptor*> services;
  for (const std::string& name : files) {
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) continue;
    for (int i = 0; i < file->service_count(); ++i) {
      if (absl::StartsWith(file->service(i)->full_name(), service_prefix)) services.push_back(file->service(i));
    }
  }
  return FromServices(services);
}

absl::StatusOr<RouteTable> RouteTable::FromServices(const std::vector<const ServiceDescriptor*>& services) {
  RouteTable table;
  for (const ServiceDescriptor* service : services) {
    table.services_.emplace_back(BackendOf(service), service->full_name());
    for (int i = 0; i < service->method_count(); ++i) {
      absl::Status status = table.Add(service->method(i));
      if (!status.ok()) return status;
    }
  }
  table.Sort();
  return table;
}

absl::Status RouteTable::Add(const MethodDescriptor* method) {
  if (!method->options().HasExtension(google::api::http)) return absl::OkStatus();
  // Streaming methods are routed too: the gateway transcodes them as grpc-gateway does (gateway.cc, Stream).
  const google::api::HttpRule& top = method->options().GetExtension(google::api::http);
  std::vector<const google::api::HttpRule*> rules = {&top};
  for (const auto& extra : top.additional_bindings()) rules.push_back(&extra);
  for (size_t binding = 0; binding < rules.size(); ++binding) {
    const google::api::HttpRule* rule = rules[binding];
    auto route = std::make_unique<Route>();
    route->binding = static_cast<int>(binding);
    std::string path;
    switch (rule->pattern_case()) {
      case google::api::HttpRule::kGet:
        route->http_method = "GET";
        path = rule->get();
        break;
      case google::api::HttpRule::kPut:
        route->http_method = "PUT";
        path = rule->put();
        break;
      case google::api::HttpRule::kPost:
        route->http_method = "POST";
        path = rule->post();
        break;
      case google::api::HttpRule::kDelete:
        route->http_method = "DELETE";
        path = rule->delete_();
        break;
      case google::api::HttpRule::kPatch:
        route->http_method = "PATCH";
        path = rule->patch();
        break;
      case google::api::HttpRule::kCustom:
        route->http_method = rule->custom().kind();
        path = rule->custom().path();
        break;
      default: continue;
    }
    absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(method->full_name(), ": ", parsed.status().message()));
    }
    route->path = *std::move(parsed);
    for (const std::string& field : route->path.variable_fields()) {
      const FieldDescriptor* bound = FindFieldPath(method->input_type(), field);
      if (bound == nullptr || bound->is_repeated() || bound->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        return absl::InvalidArgumentError(
            absl::StrCat(method->full_name(), ": path variable '", field, "' is not a singular scalar field"));
      }
    }
    route->body = rule->body();
    if (!route->body.empty() && route->body != "*" && FindFieldPath(method->input_type(), route->body) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(method->full_name(), ": body field '", route->body, "' not found"));
    }
    route->response_body = rule->response_body();
    route->method = method;
    route->grpc_path = absl::StrCat("/", method->service()->full_name(), "/", method->name());
    route->backend = BackendOf(method->service());
    route->label = absl::StrCat(route->http_method, " ", path);
    STIP_RETURN_IF_ERROR(CheckCollision(*route));
    routes_.push_back(std::move(route));
  }
  return absl::OkStatus();
}

absl::Status RouteTable::CheckCollision(const Route& route) const {
  std::string shape = TemplateShape(route.path.text());
  for (const auto& other : routes_) {
    if (other->http_method != route.http_method || TemplateShape(other->path.text()) != shape) continue;
    return absl::FailedPreconditionError(
        absl::StrCat("REST route collision: ", route.label, " is bound by both ", other->method->full_name(), " and ",
                     route.method->full_name(), "; give one of them another path in its google.api.http annotation"));
  }
  return absl::OkStatus();
}

void RouteTable::Sort() {
  // A route with a verb, then more literal segments, is more specific; otherwise declaration order.
  std::stable_sort(routes_.begin(), routes_.end(), [](const auto& a, const auto& b) {
    bool a_verb = !a->path.verb().empty(), b_verb = !b->path.verb().empty();
    if (a_verb != b_verb) return a_verb;
    return a->path.literal_count() > b->path.literal_count();
  });
  for (size_t i = 0; i < routes_.size(); ++i) routes_[i]->id = static_cast<int>(i);
}

RouteMatch RouteTable::Match(absl::string_view http_method, absl::string_view path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  std::vector<absl::string_view> parts = absl::StrSplit(path.substr(1), '/');  // once, not per route
  for (const auto& route : routes_) {
    std::optional<PathBindings> bindings = route->path.MatchParts(parts);
    if (!bindings) continue;
    if (route->http_method == http_method) {
      result.outcome = RouteMatch::Outcome::kFound;
      result.route = route.get();
      result.bindings = std::move(*bindings);
      result.allowed_methods.clear();
      return result;
    }
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route->http_method) ==
        result.allowed_methods.end()) {
      result.allowed_methods.push_back(route->http_method);
    }
  }
  return result;
}

std::vector<std::string> RouteTable::ServicesOf(absl::string_view backend) const {
  std::vector<std::string> out;
  for (const auto& [name, service] : services_) {
    if (name == backend) out.push_back(service);
  }
  return out;
}

std::vector<std::string> RouteTable::backends() const {
  std::vector<std::string> out;
  for (const auto& entry : services_) {
    if (std::find(out.begin(), out.end(), entry.first) == out.end()) out.push_back(entry.first);
  }
  return out;
}

}  // namespace stip::gateway
