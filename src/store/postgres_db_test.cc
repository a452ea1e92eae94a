#include "store/postgres_db.h"

#include <atomic>
#include <barrier>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/db.h"
#include "store/db_contract_test.h"

namespace chosen::store::testing {

// Every backend-neutral case (db_contract_test.cc), on a fresh PostgreSQL
// database per test; skipped unless CHOSEN_TEST_POSTGRES_URL is set.
INSTANTIATE_TEST_SUITE_P(Postgres, DbContractTest, ::testing::Values(Dialect::kPostgres), DialectName);

namespace {

// ------------------------------------------------------- no server needed

TEST(PostgresRewriteTest, NumbersPlaceholdersOutsideLiteralsAndComments) {
  struct Case {
    const char* sql;
    const char* text;
    int placeholders;
  };
  const Case cases[] = {
      {"SELECT ?", "SELECT $1", 1},
      {"SELECT ?, ?,?", "SELECT $1, $2,$3", 3},
      {"SELECT 1", "SELECT 1", 0},
      {"SELECT '?', ?", "SELECT '?', $1", 1},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
      {"SELECT \"a?\" FROM t WHERE x = ?", "SELECT \"a?\" FROM t WHERE x = $1", 1},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
      {"SELECT /* ? /* nested ? */ ? */ ?", "SELECT /* ? /* nested ? */ ? */ $1", 1},
      {"SELECT E'\\' ?', ?", "SELECT E'\\' ?', $1", 1},
      {"SELECT $$ ? $$, $tag$ ? $$ ? $tag$, ?", "SELECT $$ ? $$, $tag$ ? $$ ? $tag$, $1", 1},
      {"lower(x) LIKE ? ESCAPE '\\'", "lower(x) LIKE $1 ESCAPE '\\'", 1},
      {"SELECT ? ;  ", "SELECT $1 ", 1},
  };
  for (const auto& c : cases) {
    PgStatement s = RewritePlaceholders(c.sql);
    EXPECT_EQ(s.text, c.text) << c.sql;
    EXPECT_EQ(s.placeholders, c.placeholders) << c.sql;
    EXPECT_FALSE(s.empty) << c.sql;
    EXPECT_FALSE(s.several) << c.sql;
  }
  for (const char* sql : {"", "  \n", "-- only\n", "/* only */", ";", " ; ; "})
    EXPECT_TRUE(RewritePlaceholders(sql).empty) << "'" << sql << "'";
  for (const char* sql : {"SELECT 1; SELECT 2", "SELECT 1;\n-- fine\n;x"})
    EXPECT_TRUE(RewritePlaceholders(sql).several) << sql;
  EXPECT_FALSE(RewritePlaceholders("SELECT 1; -- done").several);
}

TEST(PostgresErrorTest, MapsSqlStatesToErrorCodes) {
  struct Case {
    const char* state;
    ErrorCode code;
  };
  const Case cases[] = {
      {"23505", ErrorCode::kConflict},       {"23503", ErrorCode::kInvalidArgument},
      {"23514", ErrorCode::kInvalidArgument}, {"23502", ErrorCode::kInvalidArgument},
      {"22021", ErrorCode::kInvalidArgument}, {"40001", ErrorCode::kUnavailable},
      {"40P01", ErrorCode::kUnavailable},     {"57P01", ErrorCode::kUnavailable},
      {"08006", ErrorCode::kUnavailable},     {"08003", ErrorCode::kUnavailable},
      {"42P01", ErrorCode::kInternal},        {"42601", ErrorCode::kInternal},
      {"XX000", ErrorCode::kInternal},        {"25006", ErrorCode::kInternal},
  };
  for (const auto& c : cases) EXPECT_EQ(PgError(c.state, "m").code, c.code) << c.state;
  EXPECT_TRUE(IsRetryableSqlState("40001"));
  EXPECT_TRUE(IsRetryableSqlState("40P01"));
  EXPECT_FALSE(IsRetryableSqlState("23505"));
}

TEST(PostgresUrlTest, ReplacesTheDatabaseName) {
  auto u = PostgresUrlWithDatabase("postgresql://bob:s%20cret@127.0.0.1:5433/postgres?sslmode=disable", "other_db");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_TRUE(u->starts_with("postgresql:///other_db?")) << *u;
  EXPECT_NE(u->find("host=127.0.0.1"), std::string::npos) << *u;
  EXPECT_NE(u->find("port=5433"), std::string::npos) << *u;
  EXPECT_NE(u->find("user=bob"), std::string::npos) << *u;
  EXPECT_NE(u->find("password=s%20cret"), std::string::npos) << *u;
  EXPECT_NE(u->find("sslmode=disable"), std::string::npos) << *u;
  EXPECT_EQ(u->find("postgres?"), std::string::npos) << *u;
  EXPECT_FALSE(PostgresUrlWithDatabase("postgresql://h/d?bogus=1", "x"));
}

TEST(PostgresOpenTest, AnUnreachableServerFailsCleanly) {
  // Port 1 on loopback: refused at once.
  auto db = OpenDatabase("postgresql://nobody@127.0.0.1:1/x?connect_timeout=2");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::kInternal);
  EXPECT_NE(db.error().message.find("cannot connect"), std::string::npos) << db.error().message;
}

// ------------------------------------------------------- with a server

class PostgresDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPostgresUrl().empty())
      GTEST_SKIP() << "PostgreSQL tests need CHOSEN_TEST_POSTGRES_URL (scripts/with-postgres.sh sets it)";
    store_ = std::make_unique<TestDatabase>(Dialect::kPostgres);
    db_ = Open(store_->url());
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db_->Write([](Connection& c) { return c.ExecScript("CREATE TABLE t (x BIGINT NOT NULL)"); }));
  }

  // Runs `sql` (e.g. a DO block) inside a write on `c`.
  static Status Script(Connection& c, const std::string& sql) { return c.ExecScript(sql); }

  // A DO block that fails with SQLSTATE `state`.
  static std::string Raise(const char* condition) {
    return std::string("DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '") + condition + "'; END $$";
  }

  std::unique_ptr<TestDatabase> store_;
  std::unique_ptr<Database> db_;
};

