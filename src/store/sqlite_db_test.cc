#include "store/sqlite_db.h"

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/db.h"

namespace chosen::store {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Database> Open(const std::string& url, int pool_size = 4) {
  auto db = OpenDatabase(url, pool_size);
  EXPECT_TRUE(db) << url << ": " << db.error().message;
  return db ? std::move(*db) : nullptr;
}

// Runs one statement in its own write transaction.
Status Exec(Database& db, std::string_view sql, std::vector<Value> params = {}) {
  return db.Write([&](Connection& c) -> Status {
    auto r = c.Exec(sql, params);
    if (!r) return r.error();
    return {};
  });
}

// The single integer a query returns, or -1.
std::int64_t QueryInt(Database& db, std::string_view sql, std::vector<Value> params = {}) {
  std::int64_t out = -1;
  auto st = db.Read([&](Connection& c) -> Status {
    auto rows = c.Query(sql, params);
    if (!rows) return rows.error();
    if (rows->size() == 1 && rows->front().values.size() == 1) out = rows->front().Int(0);
    return {};
  });
  EXPECT_TRUE(st) << sql << ": " << st.error().message;
  return out;
}

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "chosen_sqlite_test_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class SqliteDbTest : public ::testing::Test {
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

TEST(OpenDatabaseTest, RejectsUnknownUrls) {
  for (const char* url : {"", "postgres://localhost/x", "sqlite", "sqlite:", "mysql:x"}) {
    auto db = OpenDatabase(url);
    ASSERT_FALSE(db) << url;
    EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

TEST(OpenDatabaseTest, FailsCleanlyOnAnUnopenablePath) {
  auto db = OpenDatabase("sqlite:/nonexistent-dir/sub/x.db");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInternal);
}

TEST_F(SqliteDbTest, ReportsTheSqliteDialect) { EXPECT_EQ(db_->dialect(), Dialect::kSqlite); }

TEST_F(SqliteDbTest, WriteCommitsWhenTheCallbackSucceeds) {
  auto st = db_->Write([](Connection& c) -> Status {
    auto a = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a')");
    if (!a) return a.error();
    EXPECT_EQ(*a, 1) << "one row changed";
    auto b = c.Exec("INSERT INTO parents (id, name) VALUES (2, 'b')");
    if (!b) return b.error();
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2);
  auto changed = std::int64_t{-1};
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    auto r = c.Exec("UPDATE parents SET name = name || '!'");
    if (!r) return r.error();
    changed = *r;
    return {};
  }));
  EXPECT_EQ(changed, 2);
}

TEST_F(SqliteDbTest, ExecCountsOnlyRowsTheStatementItselfChanged) {
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    auto ins = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b')");
    EXPECT_TRUE(ins && *ins == 2);
    auto sel = c.Exec("SELECT * FROM parents");
    EXPECT_TRUE(sel && *sel == 0) << "a SELECT changes nothing, whatever ran before it";
    auto none = c.Exec("UPDATE parents SET name = 'z' WHERE id = 99");
    EXPECT_TRUE(none && *none == 0);
    return {};
  }));
}

