#include "gateway/generations.h"

#include <random>

#include "absl/strings/str_cat.h"

namespace stip::gateway {

Generations::Generations(std::vector<std::string> collections)
    : collections_(std::move(collections)), values_(new std::atomic<uint64_t>[collections_.size()]) {
  std::random_device device;
  std::mt19937_64 random((static_cast<uint64_t>(device()) << 32) ^ device());
  for (size_t i = 0; i < collections_.size(); ++i) values_[i].store(random());
}

void Generations::Bump(absl::string_view collection) {
  int index = IndexOf(collection);
  if (index < 0) {
    BumpAll();
    return;
  }
  values_[index].fetch_add(1, std::memory_order_acq_rel);
  bumps_.fetch_add(1, std::memory_order_relaxed);
}

void Generations::BumpAll() {
  for (size_t i = 0; i < collections_.size(); ++i) values_[i].fetch_add(1, std::memory_order_acq_rel);
  bumps_.fetch_add(1, std::memory_order_relaxed);
}

int Generations::IndexOf(absl::string_view collection) const {
  for (size_t i = 0; i < collections_.size(); ++i) {
    if (collections_[i] == collection) return static_cast<int>(i);
  }
  return -1;
}

std::string Generations::Tag(const std::vector<int>& indexes) const {
  std::string tag;
  for (int index : indexes) absl::StrAppend(&tag, tag.empty() ? "" : ".", absl::Hex(Get(index)));
  return tag;
}

}  // namespace stip::gateway
