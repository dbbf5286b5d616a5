// 统一社会信用代码 for test data (GB 32100-2015 check character), without linking the cultivation library.
#ifndef STIP_TESTS_INTEGRATION_GATEWAY_TEST_USCC_H_
#define STIP_TESTS_INTEGRATION_GATEWAY_TEST_USCC_H_

#include <string>

#include "absl/strings/str_cat.h"

namespace stip::testing {

// "91120110MA0" + a six-digit serial + the right check character: a Dongli (120110) enterprise.
inline std::string TestUscc(int serial) {
  static constexpr char kCharset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  std::string body = absl::StrCat("91120110MA0", absl::Dec(serial, absl::kZeroPad6));
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    int value = 0;
    while (kCharset[value] != body[static_cast<size_t>(i)]) ++value;
    sum += value * kWeights[i];
  }
  return body + kCharset[(31 - sum % 31) % 31];
}

// The same code with a wrong check character.
inline std::string TestUsccWithBadCheck(int serial) {
  std::string good = TestUscc(serial);
  good.back() = good.back() == '0' ? '1' : '0';
  return good;
}

}  // namespace stip::testing

#endif  // STIP_TESTS_INTEGRATION_GATEWAY_TEST_USCC_H_
