// AIP-155 request ids for Create calls: the first answer to (method, caller, request_id) is kept for a week,
// so a client that retries after a timeout gets that answer instead of a second resource. Kept in a small SQLite
// file next to the service's database, apart from the domain's stores (they need not know about it).
#ifndef STIP_COMMON_REQUEST_LEDGER_H_
#define STIP_COMMON_REQUEST_LEDGER_H_

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite_db.h"

namespace stip {

class RequestLedger {
 public:
  static absl::StatusOr<std::unique_ptr<RequestLedger>> Open(const std::string& path);

  struct Entry {
    std::string request;   // the request as first seen (deterministic bytes, request_id cleared)
    std::string response;  // the response bytes sent
  };
  absl::StatusOr<std::optional<Entry>> Find(absl::string_view key) const;
  absl::Status Remember(absl::string_view key, const Entry& entry);

  // While a key's first call runs, a second one with the same key is refused (ABORTED: retry) instead of
  // running twice; Claim returns false then.
  bool Claim(const std::string& key);
  void Release(const std::string& key);

 private:
  explicit RequestLedger(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  std::unique_ptr<SqliteDb> db_;
  std::mutex claims_mutex_;
  std::set<std::string> claims_;
};

}  // namespace stip

#endif  // STIP_COMMON_REQUEST_LEDGER_H_
