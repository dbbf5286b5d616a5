# Turns the protos' descriptor set (with comments) into a C++ source (cmake -DINPUT=... -DOUTPUT=... -P
# embed_descriptors.cmake), so the gateway's OpenAPI document has the protos' comments without files next to it.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT}.tmp "// Generated from stip_api.desc by embed_descriptors.cmake. Do not edit.
#include \"gateway/api_descriptors.h\"

namespace stip::gateway {
namespace {
const unsigned char kDescriptorSet[] = {${bytes} 0};
}  // namespace

std::string_view ApiDescriptorSet() {
  return std::string_view(reinterpret_cast<const char*>(kDescriptorSet), ${size});
}

}  // namespace stip::gateway
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
