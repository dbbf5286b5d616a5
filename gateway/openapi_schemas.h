// The components/schemas of the OpenAPI document: one schema per message and enum the routes reach, in
// protobuf's JSON mapping (lowerCamelCase names, 64-bit integers as strings, enums by name, well-known types as
// their JSON forms), with the protos' comments and google.api.field_behavior (REQUIRED → required,
// OUTPUT_ONLY → readOnly). Modelled on grpc-gateway's protoc-gen-openapiv2.
#ifndef STIP_GATEWAY_OPENAPI_SCHEMAS_H_
#define STIP_GATEWAY_OPENAPI_SCHEMAS_H_

#include <map>
#include <set>
#include <string>

#include "gateway/proto_comments.h"
#include "google/protobuf/descriptor.h"
#include "nlohmann/json.hpp"

namespace stip::gateway {

class OpenApiSchemas {
 public:
  explicit OpenApiSchemas(const ProtoComments* comments) : comments_(comments) {}

  // A reference to `message`'s schema (defined on first use), or the inline JSON form of a well-known type.
  nlohmann::json Ref(const google::protobuf::Descriptor* message);
  // An object schema of `message` without the fields in `omit` (the request fields a path binds).
  nlohmann::json Object(const google::protobuf::Descriptor* message, const std::set<std::string>& omit);
  // The schema of one field's value (repeated → array, map → object), with its description.
  nlohmann::json Field(const google::protobuf::FieldDescriptor* field);
  // Registers a named schema (e.g. a request body without its path fields) and returns its reference.
  nlohmann::json Named(const std::string& name, nlohmann::json schema);

  static bool Has(const google::protobuf::FieldDescriptor* field, int behavior);
  static bool IsWellKnown(const google::protobuf::Descriptor* message);

  const std::map<std::string, nlohmann::json>& components() const { return schemas_; }

 private:
  nlohmann::json Element(const google::protobuf::FieldDescriptor* field);
  nlohmann::json EnumRef(const google::protobuf::EnumDescriptor* type);
  void Define(const google::protobuf::Descriptor* message);

  const ProtoComments* comments_;
  std::map<std::string, nlohmann::json> schemas_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_OPENAPI_SCHEMAS_H_
