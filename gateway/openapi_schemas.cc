#include "gateway/openapi_schemas.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/api/field_behavior.pb.h"

namespace stip::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

std::string RefTo(const std::string& name) {
  return absl::StrCat("#/components/schemas/", name);
}

// The JSON forms of the well-known types (protobuf's JSON mapping, as protoc-gen-openapiv2 writes them).
const std::map<std::string, nlohmann::json>& WellKnown() {
  static const auto* const kTypes = new std::map<std::string, nlohmann::json>{
      {"google.protobuf.Timestamp", {{"type", "string"}, {"format", "date-time"}}},
      {"google.protobuf.Duration", {{"type", "string"}, {"example", "1.5s"}}},
      {"google.protobuf.FieldMask", {{"type", "string"}, {"description", "field paths, comma-separated"}}},
      {"google.protobuf.StringValue", {{"type", "string"}}},
      {"google.protobuf.BytesValue", {{"type", "string"}, {"format", "byte"}}},
      {"google.protobuf.Int32Value", {{"type", "integer"}, {"format", "int32"}}},
      {"google.protobuf.UInt32Value", {{"type", "integer"}, {"format", "int64"}}},
      {"google.protobuf.Int64Value", {{"type", "string"}, {"format", "int64"}}},
      {"google.protobuf.UInt64Value", {{"type", "string"}, {"format", "uint64"}}},
      {"google.protobuf.FloatValue", {{"type", "number"}, {"format", "float"}}},
      {"google.protobuf.DoubleValue", {{"type", "number"}, {"format", "double"}}},
      {"google.protobuf.BoolValue", {{"type", "boolean"}}},
      {"google.protobuf.Empty", {{"type", "object"}}},
      {"google.protobuf.Struct", {{"type", "object"}, {"additionalProperties", nlohmann::json::object()}}},
      {"google.protobuf.Value", nlohmann::json::object()},
      {"google.protobuf.ListValue", {{"type", "array"}, {"items", nlohmann::json::object()}}},
  };
  return *kTypes;
}

nlohmann::json Scalar(const FieldDescriptor* field) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SINT32:
    case FieldDescriptor::TYPE_SFIXED32: return {{"type", "integer"}, {"format", "int32"}};
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32: return {{"type", "integer"}, {"format", "int64"}};
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SINT64:
    case FieldDescriptor::TYPE_SFIXED64: return {{"type", "string"}, {"format", "int64"}};
    case FieldDescriptor::TYPE_UINT64:
    case FieldDescriptor::TYPE_FIXED64: return {{"type", "string"}, {"format", "uint64"}};
    case FieldDescriptor::TYPE_FLOAT: return {{"type", "number"}, {"format", "float"}};
    case FieldDescriptor::TYPE_DOUBLE: return {{"type", "number"}, {"format", "double"}};
    case FieldDescriptor::TYPE_BOOL: return {{"type", "boolean"}};
    case FieldDescriptor::TYPE_BYTES: return {{"type", "string"}, {"format", "byte"}};
    default: return {{"type", "string"}};
  }
}

}  // namespace

bool OpenApiSchemas::Has(const FieldDescriptor* field, int behavior) {
  const auto& behaviors = field->options().GetRepeatedExtension(google::api::field_behavior);
  return std::any_of(behaviors.begin(), behaviors.end(), [&](int b) { return b == behavior; });
}

bool OpenApiSchemas::IsWellKnown(const Descriptor* message) {
  return WellKnown().count(message->full_name()) > 0;
}

nlohmann::json OpenApiSchemas::Ref(const Descriptor* message) {
  auto known = WellKnown().find(message->full_name());
  if (known != WellKnown().end()) return known->second;
  Define(message);
  return {{"$ref", RefTo(message->full_name())}};
}

nlohmann::json OpenApiSchemas::Named(const std::string& name, nlohmann::json schema) {
  schemas_[name] = std::move(schema);
  return {{"$ref", RefTo(name)}};
}

void OpenApiSchemas::Define(const Descriptor* message) {
  if (schemas_.count(message->full_name()) > 0) return;
  schemas_[message->full_name()] = nlohmann::json::object();  // a placeholder: recursive messages stop here
  if (message->full_name() == "google.protobuf.Any") {
    schemas_[message->full_name()] = {
        {"type", "object"},
        {"description", "A message of any type, named by @type (google.rpc.BadRequest, …)."},
        {"properties", {{"@type", {{"type", "string"}}}}},
        {"additionalProperties", nlohmann::json::object()}};
    return;
  }
  schemas_[message->full_name()] = Object(message, {});
}

nlohmann::json OpenApiSchemas::Object(const Descriptor* message, const std::set<std::string>& omit) {
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    if (omit.count(field->name()) > 0) continue;
    properties[field->json_name()] = Field(field);
    if (Has(field, google::api::REQUIRED)) required.push_back(field->json_name());
  }
  nlohmann::json schema = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) schema["required"] = required;
  std::string description = comments_->Of(message);
  if (!description.empty()) schema["description"] = description;
  return schema;
}

nlohmann::json OpenApiSchemas::EnumRef(const EnumDescriptor* type) {
  if (schemas_.count(type->full_name()) == 0) {
    nlohmann::json names = nlohmann::json::array();
    std::string description = comments_->Of(type);
    for (int i = 0; i < type->value_count(); ++i) {
      names.push_back(type->value(i)->name());
      std::string value = comments_->Of(type->value(i));
      if (!value.empty())
        absl::StrAppend(&description, description.empty() ? "" : "\n", "- ", type->value(i)->name(), ": ", value);
    }
    nlohmann::json schema = {{"type", "string"}, {"enum", names}};
    if (!description.empty()) schema["description"] = description;
    schemas_[type->full_name()] = schema;
  }
  return {{"$ref", RefTo(type->full_name())}};
}

nlohmann::json OpenApiSchemas::Element(const FieldDescriptor* field) {
  if (field->type() == FieldDescriptor::TYPE_ENUM) return EnumRef(field->enum_type());
  if (field->message_type() != nullptr) return Ref(field->message_type());
  return Scalar(field);
}

nlohmann::json OpenApiSchemas::Field(const FieldDescriptor* field) {
  nlohmann::json schema;
  if (field->is_map()) {
    schema = {{"type", "object"}, {"additionalProperties", Element(field->message_type()->map_value())}};
  } else if (field->is_repeated()) {
    schema = {{"type", "array"}, {"items", Element(field)}};
  } else {
    schema = Element(field);
  }
  std::string description = comments_->Of(field);
  bool output_only = Has(field, google::api::OUTPUT_ONLY);
  bool input_only = Has(field, google::api::INPUT_ONLY);
  if (description.empty() && !output_only && !input_only) return schema;
  if (schema.contains("$ref")) schema = {{"allOf", nlohmann::json::array({schema})}};  // $ref takes no siblings
  if (!description.empty()) schema["description"] = description;
  if (output_only) schema["readOnly"] = true;
  if (input_only) schema["writeOnly"] = true;
  return schema;
}

}  // namespace stip::gateway
