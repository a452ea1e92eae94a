#include "store/sqlite_db.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/db.h"
#include "store/sqlite_wal_buffer.h"
#include "store/db_contract_test.h"
#include "store/test_database.h"

namespace chosen::store::testing {

// Every backend-neutral case (db_contract_test.cc), on a SQLite file.
INSTANTIATE_TEST_SUITE_P(Sqlite, DbContractTest, ::testing::Values(Dialect::kSqlite), DialectName);

namespace {

TEST(OpenDatabaseTest, RejectsUnknownUrls) {
  for (const char* url : {"", "postgres:/localhost/x", "postgresql:x", "sqlite", "sqlite:", "mysql:x",
                          "postgresql://host/db?nonsense_option=1"}) {
    auto db = OpenDatabase(url);
    ASSERT_FALSE(db) << url;
    EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument) << url << ": " << db.error().message;
  }
}

TEST(OpenDatabaseTest, FailsCleanlyOnAnUnopenablePath) {
  auto db = OpenDatabase("sqlite:/nonexistent-dir/sub/x.db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInternal);
}

TEST(SqliteDurabilityTest, CommitsSyncAndTheWalIsCheckpointedOffTheWriter) {
  TestDatabase store(Dialect::kSqlite);
  auto db = Open(store.url());
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([](Connection& c) -> Status {
    auto sync = c.Query("PRAGMA synchronous");
    if (!sync) return sync.error();
    EXPECT_EQ(sync->at(0).Int(0), 2) << "FULL: an acknowledged commit is on disk";
    auto auto_ckpt = c.Query("PRAGMA wal_autocheckpoint");
    if (!auto_ckpt) return auto_ckpt.error();
    EXPECT_EQ(auto_ckpt->at(0).Int(0), 0) << "the writer never checkpoints inside a request";
    return c.ExecScript("CREATE TABLE blobs (b TEXT NOT NULL)");
  }));
  // 96 MB through the WAL in 1 MB transactions. Without checkpoints the WAL
  // would hold all of it; the checkpointer (woken at 32 MB of WAL, at most
  // every 250 ms) and the writer's catch-up between batches (without which
  // no transaction ever finds the checkpoint complete) let SQLite reuse it.
  std::string kb(1000, 'x');
  std::filesystem::path wal = store.url().substr(7) + "-wal";
  std::uintmax_t largest = 0;
  for (int t = 0; t < 96; ++t) {
    ASSERT_TRUE(db->Write([&](Connection& c) -> Status {
      for (int i = 0; i < 1000; ++i)
        if (auto r = c.Exec("INSERT INTO blobs (b) VALUES (?)", {kb}); !r) return r.error();
      return {};
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    largest = std::max(largest, std::filesystem::file_size(wal));
  }
  EXPECT_LT(largest, 48u << 20) << "the WAL grew to " << largest << " bytes";
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM blobs"), 96000);
}

// The writer appends to its log through a buffer (store/sqlite_wal_buffer.h):
// few writes reach the file, and readers, a later process and SQLite's own
// integrity check see every commit whole, including a transaction too big
// for the page cache (its pages spill to the log mid-transaction, and are
// read back) and one rolled back after spilling.
TEST(SqliteWalBufferTest, TheWriterAppendsItsLogInFewWritesAndEveryoneReadsIt) {
  TestDatabase store(Dialect::kSqlite);
  auto db = Open(store.url());
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([](Connection& c) -> Status {
    return c.ExecScript("CREATE TABLE notes (id INTEGER PRIMARY KEY, k TEXT NOT NULL, b TEXT NOT NULL);"
                        "CREATE INDEX notes_k ON notes (k)");
  }));
  const WalBufferCounts before = WalBufferCountsNow();
  std::string text(400, 'n');
  auto insert = [&](Connection& c, int n, int seed) -> Status {
    for (int i = 0; i < n; ++i)
      if (auto r = c.Exec("INSERT INTO notes (k, b) VALUES (?, ?)", {std::to_string((i * 7919 + seed) % 100003), text});
          !r)
        return r.error();
    return {};
  };
  for (int t = 0; t < 20; ++t) ASSERT_TRUE(db->Write([&](Connection& c) { return insert(c, 300, t); }));
  // ~10 MB in one transaction: more than the writer's page cache holds.
  ASSERT_TRUE(db->Write([&](Connection& c) { return insert(c, 20000, 99); }));
  auto failed = db->Write([&](Connection& c) -> Status {
    if (auto st = insert(c, 20000, 7); !st) return st;
    return Error::Invalid("changed my mind");
  });
  ASSERT_FALSE(failed);
  const WalBufferCounts after = WalBufferCountsNow();
  const std::int64_t asked = after.asked - before.asked, written = after.written - before.written;
  EXPECT_GT(asked, 1000);
  EXPECT_LT(written * 20, asked) << asked << " writes asked for, " << written << " made";
  const std::int64_t rows = 20 * 300 + 20000;
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM notes"), rows);
  EXPECT_EQ(QueryRows(*db, "PRAGMA integrity_check").at(0).Str(0), "ok");
  db.reset();
  auto again = Open(store.url());
  ASSERT_TRUE(again);
  EXPECT_EQ(QueryInt(*again, "SELECT COUNT(*) FROM notes"), rows);
  EXPECT_EQ(QueryInt(*again, "SELECT COUNT(*) FROM notes INDEXED BY notes_k WHERE k >= ''"), rows);
  EXPECT_EQ(QueryRows(*again, "PRAGMA integrity_check").at(0).Str(0), "ok");
}

// The buffer itself, through the log file's methods: what was written reads
// back (appended, rewritten in place, or beyond the buffer), before and
// after it reaches the file, and the file's size counts it.
TEST(SqliteWalBufferTest, ALogFileReadsBackWhatWasWrittenToIt) {
  TestDatabase store(Dialect::kSqlite);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(store.url().substr(7).c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            WalBufferVfs()),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_file* wal = nullptr;
  ASSERT_EQ(sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal), SQLITE_OK);
  ASSERT_TRUE(wal && wal->pMethods);
  // Far past the log's frames (SQLite ignores what follows its last one).
  const sqlite3_int64 at = 8 << 20;
  std::string a(5000, 'a'), b(3000, 'b'), big(300000, 'c'), got(8000, '\0');
  ASSERT_EQ(wal->pMethods->xWrite(wal, a.data(), 5000, at), SQLITE_OK);
  ASSERT_EQ(wal->pMethods->xWrite(wal, b.data(), 3000, at + 5000), SQLITE_OK);  // appended
  ASSERT_EQ(wal->pMethods->xWrite(wal, b.data(), 1000, at + 100), SQLITE_OK);   // rewritten
  ASSERT_EQ(wal->pMethods->xRead(wal, got.data(), 8000, at), SQLITE_OK);
  EXPECT_EQ(got, std::string(100, 'a') + std::string(1000, 'b') + std::string(3900, 'a') + b);
  sqlite3_int64 size = 0;
  ASSERT_EQ(wal->pMethods->xFileSize(wal, &size), SQLITE_OK);
  EXPECT_EQ(size, at + 8000);
  ASSERT_EQ(wal->pMethods->xWrite(wal, big.data(), 300000, at + 8000), SQLITE_OK);  // more than it buffers
  ASSERT_EQ(wal->pMethods->xWrite(wal, a.data(), 10, at + 308000), SQLITE_OK);
  std::string tail(300010, '\0');
  ASSERT_EQ(wal->pMethods->xRead(wal, tail.data(), 300010, at + 8000), SQLITE_OK);
  EXPECT_EQ(tail, big + std::string(10, 'a'));
  EXPECT_EQ(sqlite3_close(db), SQLITE_OK);
}

// SQLite's "database or disk is full" (here: the page limit) is a 503 the
// client may retry, not an internal error, and the write is undone whole.
TEST(SqliteErrorsTest, AFullDatabaseIsUnavailableAndWritesNothing) {
  TestDatabase store(Dialect::kSqlite);
  auto db = Open(store.url());
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Write([](Connection& c) { return c.ExecScript("CREATE TABLE big (b TEXT NOT NULL)"); }));
  const std::int64_t pages = QueryInt(*db, "PRAGMA page_count");
  auto full = db->Write([&](Connection& c) -> Status {
    if (auto st = c.ExecScript(fmt::format("PRAGMA max_page_count = {}", pages + 20)); !st) return st;
    for (int i = 0; i < 200; ++i)
      if (auto r = c.Exec("INSERT INTO big (b) VALUES (?)", {std::string(2000, 'b')}); !r) return r.error();
    return {};
  });
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kUnavailable) << full.error().message;
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM big"), 0);
  ASSERT_TRUE(db->Write([](Connection& c) { return c.ExecScript("PRAGMA max_page_count = 1073741823"); }));
  ASSERT_TRUE(Exec(*db, "INSERT INTO big (b) VALUES ('ok')"));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM big"), 1);
}

