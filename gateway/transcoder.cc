#include "gateway/transcoder.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "google/rpc/status.pb.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldDescriptor* FindField(const Descriptor* message, absl::string_view name) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

bool IsWellKnownLeaf(const Descriptor* message) {
  const std::string& name = message->full_name();
  return name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration" ||
         name == "google.protobuf.FieldMask" || name == "google.protobuf.DoubleValue" ||
         name == "google.protobuf.FloatValue" || name == "google.protobuf.Int64Value" ||
         name == "google.protobuf.UInt64Value" || name == "google.protobuf.Int32Value" ||
         name == "google.protobuf.UInt32Value" || name == "google.protobuf.BoolValue" ||
         name == "google.protobuf.StringValue" || name == "google.protobuf.BytesValue";
}

bool IsWrapper(const Descriptor* message) {
  return absl::EndsWith(message->full_name(), "Value") && absl::StartsWith(message->full_name(), "google.protobuf.");
}

// Whether `path` equals `prefix` or lies under it ("value.note" under "value").
bool Covers(absl::string_view prefix, absl::string_view path) {
  return path == prefix ||
         (absl::StartsWith(path, prefix) && path.size() > prefix.size() && path[prefix.size()] == '.');
}

absl::Status FieldError(absl::string_view field, std::string description) {
  return InvalidField(std::string(field), std::move(description));
}

bool ParseBool(absl::string_view text, bool* out) {
  if (text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" || text == "True") {
    *out = true;
    return true;
  }
  if (text == "0" || text == "f" || text == "F" || text == "false" || text == "FALSE" || text == "False") {
    *out = false;
    return true;
  }
  return false;
}

// "updateMask=displayTitle,year" → paths: FieldMask's JSON form is lowerCamelCase; proto names pass unchanged.
void SetFieldMask(google::protobuf::FieldMask* mask, absl::string_view text) {
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::string snake;
    for (char c : absl::StripAsciiWhitespace(part)) {
      if (absl::ascii_isupper(c)) {
        snake.push_back('_');
        snake.push_back(absl::ascii_tolower(c));
      } else {
        snake.push_back(c);
      }
    }
    mask->add_paths(snake);
  }
}

absl::Status SetScalar(Message* message, const FieldDescriptor* field, absl::string_view path, absl::string_view text);

// A message-typed field from text: FieldMask, a wrapper, or a type whose JSON form is a string (Timestamp,
// Duration). False when the text is not one.
bool SetMessageField(Message* message, const FieldDescriptor* field, absl::string_view path, absl::string_view text,
                     absl::Status* status) {
  const Reflection* reflection = message->GetReflection();
  Message* target =
      field->is_repeated() ? reflection->AddMessage(message, field) : reflection->MutableMessage(message, field);
  const Descriptor* type = field->message_type();
  if (type->full_name() == "google.protobuf.FieldMask") {
    auto* mask = static_cast<google::protobuf::FieldMask*>(target);
    if (mask->GetDescriptor() != google::protobuf::FieldMask::descriptor()) return false;
    SetFieldMask(mask, text);
    return true;
  }
  if (IsWrapper(type)) {
    *status = SetScalar(target, type->FindFieldByName("value"), path, text);
    return true;
  }
  google::protobuf::util::JsonParseOptions options;
  return google::protobuf::util::JsonStringToMessage(nlohmann::json(std::string(text)).dump(), target, options).ok();
}

// Parses text into a number (or bool) of the field's type and sets or appends it; false when it is not one.
template <typename T, typename Parse, typename Set, typename Add>
bool SetParsed(Message* message, const FieldDescriptor* field, absl::string_view text, Parse parse, Set set, Add add) {
  T value;
  if (!parse(text, &value)) return false;
  const Reflection* reflection = message->GetReflection();
  field->is_repeated() ? (reflection->*add)(message, field, value) : (reflection->*set)(message, field, value);
  return true;
}

bool SetEnumField(Message* message, const FieldDescriptor* field, absl::string_view text) {
  const google::protobuf::EnumValueDescriptor* value = field->enum_type()->FindValueByName(std::string(text));
  int number = 0;
  if (value == nullptr && absl::SimpleAtoi(text, &number)) value = field->enum_type()->FindValueByNumber(number);
  if (value == nullptr) return false;
  const Reflection* reflection = message->GetReflection();
  field->is_repeated() ? reflection->AddEnum(message, field, value) : reflection->SetEnum(message, field, value);
  return true;
}