TEST_F(SqliteDbTest, WriteRollsBackWhenTheCallbackFails) {
  auto st = db_->Write([](Connection& c) -> Status {
    auto a = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a')");
    if (!a) return a.error();
    return Error::Invalid("changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.error().message, "changed my mind");
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 0) << "nothing half-written";
  // The connection is usable afterwards.
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
}

TEST_F(SqliteDbTest, WriteRollsBackAStatementErrorMidway) {
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  auto st = db_->Write([](Connection& c) -> Status {
    if (auto r = c.Exec("INSERT INTO parents (id, name) VALUES (2, 'b')"); !r) return r.error();
    if (auto r = c.Exec("INSERT INTO children (parent_id, n) VALUES (2, 1)"); !r) return r.error();
    if (auto r = c.Exec("INSERT INTO parents (id, name) VALUES (3, 'a')"); !r) return r.error();  // duplicate
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM children"), 0);
}

TEST_F(SqliteDbTest, ExceptionsInsideWriteRollBackAndPropagate) {
  EXPECT_THROW(db_->Write([](Connection& c) -> Status {
    (void)c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a')");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 0);
  // No transaction was left open: the next Write can begin and commit.
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
}

TEST_F(SqliteDbTest, ConstraintViolationsMapToErrorCodes) {
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  struct Case {
    const char* what;
    const char* sql;
    ErrorCode code;
  };
  const Case cases[] = {
      {"unique", "INSERT INTO parents (id, name) VALUES (2, 'a')", ErrorCode::kConflict},
      {"primary key", "INSERT INTO parents (id, name) VALUES (1, 'b')", ErrorCode::kConflict},
      {"foreign key", "INSERT INTO children (parent_id, n) VALUES (99, 1)", ErrorCode::kInvalidArgument},
      {"check", "INSERT INTO children (parent_id, n) VALUES (1, -1)", ErrorCode::kInvalidArgument},
      {"not null", "INSERT INTO parents (id, name) VALUES (3, NULL)", ErrorCode::kInvalidArgument},
      {"syntax", "INSERT INTO nowhere VALUES (1)", ErrorCode::kInternal},
  };
  for (const auto& c : cases) {
    auto st = Exec(*db_, c.sql);
    ASSERT_FALSE(st) << c.what;
    EXPECT_EQ(st.error().code, c.code) << c.what << ": " << st.error().message;
  }
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM children"), 0);
}

TEST_F(SqliteDbTest, ForeignKeysAreEnforcedOnDelete) {
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  ASSERT_TRUE(Exec(*db_, "INSERT INTO children (parent_id, n) VALUES (1, 0)"));
  auto st = Exec(*db_, "DELETE FROM parents WHERE id = 1");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(QueryInt(*db_, "PRAGMA foreign_keys"), 1);
}

TEST_F(SqliteDbTest, ParameterCountMismatchIsAnError) {
  struct Case {
    const char* sql;
    std::vector<Value> params;
  };
  const Case cases[] = {
      {"SELECT ?", {}},
      {"SELECT ?", {std::int64_t{1}, std::int64_t{2}}},
      {"SELECT 1", {std::int64_t{1}}},
      {"SELECT ? + ?", {std::int64_t{1}}},
  };
  for (const auto& c : cases) {
    auto st = db_->Read([&](Connection& conn) -> Status {
      auto rows = conn.Query(c.sql, c.params);
      if (!rows) return rows.error();
      return {};
    });
    ASSERT_FALSE(st) << c.sql << " with " << c.params.size() << " parameters";
    EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  }
  // The cached statement still works with the right parameters.
  EXPECT_EQ(QueryInt(*db_, "SELECT ? + ?", {std::int64_t{2}, std::int64_t{3}}), 5);
}

TEST_F(SqliteDbTest, EmptyOrCommentOnlySqlIsAnErrorNotACrash) {
  for (const char* sql : {"", "   ", "-- nothing here", "/* nor here */"}) {
    auto st = db_->Read([&](Connection& c) -> Status {
      auto rows = c.Query(sql);
      if (!rows) return rows.error();
      return {};
    });
    ASSERT_FALSE(st) << "'" << sql << "'";
    EXPECT_EQ(st.error().code, ErrorCode::kInternal);
    EXPECT_FALSE(Exec(*db_, sql)) << "'" << sql << "'";
  }
  EXPECT_EQ(QueryInt(*db_, "SELECT 7"), 7);
}

TEST_F(SqliteDbTest, RejectsSeveralStatementsInOneCall) {
  // Only ExecScript runs scripts; Exec must not silently drop the tail.
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  auto st = Exec(*db_, "UPDATE parents SET name = 'b'; DELETE FROM parents");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents WHERE name = 'a'"), 1);
  EXPECT_TRUE(Exec(*db_, "UPDATE parents SET name = 'b';  ")) << "a trailing semicolon is fine";
}

TEST_F(SqliteDbTest, ValuesRoundTripThroughRows) {
  // Columns without a declared type keep exactly the bound storage class.
  ASSERT_TRUE(db_->Write([](Connection& c) { return c.ExecScript("CREATE TABLE v (k INTEGER PRIMARY KEY, x)"); }));
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
  Rows rows;
  ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
    auto r = c.Query("SELECT x FROM v ORDER BY k");
    if (!r) return r.error();
    rows = std::move(*r);
    return {};
  }));
  ASSERT_EQ(rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(rows[i].values.size(), 1u);
    EXPECT_EQ(rows[i].values[0], values[i]) << "row " << i;
  }
  EXPECT_EQ(rows[10].Str(0).size(), 13u) << "embedded NUL kept";
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

TEST(MigrateTest, IsIdempotentAndReportsTheLatestVersion) {
  auto db = Open("sqlite::memory:");
  ASSERT_TRUE(db);
  ASSERT_GE(LatestSchemaVersion(), 1);
  auto first = Migrate(*db);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, LatestSchemaVersion());
  auto second = Migrate(*db);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(QueryInt(*db, "SELECT version FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'"), 1);
}

TEST(MigrateTest, RefusesADatabaseNewerThanTheBuild) {
  auto db = Open("sqlite::memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrate(*db));
  ASSERT_TRUE(Exec(*db, "UPDATE schema_version SET version = ?", {std::int64_t{LatestSchemaVersion() + 1}}));
  auto r = Migrate(*db);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

class SqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + (dir_.path() / "test.db").string();
    db_ = Open(url_, 4);
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db_->Write([](Connection& c) { return c.ExecScript("CREATE TABLE t (x INTEGER NOT NULL)"); }));
  }

  // Inserts rows first..last inclusive in one transaction.
  Status Fill(Connection& c, int first, int last) {
    for (int i = first; i <= last; ++i)
      if (auto r = c.Exec("INSERT INTO t (x) VALUES (?)", {std::int64_t{i}}); !r) return r.error();
    return {};
  }

  TempDir dir_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteFileTest, UsesWriteAheadLogging) {
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

TEST_F(SqliteFileTest, ReadsProceedWhileAWriteIsOpen) {
  ASSERT_TRUE(db_->Write([&](Connection& c) { return Fill(c, 1, 100); }));

  std::mutex mu;
  std::condition_variable cv;
  bool writing = false, readers_done = false, readers_finished_in_time = false;
  std::thread writer([&] {
    auto st = db_->Write([&](Connection& c) -> Status {
      if (auto f = Fill(c, 101, 200); !f) return f;
      std::unique_lock lock(mu);
      writing = true;
      cv.notify_all();
      // Hold the transaction open until every reader has finished.
      readers_finished_in_time = cv.wait_for(lock, 20s, [&] { return readers_done; });
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 20s, [&] { return writing; }));
  }

  std::atomic<int> errors = 0, wrong_counts = 0;
  std::vector<std::thread> readers;
  for (int t = 0; t < 6; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto st = db_->Read([&](Connection& c) -> Status {
          auto rows = c.Query("SELECT COUNT(*), SUM(x) FROM t");
          if (!rows) return rows.error();
          if (rows->front().Int(0) != 100 || rows->front().Int(1) != 5050) ++wrong_counts;
          return {};
        });
        if (!st) ++errors;
      }
    });
  }
  for (auto& r : readers) r.join();
  {
    std::lock_guard lock(mu);
    readers_done = true;
  }
  cv.notify_all();
  writer.join();

  EXPECT_TRUE(readers_finished_in_time) << "readers waited for the writer";
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(wrong_counts.load(), 0) << "readers saw uncommitted rows";
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), 200);
}

