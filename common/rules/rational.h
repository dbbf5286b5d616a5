// An exact rational number for the rule engine, so that a policy threshold is met or missed exactly: 15% growth
// is 3/20, not 0.1499999 (criteria.md, conventions for encoding, 2). Doubles are for display only.
#ifndef STIP_COMMON_RULES_RATIONAL_H_
#define STIP_COMMON_RULES_RATIONAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace stip::rules {

// Numerator and denominator are 128-bit and kept reduced, which holds every figure of this domain (money in
// yuan, counts, the growth formulas' products of two revenues) with room to spare. A result that does not fit,
// or a division by zero, is invalid (!valid()), and stays invalid through further arithmetic: the engine then
// treats the value as missing rather than as a wrong number.
class Rational {
 public:
  Rational() = default;                     // 0
  Rational(int64_t value) : num_(value) {}  // NOLINT(google-explicit-constructor): integers are rationals
  Rational(int value) : num_(value) {}      // NOLINT(google-explicit-constructor)
  Rational(double) = delete;                // a double is not exact: say FromDouble where one is meant
  static Rational Of(int64_t numerator, int64_t denominator);
  // A decimal literal as written in an edition file: "0.15", "-3", "2.5e8". nullopt when it is not one.
  static std::optional<Rational> FromDecimal(absl::string_view text);
  // The shortest decimal that reads back as `value` (0.15 → 3/20); for values that came from JSON or a test.
  static Rational FromDouble(double value);
  static Rational Invalid();

  bool valid() const { return den_ != 0; }
  bool IsInteger() const { return valid() && den_ == 1; }
  double ToDouble() const;
  std::string ToString() const;  // "3/20", "7", "invalid"
  // The largest integer ≤ this, and the smallest ≥ this.
  Rational Floor() const;
  Rational Ceil() const;

  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  friend Rational operator/(const Rational& a, const Rational& b);
  Rational operator-() const;

  // Exact, without overflow at any magnitude. Invalid values compare equal to each other and below all others.
  friend int Compare(const Rational& a, const Rational& b);
  friend bool operator==(const Rational& a, const Rational& b) { return Compare(a, b) == 0; }
  friend bool operator!=(const Rational& a, const Rational& b) { return Compare(a, b) != 0; }
  friend bool operator<(const Rational& a, const Rational& b) { return Compare(a, b) < 0; }
  friend bool operator<=(const Rational& a, const Rational& b) { return Compare(a, b) <= 0; }
  friend bool operator>(const Rational& a, const Rational& b) { return Compare(a, b) > 0; }
  friend bool operator>=(const Rational& a, const Rational& b) { return Compare(a, b) >= 0; }

 private:
  __extension__ typedef __int128 Int;  // NOLINT(modernize-use-using): __extension__ keeps -Wpedantic quiet
  static Rational Make(Int numerator, Int denominator);
  Int num_ = 0;
  Int den_ = 1;  // > 0 when valid; 0 = invalid
};

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_RATIONAL_H_
