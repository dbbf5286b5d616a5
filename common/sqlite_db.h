// A SQLite database in WAL mode with foreign keys, a busy timeout and numbered migrations.
#ifndef STIP_COMMON_SQLITE_DB_H_
#define STIP_COMMON_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stip {

// One prepared statement; bind parameters are 1-based, columns 0-based.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& Bind(int index, absl::string_view value);
  SqliteStatement& Bind(int index, const char* value) { return Bind(index, absl::string_view(value)); }
  SqliteStatement& Bind(int index, const std::string& value) { return Bind(index, absl::string_view(value)); }
  SqliteStatement& Bind(int index, std::optional<double> value);
  SqliteStatement& BindNull(int index);

  // true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();

  int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;
  std::optional<double> ColumnOptionalDouble(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database at `path` and applies `migrations[i]` as schema version i+1 for
  // every version above the stored PRAGMA user_version, each in its own transaction.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path,
                                                        const std::vector<absl::string_view>& migrations);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  absl::Status Exec(absl::string_view sql);
  absl::StatusOr<SqliteStatement> Prepare(absl::string_view sql);
  // Runs `body` between BEGIN IMMEDIATE and COMMIT; any error rolls everything back.
  // Callers hold mutex() for the whole transaction.
  absl::Status InTransaction(absl::FunctionRef<absl::Status()> body);
  int64_t LastInsertId() const;
  int SchemaVersion() const { return schema_version_; }
  // The connection is shared; stores serialise access through this mutex.
  std::mutex& mutex() { return mutex_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  absl::Status Migrate(const std::vector<absl::string_view>& migrations);

  sqlite3* db_;
  int schema_version_ = 0;
  std::mutex mutex_;
};

// Creates `dir` and its parents when missing.
absl::Status EnsureDirectory(const std::string& dir);

}  // namespace stip

#endif  // STIP_COMMON_SQLITE_DB_H_