bool SetStringField(Message* message, const FieldDescriptor* field, absl::string_view text) {
  std::string v(text);
  if (field->type() == FieldDescriptor::TYPE_BYTES && !absl::Base64Unescape(text, &v) &&
      !absl::WebSafeBase64Unescape(text, &v)) {
    return false;
  }
  const Reflection* reflection = message->GetReflection();
  field->is_repeated() ? reflection->AddString(message, field, std::move(v))
                       : reflection->SetString(message, field, std::move(v));
  return true;
}

// Sets (or, for repeated fields, appends) one value given as text.
absl::Status SetScalar(Message* message, const FieldDescriptor* field, absl::string_view path, absl::string_view text) {
  using R = Reflection;
  auto atoi = [](absl::string_view t, auto* v) { return absl::SimpleAtoi(t, v); };
  bool ok = false;
  absl::Status status;
  std::string type = field->cpp_type_name();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      ok = SetParsed<int32_t>(message, field, text, atoi, &R::SetInt32, &R::AddInt32);
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      ok = SetParsed<int64_t>(message, field, text, atoi, &R::SetInt64, &R::AddInt64);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      ok = SetParsed<uint32_t>(message, field, text, atoi, &R::SetUInt32, &R::AddUInt32);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      ok = SetParsed<uint64_t>(message, field, text, atoi, &R::SetUInt64, &R::AddUInt64);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      ok = SetParsed<double>(message, field, text, absl::SimpleAtod, &R::SetDouble, &R::AddDouble);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      ok = SetParsed<float>(message, field, text, absl::SimpleAtof, &R::SetFloat, &R::AddFloat);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      ok = SetParsed<bool>(message, field, text, ParseBool, &R::SetBool, &R::AddBool);
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      ok = SetEnumField(message, field, text);
      type = field->enum_type()->name();
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      ok = SetStringField(message, field, text);
      type = "bytes";
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      ok = SetMessageField(message, field, path, text, &status);
      type = field->message_type()->full_name();
      break;
  }
  if (!status.ok()) return status;
  if (ok) return absl::OkStatus();
  return FieldError(path, absl::StrCat("invalid value \"", text, "\" for field \"", path, "\" (", type, ")"));
}

// Walks `path` (proto names) to its leaf, creating parent messages.
absl::Status SetPath(Message* request, absl::string_view path, absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  Message* message = request;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) return FieldError(path, absl::StrCat("unknown field \"", path, "\""));
    if (i + 1 == parts.size()) return SetScalar(message, field, path, text);
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_repeated()) {
      return FieldError(path, absl::StrCat("\"", path, "\" does not name a singular message field"));
    }
    message = message->GetReflection()->MutableMessage(message, field);
  }
  return absl::OkStatus();
}

absl::Status JsonError(const google::protobuf::util::Status& status, absl::string_view where) {
  return absl::InvalidArgumentError(
      absl::StrCat("请求体不是有效的 JSON (malformed JSON ", where, "): ", status.message().ToString()));
}

// Paths of the keys present in a JSON body, for PATCH without an update_mask (grpc-gateway's rule).
void CollectMaskPaths(const nlohmann::json& object, const Descriptor* message, const std::string& prefix,
                      std::vector<std::string>* paths) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const FieldDescriptor* field = FindField(message, it.key());
    if (field == nullptr) continue;
    std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    if (it.value().is_object() && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_map() &&
        !field->is_repeated() && !IsWellKnownLeaf(field->message_type()) &&
        !absl::StartsWith(field->message_type()->full_name(), "google.protobuf.")) {
      CollectMaskPaths(it.value(), field->message_type(), path, paths);
    } else {
      paths->push_back(path);
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<QueryParam>> ParseQuery(absl::string_view raw) {
  std::vector<QueryParam> params;
  for (absl::string_view pair : absl::StrSplit(raw, '&', absl::SkipEmpty())) {
    size_t eq = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, eq), false, true);
    std::optional<std::string> value =
        eq == absl::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), false, true);
    if (!name || !value) {
      return absl::InvalidArgumentError(absl::StrCat("查询参数编码错误 (malformed query parameter): ", pair));
    }
    params.push_back({*std::move(name), *std::move(value)});
  }
  return params;
}