// An in-memory database is served by one connection for reads and writes.
class SqliteMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Open("sqlite::memory:");
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db_->Write([](Connection& c) {
      return c.ExecScript(
          "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
          "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents(id),"
          "  n INTEGER CHECK (n >= 0));");
    }));
  }

  std::unique_ptr<Database> db_;
};

TEST_F(SqliteMemoryTest, ReadsSeeCommittedWritesAndMigrationsApply) {
  EXPECT_EQ(db_->dialect(), Dialect::kSqlite);
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
  auto v = Migrate(*db_);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'"), 1);
}

TEST_F(SqliteMemoryTest, ForeignKeysAreSwitchedOn) {
  EXPECT_EQ(QueryInt(*db_, "PRAGMA foreign_keys"), 1);
  auto st = Exec(*db_, "INSERT INTO children (parent_id, n) VALUES (99, 1)");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SqliteMemoryTest, UntypedColumnsKeepTheBoundStorageClass) {
  ASSERT_TRUE(db_->Write([](Connection& c) { return c.ExecScript("CREATE TABLE v (k INTEGER PRIMARY KEY, x)"); }));
  // SQLite stores NUL inside text (PostgreSQL refuses it; the API rejects
  // NUL in every text field before it gets here).
  const std::string text_with_nul("h\xC3\xA9llo\0w\xC3\xB6rld", 13);
  const std::vector<Value> values = {
      Value{},
      Value{std::int64_t{0}},
      Value{std::int64_t{-42}},
      Value{std::numeric_limits<std::int64_t>::max()},
      Value{std::numeric_limits<std::int64_t>::min()},
      Value{1.5},
      Value{-0.25},
      Value{1e300},
      Value{std::string()},
      Value{std::string("Zürich 😀")},
      Value{text_with_nul},
  };
  for (std::size_t i = 0; i < values.size(); ++i)
    ASSERT_TRUE(Exec(*db_, "INSERT INTO v (k, x) VALUES (?, ?)", {static_cast<std::int64_t>(i), values[i]}));
  Rows rows = QueryRows(*db_, "SELECT x FROM v ORDER BY k");
  ASSERT_EQ(rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(rows[i].values.size(), 1u);
    EXPECT_EQ(rows[i].values[0], values[i]) << "row " << i;
  }
  EXPECT_EQ(rows[10].Str(0).size(), 13u) << "embedded NUL kept";
}