TEST_F(PostgresDbTest, AcceptsBothUrlSchemes) {
  ASSERT_TRUE(store_->url().starts_with("postgresql://"));
  auto other = Open("postgres://" + store_->url().substr(std::string("postgresql://").size()));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->dialect(), Dialect::kPostgres);
  EXPECT_EQ(QueryInt(*other, "SELECT COUNT(*) FROM t"), 0);
}

TEST_F(PostgresDbTest, ConvertsColumnsByType) {
  Rows rows = QueryRows(*db_,
                        "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 12.5::numeric, true, false, "
                        "'x'::text, 'y'::varchar, NULL::int8, NULL::text, '2026-01-02'::date, 5::oid");
  ASSERT_EQ(rows.size(), 1u);
  const std::vector<Value> want = {Value{std::int64_t{1}}, Value{std::int64_t{2}}, Value{std::int64_t{3}},
                                   Value{1.5},              Value{2.25},            Value{12.5},
                                   Value{std::int64_t{1}}, Value{std::int64_t{0}}, Value{std::string("x")},
                                   Value{std::string("y")}, Value{},                Value{},
                                   Value{std::string("2026-01-02")}, Value{std::string("5")}};
  ASSERT_EQ(rows[0].values.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(rows[0].values[i], want[i]) << "column " << i;
}

TEST_F(PostgresDbTest, BindsTypedParameters) {
  // A NULL takes its type from the context (alone, as in `? IS NULL`, it
  // has none: write CAST(? AS BIGINT) there).
  Rows rows = QueryRows(*db_,
                        "SELECT pg_typeof(?)::text, pg_typeof(?)::text, pg_typeof(?)::text, CAST(? AS BIGINT) IS NULL",
                        {std::int64_t{1}, 2.5, std::string("s"), Value{}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Str(0), "bigint");
  EXPECT_EQ(rows[0].Str(1), "double precision");
  EXPECT_EQ(rows[0].Str(2), "text");
  EXPECT_EQ(rows[0].Int(3), 1);
  // Integers go into narrower columns, as in SQLite.
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.ExecScript("CREATE TABLE narrow (a INTEGER, b SMALLINT, c DOUBLE PRECISION)");
  }));
  ASSERT_TRUE(Exec(*db_, "INSERT INTO narrow (a, b, c) VALUES (?, ?, ?)",
                   {std::int64_t{70000}, std::int64_t{7}, std::int64_t{3}}));
  EXPECT_EQ(QueryInt(*db_, "SELECT a + b + c FROM narrow"), 70010);
}