absl::StatusOr<std::string> ResolveQueryField(const Route& route, absl::string_view name) {
  auto unknown = [&](absl::string_view why) {
    return FieldError(name, absl::StrCat("未知的查询参数 (unknown query parameter) \"", name, "\"", why));
  };
  if (route.body == "*") return unknown(": this method takes all fields from the body");
  const Descriptor* message = route.method->input_type();
  std::string path;
  std::vector<absl::string_view> parts = absl::StrSplit(name, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = FindField(message, parts[i]);
    if (field == nullptr) return unknown("");
    absl::StrAppend(&path, path.empty() ? "" : ".", field->name());
    bool leaf = i + 1 == parts.size();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_map()) return unknown(": map fields cannot come from a query");
      if (IsWellKnownLeaf(field->message_type())) {
        if (!leaf) return unknown("");
      } else {
        if (leaf || field->is_repeated()) return unknown(": name a scalar field inside it");
        message = field->message_type();
      }
    } else if (!leaf) {
      return unknown("");
    }
  }
  for (const std::string& bound : route.path.variable_fields()) {
    if (Covers(bound, path) || Covers(path, bound)) return unknown(": it is bound by the path");
  }
  if (!route.body.empty() && (Covers(route.body, path) || Covers(path, route.body))) {
    return unknown(": it comes from the body");
  }
  return path;
}

absl::StatusOr<std::vector<absl::string_view>> SplitJsonSequence(absl::string_view body) {
  std::vector<absl::string_view> out;
  size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (true) {
    while (i < body.size() && space(body[i])) ++i;
    if (i == body.size()) break;
    if (body[i] != '{') {
      return absl::InvalidArgumentError(
          absl::StrCat("请求体应为一个或多个 JSON 对象 (a streaming body is a sequence of JSON objects; message ",
                       out.size() + 1, " at byte ", i, " does not start with '{')"));
    }
    size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < body.size(); ++i) {
      char c = body[i];
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    if (i >= body.size()) {
      return absl::InvalidArgumentError(absl::StrCat("请求体不完整 (malformed JSON: message ", out.size() + 1,
                                                     " starting at byte ", start, " is not closed)"));
    }
    ++i;
    out.push_back(body.substr(start, i - start));
  }
  return out;
}

std::string StreamResultLine(absl::string_view message_json) {
  return absl::StrCat("{\"result\":", message_json, "}\n");
}

std::string StreamErrorLine(absl::string_view status_json) {
  return absl::StrCat("{\"error\":", status_json, "}\n");
}

absl::StatusOr<std::string> NormalizeQuery(const Route& route, const std::vector<QueryParam>& params) {
  std::vector<std::pair<std::string, const std::string*>> resolved;
  resolved.reserve(params.size());
  for (const QueryParam& param : params) {
    absl::StatusOr<std::string> path = ResolveQueryField(route, param.name);
    if (!path.ok()) return path.status();
    resolved.emplace_back(*std::move(path), &param.value);
  }
  std::stable_sort(resolved.begin(), resolved.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [path, value] : resolved) {
    absl::StrAppend(&out, out.empty() ? "" : "&", path, "=", PercentEncode(*value));
  }
  return out;
}