TEST(SqliteFileTest, UsesWriteAheadLogging) {
  TestDatabase file(Dialect::kSqlite);
  auto db = Open(file.url());
  ASSERT_TRUE(db);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

TEST(RowTest, AccessorsConvertAndDefaultNull) {
  Row r{{Value{}, Value{std::int64_t{42}}, Value{2.75}, Value{std::string("17")}, Value{std::string("abc")}}};
  EXPECT_TRUE(r.IsNull(0));
  EXPECT_FALSE(r.IsNull(1));
  EXPECT_EQ(r.Int(0), 0);
  EXPECT_EQ(r.Real(0), 0.0);
  EXPECT_EQ(r.Str(0), "");
  EXPECT_EQ(r.Int(1), 42);
  EXPECT_EQ(r.Real(1), 42.0);
  EXPECT_EQ(r.Str(1), "42");
  EXPECT_EQ(r.Int(2), 2);
  EXPECT_EQ(r.Real(2), 2.75);
  EXPECT_EQ(r.Str(2), "2.75");
  EXPECT_EQ(r.Int(3), 17);
  EXPECT_EQ(r.Real(3), 17.0);
  EXPECT_EQ(r.Str(3), "17");
  EXPECT_EQ(r.Int(4), 0);
  EXPECT_THROW((void)r.Int(5), std::out_of_range);
}

}  // namespace
}  // namespace chosen::store::testing
