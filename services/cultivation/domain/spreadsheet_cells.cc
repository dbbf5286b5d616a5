#include "services/cultivation/domain/spreadsheet_cells.h"

#include <algorithm>
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

bool IsWanYuanHeader(absl::string_view header, absl::string_view yuan_header) {
  absl::string_view stem = yuan_header;
  if (!absl::ConsumeSuffix(&stem, "(元)")) return false;
  return header == absl::StrCat(stem, "(万元)") || header == absl::StrCat(stem, "（万元）");
}

absl::StatusOr<std::string> WanYuanToYuan(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::string();
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('.', 1));
  auto digits = [](absl::string_view part) {
    return std::all_of(part.begin(), part.end(),
                       [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
  };
  absl::string_view whole = parts[0];
  absl::string_view fraction = parts.size() > 1 ? parts[1] : absl::string_view();
  if (whole.empty() || !digits(whole) || !digits(fraction) || (parts.size() > 1 && fraction.empty())) {
    return absl::InvalidArgumentError("以万元填写的金额应为数字，例如 860.5（即 8605000 元）");
  }
  if (fraction.size() > 4) {
    return absl::InvalidArgumentError("以万元填写的金额最多保留4位小数（即精确到元）；请改填整数元或减少小数位");
  }
  std::string yuan = absl::StrCat(whole, fraction, std::string(4 - fraction.size(), '0'));
  size_t first = yuan.find_first_not_of('0');
  yuan = first == std::string::npos ? "0" : yuan.substr(first);
  if (yuan.size() > 18) return absl::InvalidArgumentError("金额过大");
  return yuan;
}

}  // namespace stip::cultivation