absl::Status BuildRequest(const Route& route, const PathBindings& bindings, const std::vector<QueryParam>& params,
                          absl::string_view body, Message* request) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  absl::string_view trimmed = absl::StripAsciiWhitespace(body);
  if (!route.body.empty() && !trimmed.empty()) {
    if (route.body == "*") {
      google::protobuf::util::Status status =
          google::protobuf::util::JsonStringToMessage(std::string(trimmed), request, options);
      if (!status.ok()) return JsonError(status, "body");
    } else {
      // body: "a.b" → {"a":{"b":<body>}}: the JSON parser then handles every field kind.
      std::vector<std::string> parts = absl::StrSplit(route.body, '.');
      std::string wrapped;
      for (const std::string& part : parts) absl::StrAppend(&wrapped, "{\"", part, "\":");
      absl::StrAppend(&wrapped, trimmed, std::string(parts.size(), '}'));
      google::protobuf::util::Status status = google::protobuf::util::JsonStringToMessage(wrapped, request, options);
      if (!status.ok()) return JsonError(status, absl::StrCat("for field \"", route.body, "\""));
    }
  } else if (route.body.empty() && !trimmed.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("此接口不接受请求体 (", route.label, " takes no body)"));
  }
  for (const QueryParam& param : params) {
    absl::StatusOr<std::string> path = ResolveQueryField(route, param.name);
    if (!path.ok()) return path.status();
    absl::Status status = SetPath(request, *path, param.value);
    if (!status.ok()) return status;
  }
  for (const auto& [path, value] : bindings) {
    // Path variables override the body, as in grpc-gateway.
    absl::Status status = SetPath(request, path, value);
    if (!status.ok()) return status;
  }
  // PATCH without update_mask: the mask is the set of fields present in the body (grpc-gateway).
  if (route.http_method == "PATCH" && !route.body.empty() && route.body != "*" && !trimmed.empty()) {
    const FieldDescriptor* mask_field = request->GetDescriptor()->FindFieldByName("update_mask");
    if (mask_field != nullptr && !mask_field->is_repeated() && mask_field->message_type() != nullptr &&
        mask_field->message_type()->full_name() == "google.protobuf.FieldMask") {
      const Reflection* reflection = request->GetReflection();
      if (!reflection->HasField(*request, mask_field)) {
        nlohmann::json parsed = nlohmann::json::parse(trimmed, nullptr, /*allow_exceptions=*/false);
        const FieldDescriptor* body_field = nullptr;
        const Descriptor* type = request->GetDescriptor();
        for (absl::string_view part : absl::StrSplit(route.body, '.')) {
          body_field = type->FindFieldByName(std::string(part));
          type = body_field->message_type();
        }
        if (parsed.is_object() && type != nullptr) {
          std::vector<std::string> paths;
          CollectMaskPaths(parsed, type, "", &paths);
          auto* mask = static_cast<google::protobuf::FieldMask*>(reflection->MutableMessage(request, mask_field));
          for (std::string& path : paths) mask->add_paths(std::move(path));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ResponseToJson(const Route& route, const Message& response,
                                           const google::protobuf::util::JsonPrintOptions& options) {
  std::string out;
  const Message* target = &response;
  if (!route.response_body.empty()) {
    const FieldDescriptor* field = response.GetDescriptor()->FindFieldByName(route.response_body);
    if (field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
      target = &response.GetReflection()->GetMessage(response, field);
    }
  }
  google::protobuf::util::Status status = google::protobuf::util::MessageToJsonString(*target, &out, options);
  if (!status.ok())
    return absl::InternalError(absl::StrCat("cannot render the response: ", status.message().ToString()));
  return out;
}

absl::StatusOr<std::string> ResponseBytesToJson(const Route& route, const std::string& bytes,
                                                const google::protobuf::util::JsonPrintOptions& options) {
  const Descriptor* type = route.method->output_type();
  if (!route.response_body.empty()) {
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
    std::unique_ptr<Message> message(prototype->New());
    if (!message->ParseFromString(bytes)) return absl::InternalError("cannot parse the backend's response");
    return ResponseToJson(route, *message, options);
  }
  static google::protobuf::util::TypeResolver* const kResolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool("type.googleapis.com",
                                                               google::protobuf::DescriptorPool::generated_pool());
  std::string out;
  google::protobuf::util::Status status = google::protobuf::util::BinaryToJsonString(
      kResolver, absl::StrCat("type.googleapis.com/", type->full_name()), bytes, &out, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot render the backend's response: ", status.message().ToString()));
  }
  return out;
}

absl::StatusOr<absl::Duration> ParseGrpcTimeout(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("Grpc-Timeout 格式错误 (malformed Grpc-Timeout): ", value));
  };
  if (value.size() < 2 || value.size() > 9) return bad();
  int64_t amount = 0;
  if (!absl::SimpleAtoi(value.substr(0, value.size() - 1), &amount) || amount < 0) return bad();
  switch (value.back()) {
    case 'H': return absl::Hours(amount);
    case 'M': return absl::Minutes(amount);
    case 'S': return absl::Seconds(amount);
    case 'm': return absl::Milliseconds(amount);
    case 'u': return absl::Microseconds(amount);
    case 'n': return absl::Nanoseconds(amount);
    default: return bad();
  }
}

}  // namespace stip::gateway
