// Text as Excel on Chinese Windows writes it, for import tests: `utf8` in GBK, GB18030 or UTF-16LE/BE (glibc
// iconv; no BOM is added).
#ifndef STIP_TESTS_SUPPORT_ENCODE_H_
#define STIP_TESTS_SUPPORT_ENCODE_H_

#include <iconv.h>

#include <string>

namespace stip::testing {

inline std::string EncodeAs(const std::string& utf8, const char* encoding) {
  iconv_t handle = iconv_open(encoding, "UTF-8");
  std::string in = utf8, out(utf8.size() * 4 + 16, '\0');
  char* in_ptr = in.data();
  char* out_ptr = out.data();
  size_t in_left = in.size(), out_left = out.size();
  iconv(handle, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(handle);
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_ENCODE_H_
