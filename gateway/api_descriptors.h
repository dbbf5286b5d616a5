// The serialized FileDescriptorSet of every API proto with its comments (protoc --include_source_info),
// embedded at build time: the OpenAPI document's summaries and descriptions come from it.
#ifndef STIP_GATEWAY_API_DESCRIPTORS_H_
#define STIP_GATEWAY_API_DESCRIPTORS_H_

#include <string_view>

namespace stip::gateway {

std::string_view ApiDescriptorSet();

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_API_DESCRIPTORS_H_
