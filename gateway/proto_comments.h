// The protos' own comments, for the OpenAPI document's summaries and descriptions: the descriptors compiled into
// the C++ code carry none, so they are read from the embedded descriptor set (api_descriptors.h), by full name.
#ifndef STIP_GATEWAY_PROTO_COMMENTS_H_
#define STIP_GATEWAY_PROTO_COMMENTS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace stip::gateway {

class ProtoComments {
 public:
  ProtoComments() = default;  // no comments: every lookup is ""
  // `serialized` is a FileDescriptorSet with source info, its files in dependency order (--include_imports).
  static absl::StatusOr<ProtoComments> FromDescriptorSet(std::string_view serialized);

  // The leading and trailing comments of the element with the same full name, trimmed; "" when none.
  std::string Of(const google::protobuf::Descriptor* message) const;
  std::string Of(const google::protobuf::FieldDescriptor* field) const;
  std::string Of(const google::protobuf::EnumDescriptor* type) const;
  std::string Of(const google::protobuf::EnumValueDescriptor* value) const;
  std::string Of(const google::protobuf::ServiceDescriptor* service) const;
  std::string Of(const google::protobuf::MethodDescriptor* method) const;

 private:
  std::shared_ptr<google::protobuf::DescriptorPool> pool_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_PROTO_COMMENTS_H_
