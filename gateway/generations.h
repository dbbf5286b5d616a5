// The cache generation of each collection ("indicators", "cultivation", "evaluation"), kept in memory.
// A cache key embeds the generations of the collections its route reads, so bumping one makes every entry
// that read it unreachable at once (the old entries expire by TTL).
#ifndef STIP_GATEWAY_GENERATIONS_H_
#define STIP_GATEWAY_GENERATIONS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace stip::gateway {

class Generations {
 public:
  // Starts every generation at a random 64-bit value, so that a restarted gateway (or a second replica)
  // never reuses keys written under an earlier epoch.
  explicit Generations(std::vector<std::string> collections);

  // An unknown collection bumps everything (a notice we cannot place must not leave stale entries).
  void Bump(absl::string_view collection);
  void BumpAll();

  int IndexOf(absl::string_view collection) const;  // -1 when unknown
  uint64_t Get(int index) const { return values_[index].load(std::memory_order_acquire); }
  const std::vector<std::string>& collections() const { return collections_; }
  // "<hex>.<hex>…" for the given collection indexes, for cache keys.
  std::string Tag(const std::vector<int>& indexes) const;
  uint64_t bumps() const { return bumps_.load(std::memory_order_relaxed); }

 private:
  std::vector<std::string> collections_;
  std::unique_ptr<std::atomic<uint64_t>[]> values_;
  std::atomic<uint64_t> bumps_{0};
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_GENERATIONS_H_
