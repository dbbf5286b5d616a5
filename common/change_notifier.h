// Tells the gateway's cache that a collection changed, after a write has been committed.
#ifndef STIP_COMMON_CHANGE_NOTIFIER_H_
#define STIP_COMMON_CHANGE_NOTIFIER_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

namespace stip {

// Redis pub/sub channel that carries change notices; each message is a collection name.
inline constexpr absl::string_view kChangeChannel = "stip:changes";

class ChangeNotifier {
 public:
  virtual ~ChangeNotifier() = default;
  // Never blocks the caller and never fails the write: a lost notice only delays invalidation until the
  // cache entry's TTL (the gateway bumps every generation when it reconnects to Redis).
  virtual void Publish(absl::string_view collection) = 0;
};

// Publishes on Redis at `address` (host:port) from a background thread; empty address = no-op notifier.
std::unique_ptr<ChangeNotifier> MakeChangeNotifier(const std::string& address);

}  // namespace stip

#endif  // STIP_COMMON_CHANGE_NOTIFIER_H_
