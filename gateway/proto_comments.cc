#include "gateway/proto_comments.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.pb.h"

namespace stip::gateway {
namespace {

// "// a\n// b" arrives as " a\n b\n": one space of indent per line, blank lines kept as paragraph breaks.
std::string Clean(const std::string& comment) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(comment, '\n')) {
    absl::ConsumePrefix(&line, " ");
    lines.emplace_back(absl::StripTrailingAsciiWhitespace(line));
  }
  return std::string(absl::StripAsciiWhitespace(absl::StrJoin(lines, "\n")));
}

template <typename T>
std::string CommentsOf(const T* element) {
  if (element == nullptr) return "";
  google::protobuf::SourceLocation location;
  if (!element->GetSourceLocation(&location)) return "";
  std::string leading = Clean(location.leading_comments);
  std::string trailing = Clean(location.trailing_comments);
  if (leading.empty()) return trailing;
  if (trailing.empty()) return leading;
  return absl::StrCat(leading, "\n", trailing);
}

}  // namespace

absl::StatusOr<ProtoComments> ProtoComments::FromDescriptorSet(std::string_view serialized) {
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromArray(serialized.data(), static_cast<int>(serialized.size()))) {
    return absl::InternalError("the embedded API descriptor set does not parse");
  }
  ProtoComments comments;
  comments.pool_ = std::make_shared<google::protobuf::DescriptorPool>();
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (comments.pool_->BuildFile(file) == nullptr) {
      return absl::InternalError(absl::StrCat("the embedded descriptor of ", file.name(), " does not build"));
    }
  }
  return comments;
}

std::string ProtoComments::Of(const google::protobuf::Descriptor* message) const {
  return pool_ == nullptr ? "" : CommentsOf(pool_->FindMessageTypeByName(message->full_name()));
}

std::string ProtoComments::Of(const google::protobuf::FieldDescriptor* field) const {
  if (pool_ == nullptr) return "";
  const google::protobuf::Descriptor* message = pool_->FindMessageTypeByName(field->containing_type()->full_name());
  return message == nullptr ? "" : CommentsOf(message->FindFieldByName(field->name()));
}

std::string ProtoComments::Of(const google::protobuf::EnumDescriptor* type) const {
  return pool_ == nullptr ? "" : CommentsOf(pool_->FindEnumTypeByName(type->full_name()));
}

std::string ProtoComments::Of(const google::protobuf::EnumValueDescriptor* value) const {
  return pool_ == nullptr ? "" : CommentsOf(pool_->FindEnumValueByName(value->full_name()));
}

std::string ProtoComments::Of(const google::protobuf::ServiceDescriptor* service) const {
  return pool_ == nullptr ? "" : CommentsOf(pool_->FindServiceByName(service->full_name()));
}

std::string ProtoComments::Of(const google::protobuf::MethodDescriptor* method) const {
  return pool_ == nullptr ? "" : CommentsOf(pool_->FindMethodByName(method->full_name()));
}

}  // namespace stip::gateway