TEST_F(SqliteFileTest, EachReadSeesOneSnapshotWhileWritesCommit) {
  std::atomic<bool> stop = false;
  std::atomic<int> errors = 0, torn = 0, reads = 0;
  std::thread writer([&] {
    // Keeps committing until the readers are done (bounded, in case they hang).
    for (int i = 1; i <= 20000 && !stop; ++i) {
      // Each transaction adds one row with x = i: count and sum move together.
      if (!db_->Write([&](Connection& c) { return Fill(c, i, i); })) ++errors;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      std::int64_t last = 0;
      for (int i = 0; i < 200; ++i) {
        auto st = db_->Read([&](Connection& c) -> Status {
          auto a = c.Query("SELECT COUNT(*) FROM t");
          if (!a) return a.error();
          std::this_thread::yield();
          auto b = c.Query("SELECT COUNT(*), COALESCE(SUM(x), 0) FROM t");
          if (!b) return b.error();
          std::int64_t n = b->front().Int(0);
          if (a->front().Int(0) != n || b->front().Int(1) != n * (n + 1) / 2 || n < last) ++torn;
          last = n;
          return {};
        });
        if (!st) ++errors;
        ++reads;
      }
    });
  }
  for (auto& r : readers) r.join();
  stop = true;
  writer.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(reads.load(), 800);
}

TEST_F(SqliteFileTest, ExceptionsInsideReadPropagateAndFreeTheConnection) {
  auto db = Open(url_, /*pool_size=*/1);
  ASSERT_TRUE(db);
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW(db->Read([](Connection& c) -> Status {
      (void)c.Query("SELECT COUNT(*) FROM t");
      throw std::runtime_error("boom");
    }),
                 std::runtime_error);
  }
  // With a pool of one, this would block forever had the reader leaked.
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
}

TEST_F(SqliteFileTest, ReadConnectionsAreReadOnly) {
  auto st = db_->Read([](Connection& c) -> Status {
    auto r = c.Exec("INSERT INTO t (x) VALUES (1)");
    if (!r) return r.error();
    return {};
  });
  EXPECT_FALSE(st);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), 0);
}

TEST_F(SqliteFileTest, DataSurvivesReopening) {
  ASSERT_TRUE(Migrate(*db_));
  ASSERT_TRUE(db_->Write([&](Connection& c) { return Fill(c, 1, 3); }));
  db_.reset();
  auto again = Open(url_);
  ASSERT_TRUE(again);
  EXPECT_EQ(QueryInt(*again, "SELECT COUNT(*) FROM t"), 3);
  auto v = Migrate(*again);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, LatestSchemaVersion());
}

}  // namespace
}  // namespace chosen::store
