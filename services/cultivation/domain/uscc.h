// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set, the last one a check character.
#ifndef STIP_SERVICES_CULTIVATION_USCC_H_
#define STIP_SERVICES_CULTIVATION_USCC_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stip::cultivation {

// The check character for the first 17 characters, or nullopt when one of them is outside the set.
std::optional<char> UsccCheckCharacter(absl::string_view first17);
// OK, or INVALID_ARGUMENT (field "uscc") saying what is wrong, e.g. that the check digit should be X.
absl::Status ValidateUscc(absl::string_view uscc);
// Upper-cases and trims; callers validate afterwards.
std::string NormalizeUscc(absl::string_view uscc);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_USCC_H_
