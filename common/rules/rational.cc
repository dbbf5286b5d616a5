#include "common/rules/rational.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace stip::rules {
namespace {

__extension__ typedef __int128 Int;  // NOLINT(modernize-use-using)

Int Abs(Int v) {
  return v < 0 ? -v : v;
}

Int Gcd(Int a, Int b) {
  a = Abs(a);
  b = Abs(b);
  while (b != 0) {
    Int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Floor division for a positive divisor.
Int FloorDiv(Int a, Int b) {
  Int q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}

std::string IntText(Int v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  std::string digits;
  while (v != 0) {
    int digit = static_cast<int>(v % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    v /= 10;
  }
  return negative ? "-" + digits : digits;
}

// Compares a/b with c/d (b, d > 0) by continued fractions: no product is ever formed, so nothing overflows.
int CompareFractions(Int a, Int b, Int c, Int d) {
  for (;;) {
    Int qa = FloorDiv(a, b), qc = FloorDiv(c, d);
    if (qa != qc) return qa < qc ? -1 : 1;
    Int ra = a - qa * b, rc = c - qc * d;  // 0 ≤ r < denominator
    if (ra == 0 || rc == 0) return ra == rc ? 0 : (ra == 0 ? -1 : 1);
    // ra/b < rc/d  ⇔  d/rc < b/ra
    Int next_a = d, next_b = rc, next_c = b, next_d = ra;
    a = next_a;
    b = next_b;
    c = next_c;
    d = next_d;
  }
}

}  // namespace

Rational Rational::Make(Int numerator, Int denominator) {
  if (denominator == 0) return Invalid();
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  Int g = Gcd(numerator, denominator);
  Rational r;
  r.num_ = g > 1 ? numerator / g : numerator;
  r.den_ = g > 1 ? denominator / g : denominator;
  return r;
}

Rational Rational::Of(int64_t numerator, int64_t denominator) {
  return Make(numerator, denominator);
}

Rational Rational::Invalid() {
  Rational r;
  r.den_ = 0;
  return r;
}

std::optional<Rational> Rational::FromDecimal(absl::string_view raw) {
  absl::string_view text = absl::StripAsciiWhitespace(raw);
  bool negative = !text.empty() && text.front() == '-';
  if (negative || (!text.empty() && text.front() == '+')) text.remove_prefix(1);
  int exponent = 0;
  if (size_t e = text.find_first_of("eE"); e != absl::string_view::npos) {
    if (!absl::SimpleAtoi(text.substr(e + 1), &exponent) || exponent > 30 || exponent < -30) return std::nullopt;
    text = text.substr(0, e);
  }
  Int num = 0, den = 1;
  bool digits = false, point = false;
  for (char ch : text) {
    if (ch == '.' && !point) {
      point = true;
      continue;
    }
    if (ch < '0' || ch > '9') return std::nullopt;
    if (num > (Int(1) << 100)) return std::nullopt;  // more digits than any figure of this domain
    num = num * 10 + (ch - '0');
    if (point) den *= 10;
    digits = true;
  }
  if (!digits) return std::nullopt;
  // "1.2345678901234567e30" would not fit: not a figure of this domain, and never a silent overflow.
  for (; exponent > 0; --exponent) {
    if (__builtin_mul_overflow(num, Int(10), &num)) return std::nullopt;
  }
  for (; exponent < 0; ++exponent) {
    if (__builtin_mul_overflow(den, Int(10), &den)) return std::nullopt;
  }
  return Make(negative ? -num : num, den);
}

Rational Rational::FromDouble(double value) {
  if (!std::isfinite(value)) return Invalid();
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::optional<Rational> parsed = FromDecimal(buffer);
  return parsed ? *parsed : Invalid();
}

double Rational::ToDouble() const {
  if (!valid()) return std::nan("");
  return static_cast<double>(static_cast<long double>(num_) / static_cast<long double>(den_));
}

std::string Rational::ToString() const {
  if (!valid()) return "invalid";
  if (den_ == 1) return IntText(num_);
  return absl::StrCat(IntText(num_), "/", IntText(den_));
}

Rational Rational::Floor() const {
  if (!valid()) return *this;
  return Make(FloorDiv(num_, den_), 1);
}

Rational Rational::Ceil() const {
  if (!valid()) return *this;
  return Make(-FloorDiv(-num_, den_), 1);
}

Rational operator+(const Rational& a, const Rational& b) {
  if (!a.valid() || !b.valid()) return Rational::Invalid();
  Int g = Gcd(a.den_, b.den_);
  Int left = 0, right = 0, den = 0, num = 0;
  Int b_part = b.den_ / g, a_part = a.den_ / g;
  if (__builtin_mul_overflow(a.num_, b_part, &left) || __builtin_mul_overflow(b.num_, a_part, &right) ||
      __builtin_add_overflow(left, right, &num) || __builtin_mul_overflow(a.den_, b_part, &den)) {
    return Rational::Invalid();
  }
  return Rational::Make(num, den);
}

Rational Rational::operator-() const {
  if (!valid()) return *this;
  Rational r = *this;
  r.num_ = -r.num_;
  return r;
}

Rational operator-(const Rational& a, const Rational& b) {
  return a + (-b);
}

Rational operator*(const Rational& a, const Rational& b) {
  if (!a.valid() || !b.valid()) return Rational::Invalid();
  // Cross-reduce first so that the products stay as small as the result.
  Int g1 = Gcd(a.num_, b.den_), g2 = Gcd(b.num_, a.den_);
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  Int num = 0, den = 0;
  if (__builtin_mul_overflow(a.num_ / g1, b.num_ / g2, &num) ||
      __builtin_mul_overflow(a.den_ / g2, b.den_ / g1, &den)) {
    return Rational::Invalid();
  }
  return Rational::Make(num, den);
}

Rational operator/(const Rational& a, const Rational& b) {
  if (!a.valid() || !b.valid() || b.num_ == 0) return Rational::Invalid();
  Rational inverse = Rational::Make(b.den_, b.num_);
  return a * inverse;
}

int Compare(const Rational& a, const Rational& b) {
  if (!a.valid() || !b.valid()) return a.valid() == b.valid() ? 0 : (a.valid() ? 1 : -1);
  return CompareFractions(a.num_, a.den_, b.num_, b.den_);
}

}  // namespace stip::rules
