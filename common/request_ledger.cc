#include "common/request_ledger.h"

#include <vector>

namespace stip {
namespace {

const std::vector<absl::string_view>& Migrations() {
  static const std::vector<absl::string_view> kMigrations = {
      "CREATE TABLE request_ids (key TEXT PRIMARY KEY, request BLOB NOT NULL, response BLOB NOT NULL,"
      " created INTEGER NOT NULL DEFAULT (strftime('%s','now')));"
      "CREATE INDEX request_ids_created ON request_ids (created);"};
  return kMigrations;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RequestLedger>> RequestLedger::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<RequestLedger>(new RequestLedger(*std::move(db)));
}

absl::StatusOr<std::optional<RequestLedger::Entry>> RequestLedger::Find(absl::string_view key) const {
  std::lock_guard<std::mutex> lock(db_->mutex());
  absl::StatusOr<SqliteStatement> select = db_->Prepare("SELECT request, response FROM request_ids WHERE key = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, key);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return Entry{select->ColumnText(0), select->ColumnText(1)};
}

absl::Status RequestLedger::Remember(absl::string_view key, const Entry& entry) {
  std::lock_guard<std::mutex> lock(db_->mutex());
  return db_->InTransaction([&]() -> absl::Status {
    // A week is longer than any client's retry loop (AIP-155 asks for "at least an hour").
    absl::Status pruned = db_->Exec("DELETE FROM request_ids WHERE created < strftime('%s','now') - 7*86400");
    if (!pruned.ok()) return pruned;
    absl::StatusOr<SqliteStatement> insert =
        db_->Prepare("INSERT OR REPLACE INTO request_ids (key, request, response) VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, key).Bind(2, entry.request).Bind(3, entry.response);
    return insert->Run();
  });
}

bool RequestLedger::Claim(const std::string& key) {
  std::lock_guard<std::mutex> lock(claims_mutex_);
  return claims_.insert(key).second;
}

void RequestLedger::Release(const std::string& key) {
  std::lock_guard<std::mutex> lock(claims_mutex_);
  claims_.erase(key);
}

}  // namespace stip
