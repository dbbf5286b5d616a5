#include "common/sqlite_db.h"

#include "gtest/gtest.h"
#include "tests/support/process.h"

namespace stip {
namespace {

const std::vector<absl::string_view> kMigrations = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "ALTER TABLE items ADD COLUMN note TEXT NOT NULL DEFAULT ''",
};

TEST(SqliteDbTest, MigrationsApplyOnceInOrder) {
  std::string dir = testing::MakeTempDir("sqlite");
  {
    auto db = SqliteDb::Open(dir + "/a.db", {kMigrations[0]});
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ((*db)->SchemaVersion(), 1);
  }
  auto db = SqliteDb::Open(dir + "/a.db", kMigrations);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ((*db)->SchemaVersion(), 2);
  EXPECT_TRUE((*db)->Exec("INSERT INTO items(name, note) VALUES ('x', 'y')").ok());
}

TEST(SqliteDbTest, FailedTransactionLeavesNothing) {
  std::string dir = testing::MakeTempDir("sqlite");
  auto db = std::move(*SqliteDb::Open(dir + "/b.db", kMigrations));
  absl::Status status = db->InTransaction([&]() -> absl::Status {
    if (absl::Status s = db->Exec("INSERT INTO items(name) VALUES ('first')"); !s.ok()) return s;
    return db->Exec("INSERT INTO items(name) VALUES ('first')");  // UNIQUE violation
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  auto count = db->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count->Step().value());
  EXPECT_EQ(count->ColumnInt(0), 0);
}

TEST(SqliteDbTest, ForeignKeysAndWalAreOn) {
  std::string dir = testing::MakeTempDir("sqlite");
  auto db = std::move(*SqliteDb::Open(dir + "/c.db", {"CREATE TABLE p (id INTEGER PRIMARY KEY); "
                                                      "CREATE TABLE c (p INTEGER REFERENCES p(id))"}));
  EXPECT_EQ(db->Exec("INSERT INTO c VALUES (42)").code(), absl::StatusCode::kFailedPrecondition);
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode->Step().value());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

}  // namespace
}  // namespace stip
