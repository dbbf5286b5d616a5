// One way to convert a domain enum to and from its API (wire) enum: a constexpr table whose shape is checked
// at compile time, so a value added on one side and not the other fails the build instead of shifting codes.
#ifndef STIP_COMMON_ENUM_TABLE_H_
#define STIP_COMMON_ENUM_TABLE_H_

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace stip {

template <typename Domain, typename Wire, size_t N>
class EnumTable {
 public:
  using Pair = std::pair<Domain, Wire>;
  constexpr explicit EnumTable(const std::array<Pair, N>& pairs) : pairs_(pairs) {}

  static constexpr size_t size() { return N; }

  // `fallback` for a domain value the table does not list (never, when Bijective() holds over the enum).
  constexpr Wire ToWire(Domain value, Wire fallback) const {
    for (const Pair& pair : pairs_) {
      if (pair.first == value) return pair.second;
    }
    return fallback;
  }

  // nullopt for a wire value the table does not list: callers refuse it rather than store an undefined code.
  constexpr std::optional<Domain> FromWire(Wire value) const {
    for (const Pair& pair : pairs_) {
      if (pair.second == value) return pair.first;
    }
    return std::nullopt;
  }

  // No value appears twice on either side; checked by static_assert where the table is defined.
  constexpr bool Bijective() const {
    for (size_t i = 0; i < N; ++i) {
      for (size_t j = i + 1; j < N; ++j) {
        if (pairs_[i].first == pairs_[j].first || pairs_[i].second == pairs_[j].second) return false;
      }
    }
    return true;
  }

 private:
  std::array<Pair, N> pairs_;
};

template <typename Domain, typename Wire, size_t N>
constexpr EnumTable<Domain, Wire, N> MakeEnumTable(const std::pair<Domain, Wire> (&pairs)[N]) {
  std::array<std::pair<Domain, Wire>, N> array{};
  for (size_t i = 0; i < N; ++i) array[i] = pairs[i];
  return EnumTable<Domain, Wire, N>(array);
}

}  // namespace stip

#endif  // STIP_COMMON_ENUM_TABLE_H_
