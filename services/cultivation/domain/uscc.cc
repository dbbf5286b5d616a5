#include "services/cultivation/domain/uscc.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace stip::cultivation {
namespace {

// GB 32100-2015 character set (no I, O, S, V, Z) and position weights 3^(i) mod 31.
constexpr absl::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int CodeOf(char c) {
  size_t position = kCharset.find(c);
  return position == absl::string_view::npos ? -1 : static_cast<int>(position);
}

}  // namespace

std::optional<char> UsccCheckCharacter(absl::string_view first17) {
  if (first17.size() < 17) return std::nullopt;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    int code = CodeOf(first17[i]);
    if (code < 0) return std::nullopt;
    sum += code * kWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kCharset[check];
}

std::string NormalizeUscc(absl::string_view uscc) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(uscc));
}

absl::Status ValidateUscc(absl::string_view uscc) {
  if (uscc.size() != 18) {
    return InvalidField("uscc",
                        absl::StrCat("统一社会信用代码应为18位，实际为", uscc.size(), "位 (a USCC has 18 characters)"));
  }
  for (size_t i = 0; i < uscc.size(); ++i) {
    if (CodeOf(uscc[i]) < 0) {
      return InvalidField("uscc", absl::StrCat("统一社会信用代码第", i + 1, "位“", uscc.substr(i, 1),
                                               "”不是允许的字符（不使用 I、O、S、V、Z）"));
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(uscc[i]))) {
      return InvalidField("uscc", "统一社会信用代码第3–8位应为登记管理机关行政区划码（数字）");
    }
  }
  char expected = *UsccCheckCharacter(uscc.substr(0, 17));
  if (uscc[17] != expected) {
    return InvalidField("uscc", absl::StrCat("统一社会信用代码校验位错误：第18位应为“", std::string(1, expected),
                                             "”，实际为“", uscc.substr(17, 1), "” (wrong check digit)"));
  }
  return absl::OkStatus();
}

}  // namespace stip::cultivation