TEST_F(PostgresDbTest, RefusesNulInTextWithoutSpoilingTheTransaction) {
  ASSERT_TRUE(db_->Write([](Connection& c) { return c.ExecScript("CREATE TABLE s (v TEXT)"); }));
  auto st = db_->Write([](Connection& c) -> Status {
    auto bad = c.Exec("INSERT INTO s (v) VALUES (?)", {std::string("a\0b", 3)});
    EXPECT_FALSE(bad);
    if (!bad) {
      EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    }
    auto good = c.Exec("INSERT INTO s (v) VALUES (?)", {std::string("ab")});
    if (!good) return good.error();
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM s"), 1);
}

TEST_F(PostgresDbTest, RetriesSerializationFailuresAndDeadlocksTransparently) {
  for (const char* condition : {"serialization_failure", "deadlock_detected"}) {
    int attempts = 0, published = 0;
    auto st = db_->Write([&](Connection& c) -> Status {
      ++attempts;
      c.AfterCommit([&] { ++published; });
      if (auto r = c.Exec("INSERT INTO t (x) VALUES (?)", {std::int64_t{attempts}}); !r) return r.error();
      // Lose twice; the callback may even dress the failure up as
      // something else: it is still retried.
      if (attempts <= 2)
        if (auto r = Script(c, Raise(condition)); !r) return Error::Invalid("wrapped: " + r.error().message);
      return {};
    });
    ASSERT_TRUE(st) << condition << ": " << st.error().message;
    EXPECT_EQ(attempts, 3) << condition;
    EXPECT_EQ(published, 1) << condition << ": the failed attempts' callbacks were dropped";
    EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), 1) << condition;
    EXPECT_EQ(QueryInt(*db_, "SELECT x FROM t"), 3) << condition << ": only the last attempt's write";
    ASSERT_TRUE(Exec(*db_, "DELETE FROM t"));
  }
}

TEST_F(PostgresDbTest, GivesUpAfterFiveAttemptsWithUnavailable) {
  int attempts = 0, published = 0;
  auto st = db_->Write([&](Connection& c) -> Status {
    ++attempts;
    c.AfterCommit([&] { ++published; });
    return Script(c, Raise("serialization_failure"));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
  EXPECT_EQ(attempts, 5);
  EXPECT_EQ(published, 0);
  // Other errors are not retried.
  attempts = 0;
  st = db_->Write([&](Connection& c) -> Status {
    ++attempts;
    return Script(c, Raise("unique_violation"));
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(attempts, 1);
}

TEST_F(PostgresDbTest, RealWriteSkewIsRetriedNotLost) {
  // Two writers each count the rows and insert the count: at SERIALIZABLE
  // one of them must see the other's row, so the values are 0 and 1.
  std::barrier both(2);
  std::atomic<int> attempts = 0;
  std::vector<std::thread> threads;
  std::atomic<int> errors = 0;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      bool first = true;
      auto st = db_->Write([&](Connection& c) -> Status {
        ++attempts;
        auto n = c.Query("SELECT COUNT(*) FROM t");
        if (!n) return n.error();
        if (first) {
          first = false;
          both.arrive_and_wait();  // both have read before either writes
        }
        auto r = c.Exec("INSERT INTO t (x) VALUES (?)", {n->front().Int(0)});
        if (!r) return r.error();
        return {};
      });
      if (!st) ++errors;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(attempts.load(), 3) << "exactly one writer lost and ran again";
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t WHERE x = 0"), 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t WHERE x = 1"), 1);
}

TEST_F(PostgresDbTest, ReadsAreRepeatableReadAndWritesSerializable) {
  Rows r = QueryRows(*db_, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].Str(0), "repeatable read");
  EXPECT_EQ(r[0].Str(1), "on");
  std::string level;
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    auto rows = c.Query("SELECT current_setting('transaction_isolation')");
    if (!rows) return rows.error();
    level = rows->front().Str(0);
    return {};
  }));
  EXPECT_EQ(level, "serializable");
}

