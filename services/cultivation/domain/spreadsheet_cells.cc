#include "services/cultivation/domain/spreadsheet_cells.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace stip::cultivation {
namespace {

// Digits at the front of `text`, consumed; nullopt when there are none (or more than `max`).
std::optional<int> TakeNumber(absl::string_view* text, size_t max) {
  size_t n = 0;
  while (n < text->size() && n < max + 1 && absl::ascii_isdigit(static_cast<unsigned char>((*text)[n]))) ++n;
  if (n == 0 || n > max) return std::nullopt;
  int value = 0;
  if (!absl::SimpleAtoi(text->substr(0, n), &value)) return std::nullopt;
  text->remove_prefix(n);
  return value;
}

bool TakeSeparator(absl::string_view* text, absl::string_view chinese) {
  if (absl::ConsumePrefix(text, chinese)) return true;
  for (const char* ascii : {"-", "/", "."}) {
    if (absl::ConsumePrefix(text, ascii)) return true;
  }
  return false;
}

// A midnight time after a date: " 0:00", " 00:00:00" (Excel's date-time of a date cell).
bool IsMidnight(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return true;
  for (char c : text) {
    if (c != '0' && c != ':') return false;
  }
  return absl::StrContains(text, ":");
}

bool NormalizeDate(std::string* cell) {
  absl::string_view text = absl::StripAsciiWhitespace(*cell);
  std::optional<int> year = TakeNumber(&text, 4);
  if (!year || *year < 1900 || !TakeSeparator(&text, "年")) return false;
  std::optional<int> month = TakeNumber(&text, 2);
  if (!month || *month < 1 || *month > 12 || !TakeSeparator(&text, "月")) return false;
  std::optional<int> day = TakeNumber(&text, 2);
  if (!day || *day < 1 || *day > 31) return false;
  absl::ConsumePrefix(&text, "日");
  if (!IsMidnight(text)) return false;
  std::string canonical = absl::StrFormat("%04d-%02d-%02d", *year, *month, *day);
  if (canonical == *cell) return false;
  *cell = canonical;
  return true;
}

bool AllDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "8,600,000" or "-1,234.5": a first group of 1–3 digits, then groups of exactly 3.
bool NormalizeThousands(std::string* cell) {
  absl::string_view text = absl::StripAsciiWhitespace(*cell);
  bool negative = absl::ConsumePrefix(&text, "-");
  absl::string_view fraction;
  if (size_t dot = text.find('.'); dot != absl::string_view::npos) {
    fraction = text.substr(dot);
    text = text.substr(0, dot);
    if (!AllDigits(fraction.substr(1))) return false;
  }
  std::vector<absl::string_view> groups = absl::StrSplit(text, ',');
  if (groups.size() < 2) return false;
  std::string digits;
  for (size_t i = 0; i < groups.size(); ++i) {
    size_t size = groups[i].size();
    if (size > 3 || size < (i == 0 ? 1u : 3u) || !AllDigits(groups[i])) return false;
    digits.append(groups[i].data(), size);
  }
  *cell = absl::StrCat(negative ? "-" : "", digits, fraction);
  return true;
}

}  // namespace

bool NormalizeSpreadsheetCell(std::string* cell) {
  return NormalizeDate(cell) || NormalizeThousands(cell);
}

}  // namespace stip::cultivation