TEST_F(PostgresDbTest, ThePoolIsBoundedAndCallersWait) {
  auto db = Open(store_->url(), /*pool_size=*/2);
  ASSERT_TRUE(db);
  std::mutex mu;
  std::set<std::int64_t> backends;
  std::atomic<int> errors = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto st = db->Read([&](Connection& c) -> Status {
          auto rows = c.Query("SELECT pg_backend_pid(), pg_sleep(0.002)");
          if (!rows) return rows.error();
          std::lock_guard lock(mu);
          backends.insert(rows->front().Int(0));
          return {};
        });
        if (!st) ++errors;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_LE(backends.size(), 2u);
  EXPECT_GE(backends.size(), 1u);
}

TEST_F(PostgresDbTest, ALostConnectionIsUnavailableAndThenReplaced) {
  auto db = Open(store_->url(), /*pool_size=*/1);
  ASSERT_TRUE(db);
  // Killed mid-transaction: the caller hears kUnavailable (the outcome is
  // not retried: a write may have been cut off at COMMIT).
  auto st = db->Write([](Connection& c) -> Status {
    auto r = c.Query("SELECT pg_terminate_backend(pg_backend_pid())");
    if (!r) return r.error();
    return {};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0) << "a fresh connection took its place";

  // Killed while idle in the pool (a server restart): reconnected at the
  // next BEGIN without the caller noticing.
  std::int64_t pid = QueryInt(*db, "SELECT pg_backend_pid()");
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    auto r = c.Query("SELECT pg_terminate_backend(?::int)", {pid});
    if (!r) return r.error();
    return {};
  }));
  for (int i = 0; i < 50 && QueryInt(*db_, "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?::int", {pid}) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
  EXPECT_NE(QueryInt(*db, "SELECT pg_backend_pid()"), pid);
  ASSERT_TRUE(Exec(*db, "INSERT INTO t (x) VALUES (1)"));
}

TEST_F(PostgresDbTest, TheStatementCacheStaysBounded) {
  auto db = Open(store_->url(), /*pool_size=*/1);
  ASSERT_TRUE(db);
  for (int i = 0; i < 700; ++i)
    ASSERT_EQ(QueryInt(*db, "SELECT ? + " + std::to_string(i), {std::int64_t{1}}), i + 1);
  std::int64_t prepared = QueryInt(*db, "SELECT COUNT(*) FROM pg_prepared_statements");
  EXPECT_GT(prepared, 0);
  EXPECT_LE(prepared, 513);
}

TEST_F(PostgresDbTest, RunExclusiveExcludesOtherHolders) {
  auto other = Open(store_->url(), 1);
  ASSERT_TRUE(other);
  std::atomic<int> inside = 0, overlap = 0;
  auto body = [&]() -> Status {
    if (++inside > 1) ++overlap;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    --inside;
    return {};
  };
  std::thread a([&] { EXPECT_TRUE(db_->RunExclusive(42, body)); });
  std::thread b([&] { EXPECT_TRUE(other->RunExclusive(42, body)); });
  a.join();
  b.join();
  EXPECT_EQ(overlap.load(), 0);
  // The lock is free again afterwards, and fn's error comes back.
  auto st = db_->RunExclusive(42, [] { return Status{Error::Invalid("x")}; });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace chosen::store::testing
