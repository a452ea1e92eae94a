// The store contract, run against every backend (see db_contract_test.h).
#include "store/db_contract_test.h"

#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace chosen::store::testing {
namespace {

using namespace std::chrono_literals;

TEST_P(DbContractTest, ReportsItsDialect) { EXPECT_EQ(db_->dialect(), GetParam()); }

TEST_P(DbContractTest, WriteCommitsWhenTheCallbackSucceeds) {
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

TEST_P(DbContractTest, ExecCountsOnlyRowsTheStatementItselfChanged) {
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    auto ins = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b')");
    EXPECT_TRUE(ins && *ins == 2);
    auto sel = c.Exec("SELECT * FROM parents");
    EXPECT_TRUE(sel && *sel == 0) << "a SELECT changes nothing, whatever ran before it";
    auto none = c.Exec("UPDATE parents SET name = 'z' WHERE id = 99");
    EXPECT_TRUE(none && *none == 0);
    auto del = c.Exec("DELETE FROM parents WHERE id = 2");
    EXPECT_TRUE(del && *del == 1);
    return {};
  }));
}

TEST_P(DbContractTest, InsertReturningAndUpsertsBehaveAlike) {
  std::int64_t first = 0, second = 0;
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'p')"));
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    const char* insert = "INSERT INTO children (parent_id, n) VALUES (?, ?) RETURNING id";
    auto a = c.Query(insert, {std::int64_t{1}, std::int64_t{5}});
    if (!a) return a.error();
    auto b = c.Query(insert, {std::int64_t{1}, std::int64_t{6}});
    if (!b) return b.error();
    first = a->front().Int(0);
    second = b->front().Int(0);
    return {};
  }));
  EXPECT_GT(first, 0);
  EXPECT_EQ(second, first + 1);
  // The coach's conditional claim: ON CONFLICT ... DO UPDATE ... WHERE, with
  // RETURNING telling whether the row was taken.
  const char* claim =
      "INSERT INTO parents (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name "
      "WHERE parents.name <> ? RETURNING id";
  auto claimed = [&](const std::string& name, const std::string& unless) {
    Rows rows;
    EXPECT_TRUE(db_->Write([&](Connection& c) -> Status {
      auto r = c.Query(claim, {std::int64_t{1}, name, unless});
      if (!r) return r.error();
      rows = std::move(*r);
      return {};
    }));
    return rows.size();
  };
  EXPECT_EQ(claimed("q", "p"), 0u) << "the WHERE refused the update";
  EXPECT_EQ(claimed("q", "x"), 1u);
  EXPECT_EQ(QueryRows(*db_, "SELECT name FROM parents WHERE id = 1").at(0).Str(0), "q");
}

// Insert hands back the new row's id (consecutive ids for consecutive rows),
// and nothing when ON CONFLICT DO NOTHING inserted nothing, even right after
// a statement that did change rows.
TEST_P(DbContractTest, InsertReturnsTheNewIdOrNothing) {
  std::optional<std::int64_t> a, b, none;
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    if (auto p = c.Exec("INSERT INTO parents (id, name) VALUES (7, 'p')"); !p) return p.error();
    const char* insert = "INSERT INTO children (parent_id, n) VALUES (?, ?)";
    auto x = c.Insert(insert, {std::int64_t{7}, std::int64_t{5}});
    if (!x) return x.error();
    auto y = c.Insert(insert, {std::int64_t{7}, std::int64_t{6}});
    if (!y) return y.error();
    a = *x, b = *y;
    if (auto r = c.Exec("UPDATE children SET n = n + 1"); !r) return r.error();
    auto z = c.Insert("INSERT INTO children (id, parent_id, n) VALUES (?, 7, 1) ON CONFLICT (id) DO NOTHING", {y->value()});
    if (!z) return z.error();
    none = *z;
    return {};
  }));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*b, *a + 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT n FROM children WHERE id = ?", {*b}), 7);
  EXPECT_FALSE(none) << "nothing inserted";
  auto dup = db_->Write([&](Connection& c) -> Status {
    auto r = c.Insert("INSERT INTO children (id, parent_id, n) VALUES (?, 7, 1)", {*a});
    if (!r) return r.error();
    return {};
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_P(DbContractTest, WriteRollsBackWhenTheCallbackFails) {
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

TEST_P(DbContractTest, WriteRollsBackAStatementErrorMidway) {
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

TEST_P(DbContractTest, ASwallowedStatementErrorNeverCommitsHalfATransaction) {
  // SQLite would let the callback carry on; PostgreSQL aborts the
  // transaction. Either way the first write is not left committed alone
  // unless the backend really ran the rest.
  auto st = db_->Write([](Connection& c) -> Status {
    (void)c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a')");
    (void)c.Exec("INSERT INTO parents (id, name) VALUES (2, 'a')");  // duplicate, ignored
    (void)c.Exec("INSERT INTO parents (id, name) VALUES (3, 'c')");
    return {};
  });
  if (GetParam() == Dialect::kSqlite) {
    ASSERT_TRUE(st);
    EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2);
  } else {
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::kConflict) << "the first error is reported";
    EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 0);
  }
}

TEST_P(DbContractTest, ExceptionsInsideWriteRollBackAndPropagate) {
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

TEST_P(DbContractTest, ConstraintViolationsMapToErrorCodes) {
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

TEST_P(DbContractTest, ForeignKeysAreEnforcedOnDelete) {
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  ASSERT_TRUE(Exec(*db_, "INSERT INTO children (parent_id, n) VALUES (1, 0)"));
  auto st = Exec(*db_, "DELETE FROM parents WHERE id = 1");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
}

TEST_P(DbContractTest, ParameterCountMismatchIsAnError) {
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
  // The cached statement still works with the right parameters, and a
  // caller bug does not spoil the transaction it happened in.
  EXPECT_EQ(QueryInt(*db_, "SELECT ? + ?", {std::int64_t{2}, std::int64_t{3}}), 5);
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    EXPECT_FALSE(c.Exec("INSERT INTO parents (id, name) VALUES (?, ?)", {std::int64_t{1}}));
    auto r = c.Exec("INSERT INTO parents (id, name) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
    if (!r) return r.error();
    return {};
  }));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 1);
}

TEST_P(DbContractTest, QuestionMarksInLiteralsAndCommentsAreNotPlaceholders) {
  auto rows = QueryRows(*db_, "SELECT '?' || ? || 'it''s ?' -- trailing ? comment\n", {std::string("x")});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Str(0), "?xit's ?");
  rows = QueryRows(*db_, "SELECT /* ? */ ? AS \"what?\"", {std::int64_t{7}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 7);
}

TEST_P(DbContractTest, EmptyOrCommentOnlySqlIsAnErrorNotACrash) {
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

TEST_P(DbContractTest, RejectsSeveralStatementsInOneCall) {
  // Only ExecScript runs scripts; Exec must not silently drop the tail.
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, 'a')"));
  auto st = Exec(*db_, "UPDATE parents SET name = 'b'; DELETE FROM parents");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents WHERE name = 'a'"), 1);
  EXPECT_TRUE(Exec(*db_, "UPDATE parents SET name = 'b';  ")) << "a trailing semicolon is fine";
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents WHERE name = 'b'"), 1);
}

TEST_P(DbContractTest, ExecScriptRunsEveryStatement) {
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.ExecScript(
        "INSERT INTO parents (id, name) VALUES (1, 'a');\n"
        "-- a comment between statements\n"
        "INSERT INTO parents (id, name) VALUES (2, 'b');");
  }));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2);
  auto bad = db_->Write([](Connection& c) {
    return c.ExecScript("INSERT INTO parents (id, name) VALUES (3, 'c'); INSERT INTO nowhere VALUES (1);");
  });
  EXPECT_FALSE(bad);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2) << "the script's transaction rolled back";
}

TEST_P(DbContractTest, ValuesRoundTripThroughTypedColumns) {
  ASSERT_TRUE(db_->Write([](Connection& c) {
    return c.ExecScript("CREATE TABLE v (k BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT)");
  }));
  const std::vector<Value> ints = {Value{}, Value{std::int64_t{0}}, Value{std::int64_t{-42}},
                                   Value{std::numeric_limits<std::int64_t>::max()},
                                   Value{std::numeric_limits<std::int64_t>::min()}};
  const std::vector<Value> reals = {Value{}, Value{1.5}, Value{-0.25}, Value{1e300}, Value{0.1}};
  const std::vector<Value> texts = {Value{}, Value{std::string()}, Value{std::string("Zürich 😀")},
                                    Value{std::string("it's \\ 100% _x_")}, Value{std::string(5000, 'x')}};
  for (std::size_t k = 0; k < ints.size(); ++k)
    ASSERT_TRUE(Exec(*db_, "INSERT INTO v (k, i, r, s) VALUES (?, ?, ?, ?)",
                     {static_cast<std::int64_t>(k), ints[k], reals[k], texts[k]}));
  Rows rows = QueryRows(*db_, "SELECT i, r, s FROM v ORDER BY k");
  ASSERT_EQ(rows.size(), ints.size());
  for (std::size_t k = 0; k < ints.size(); ++k) {
    ASSERT_EQ(rows[k].values.size(), 3u);
    EXPECT_EQ(rows[k].values[0], ints[k]) << "row " << k;
    EXPECT_EQ(rows[k].values[1], reals[k]) << "row " << k;
    EXPECT_EQ(rows[k].values[2], texts[k]) << "row " << k;
  }
}

TEST_P(DbContractTest, ExpressionsComeBackAsNumbers) {
  ASSERT_TRUE(db_->Write([](Connection& c) { return Fill(c, 1, 4); }));
  Rows rows = QueryRows(*db_,
                        "SELECT COUNT(*), SUM(x), MAX(x), x > 2, COALESCE(NULL, 1) = 1, "
                        "CASE WHEN x = 3 THEN 1 ELSE 0 END FROM t WHERE x = 3 GROUP BY x");
  ASSERT_EQ(rows.size(), 1u);
  const Row& r = rows[0];
  EXPECT_EQ(r.Int(0), 1);
  EXPECT_EQ(r.Int(1), 3) << "SUM of integers (a double from PostgreSQL's numeric)";
  EXPECT_EQ(r.Real(1), 3.0);
  EXPECT_EQ(r.Int(2), 3);
  EXPECT_EQ(r.values[3], Value{std::int64_t{1}}) << "a comparison is 1, not a boolean";
  EXPECT_EQ(r.values[4], Value{std::int64_t{1}});
  EXPECT_EQ(r.values[5], Value{std::int64_t{1}});
}

TEST_P(DbContractTest, TextComparesByteWiseAndLikeEscapesWithBackslash) {
  ASSERT_TRUE(db_->Write([](Connection& c) -> Status {
    std::int64_t id = 0;
    for (const char* name : {"bob", "Alice", "alice", "Émile", "a_b", "axb", "100%"})
      if (auto r = c.Exec("INSERT INTO parents (id, name) VALUES (?, ?)", {++id, std::string(name)}); !r)
        return r.error();
    return {};
  }));
  Rows rows = QueryRows(*db_, "SELECT name FROM parents ORDER BY name");
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.Str(0));
  EXPECT_EQ(names, (std::vector<std::string>{"100%", "Alice", "a_b", "alice", "axb", "bob", "Émile"}));
  // The CRM's search: lower(col) LIKE ? ESCAPE '\' with % and _ escaped.
  const char* search = "SELECT COUNT(*) FROM parents WHERE lower(name) LIKE ? ESCAPE '\\'";
  EXPECT_EQ(QueryInt(*db_, search, {std::string("%a\\_b%")}), 1);
  EXPECT_EQ(QueryInt(*db_, search, {std::string("%0\\%")}), 1);
  EXPECT_EQ(QueryInt(*db_, search, {std::string("ali%")}), 2);
}

TEST_P(DbContractTest, AfterCommitRunsOnlyOnceCommittedAndOutsideTheTransaction) {
  std::vector<std::string> ran;
  ASSERT_TRUE(db_->Write([&](Connection& c) -> Status {
    c.AfterCommit([&] { ran.push_back("first"); });
    if (auto r = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'a')"); !r) return r.error();
    c.AfterCommit([&] {
      // Committed and visible; and no lock is held, so the database can be
      // used again from here.
      ran.push_back("second:" + std::to_string(QueryInt(*db_, "SELECT COUNT(*) FROM parents")));
      EXPECT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (2, 'b')"));
    });
    EXPECT_TRUE(ran.empty()) << "nothing runs before the commit";
    return {};
  }));
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "second:1"}));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2);

  ran.clear();
  EXPECT_FALSE(db_->Write([&](Connection& c) -> Status {
    c.AfterCommit([&] { ran.push_back("rolled back"); });
    return Error::Invalid("no");
  }));
  EXPECT_THROW(db_->Write([&](Connection& c) -> Status {
    c.AfterCommit([&] { ran.push_back("thrown"); });
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(db_->Write([&](Connection& c) -> Status {
    c.AfterCommit([&] { ran.push_back("failed statement"); });
    auto r = c.Exec("INSERT INTO parents (id, name) VALUES (1, 'dup')");
    if (!r) return r.error();
    return {};
  }));
  ASSERT_TRUE(db_->Write([](Connection&) -> Status { return {}; }));
  EXPECT_TRUE(ran.empty()) << "callbacks of a rolled-back transaction are dropped, not kept for the next one";
}

// Collects notifications from a Listen handler (called on another thread on
// PostgreSQL) and waits for them.
class Inbox {
 public:
  NotifyHandler Handler() {
    return [this](std::string_view payload) {
      {
        std::lock_guard lock(mu_);
        got_.emplace_back(payload);
      }
      cv_.notify_all();
    };
  }
  // Waits until `n` payloads arrived (or 5 s); returns them all.
  std::vector<std::string> WaitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [&] { return got_.size() >= n; });
    return got_;
  }
  std::vector<std::string> Now() {
    std::lock_guard lock(mu_);
    return got_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> got_;
};

Status NotifyIn(Database& db, std::string_view channel, std::string_view payload, bool commit = true) {
  return db.Write([&](Connection& c) -> Status {
    if (auto st = c.Notify(channel, payload); !st) return st;
    return commit ? Status{} : Error::Invalid("rolled back on purpose");
  });
}

TEST_P(DbContractTest, NotifyReachesListenersOnlyAfterCommitAndInCommitOrder) {
  Inbox a, b, other;
  auto la = db_->Listen("chan", a.Handler());
  auto lb = db_->Listen("chan", b.Handler());
  auto lo = db_->Listen("other_chan", other.Handler());
  ASSERT_TRUE(la && lb && lo);

  EXPECT_FALSE(NotifyIn(*db_, "chan", "dropped", /*commit=*/false));
  ASSERT_TRUE(NotifyIn(*db_, "chan", "one"));
  ASSERT_TRUE(NotifyIn(*db_, "chan", R"({"json":"with 'quotes' and ? marks"})"));
  ASSERT_TRUE(NotifyIn(*db_, "other_chan", "elsewhere"));
  std::vector<std::string> want{"one", R"({"json":"with 'quotes' and ? marks"})"};
  EXPECT_EQ(a.WaitFor(2), want);
  EXPECT_EQ(b.WaitFor(2), want);
  EXPECT_EQ(other.WaitFor(1), std::vector<std::string>{"elsewhere"});

  // A dropped listener hears nothing more; the others still do.
  la->reset();
  ASSERT_TRUE(NotifyIn(*db_, "chan", "three"));
  EXPECT_EQ(b.WaitFor(3).back(), "three");
  EXPECT_EQ(a.Now().size(), 2u);
}

TEST_P(DbContractTest, NotifyReachesASecondDatabaseHandleOnPostgresql) {
  // Two handles on one database stand for two server processes. SQLite's
  // notifications stay in the handle (one process owns a SQLite database).
  if (GetParam() == Dialect::kSqlite) GTEST_SKIP() << "SQLite delivers within its own handle only";
  auto second = Open(url());
  ASSERT_TRUE(second);
  Inbox inbox;
  auto l = second->Listen("cross", inbox.Handler());
  ASSERT_TRUE(l);
  ASSERT_TRUE(NotifyIn(*db_, "cross", "from the first"));
  EXPECT_EQ(inbox.WaitFor(1), std::vector<std::string>{"from the first"});
}

TEST_P(DbContractTest, ChangeStampMovesWithEveryCommitOfAnyHandle) {
  auto stamp = [](Database& db) {
    auto s = db.ChangeStamp();
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : std::string();
  };
  // Unchanged while nothing commits (reads included). A PostgreSQL snapshot
  // is the cluster's, which other tests may be writing to: some two
  // consecutive stamps around a read must agree.
  bool steady = false;
  for (int i = 0; i < 50 && !steady; ++i) {
    std::string before = stamp(*db_);
    EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), 0);
    steady = stamp(*db_) == before;
  }
  EXPECT_TRUE(steady);
  // Each commit of this handle moves it, whichever reader answers next.
  for (int i = 0; i < 6; ++i) {
    std::string before = stamp(*db_);
    ASSERT_TRUE(Exec(*db_, "INSERT INTO t (x) VALUES (?)", {std::int64_t{i}}));
    EXPECT_NE(stamp(*db_), before) << "after commit " << i;
  }
  // A rolled-back write may or may not; a commit by another handle (another
  // process) must.
  auto other = Open(url());
  ASSERT_TRUE(other);
  std::string before = stamp(*db_);
  ASSERT_TRUE(Exec(*other, "INSERT INTO t (x) VALUES (99)"));
  EXPECT_NE(stamp(*db_), before);
}

TEST_P(DbContractTest, NotifyAndListenRejectBadChannelsAndOversizedPayloads) {
  Inbox inbox;
  for (const std::string& bad :
       std::vector<std::string>{"", "Upper", "9lives", "semi;colon", "a b", std::string(64, 'a')}) {
    auto l = db_->Listen(bad, inbox.Handler());
    ASSERT_FALSE(l) << bad;
    EXPECT_EQ(l.error().code, ErrorCode::kInvalidArgument);
    auto st = NotifyIn(*db_, bad, "x");
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  }
  auto l = db_->Listen("big", inbox.Handler());
  ASSERT_TRUE(l);
  ASSERT_TRUE(NotifyIn(*db_, "big", std::string(kMaxNotifyPayload, 'x')));
  auto st = NotifyIn(*db_, "big", std::string(kMaxNotifyPayload + 1, 'x'));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inbox.WaitFor(1).size(), 1u);
}

TEST_P(DbContractTest, ConcurrentReadModifyWritesAllLand) {
  // Each write reads the counter and writes it back plus one: lost updates
  // or errors would show in the total. SQLite queues the writers;
  // PostgreSQL runs them at SERIALIZABLE and retries the losers.
  ASSERT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (1, '0')"));
  constexpr int kThreads = 4, kEach = 25;
  std::atomic<int> errors = 0, after_commits = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto st = db_->Write([&](Connection& c) -> Status {
          auto rows = c.Query("SELECT name FROM parents WHERE id = 1");
          if (!rows) return rows.error();
          std::int64_t n = std::stoll(rows->front().Str(0));
          auto r = c.Exec("UPDATE parents SET name = ? WHERE id = 1", {std::to_string(n + 1)});
          if (!r) return r.error();
          c.AfterCommit([&] { ++after_commits; });
          return {};
        });
        if (!st) {
          ++errors;
          ADD_FAILURE() << st.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(after_commits.load(), kThreads * kEach) << "one callback per committed write, none from lost attempts";
  EXPECT_EQ(QueryRows(*db_, "SELECT name FROM parents WHERE id = 1").at(0).Str(0), std::to_string(kThreads * kEach));
}

// Concurrent writes may share a transaction (SQLite's group commit): one that
// fails or throws must be undone alone, and each caller gets its own outcome
// and only its own after-commit callbacks and notifications.
TEST_P(DbContractTest, EachConcurrentWriteSucceedsOrFailsAlone) {
  constexpr int kThreads = 12, kEach = 40;
  Inbox inbox;
  auto listener = db_->Listen("outcomes", inbox.Handler());
  ASSERT_TRUE(listener);
  std::atomic<int> ok{0}, failed{0}, thrown{0}, wrong{0}, callbacks{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        int n = t * kEach + i;
        int kind = n % 5;  // 0-2 commit, 3 returns an error, 4 throws; all after writing
        bool ran_callback = false;
        try {
          auto st = db_->Write([&](Connection& c) -> Status {
            if (auto r = c.Exec("INSERT INTO t (x) VALUES (?)", {std::int64_t{n}}); !r) return r.error();
            if (auto st2 = c.Notify("outcomes", std::to_string(n)); !st2) return st2;
            c.AfterCommit([&] { ran_callback = true; });
            if (kind == 3) return Error::Invalid("no");
            if (kind == 4) throw std::runtime_error("boom");
            return {};
          });
          if (st && kind < 3 && ran_callback) ++ok;
          else if (!st && kind == 3 && st.error().code == ErrorCode::kInvalidArgument && !ran_callback) ++failed;
          else ++wrong;
        } catch (const std::runtime_error&) {
          if (kind == 4 && !ran_callback) ++thrown;
          else ++wrong;
        }
        if (ran_callback) ++callbacks;
      }
    });
  }
  for (auto& th : threads) th.join();
  constexpr int kTotal = kThreads * kEach;
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(ok.load(), kTotal * 3 / 5);
  EXPECT_EQ(failed.load(), kTotal / 5);
  EXPECT_EQ(thrown.load(), kTotal / 5);
  EXPECT_EQ(callbacks.load(), ok.load());
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), ok.load());
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t WHERE x % 5 >= 3"), 0) << "a failed write left a row behind";
  auto heard = inbox.WaitFor(static_cast<std::size_t>(ok.load()));
  EXPECT_EQ(heard.size(), static_cast<std::size_t>(ok.load()));
  for (const auto& h : heard) EXPECT_LT(std::stoi(h) % 5, 3) << "notification of a failed write: " << h;
}

// Submit: a job's Writes and Reads share one transaction with the jobs
// queued beside it (SQLite), each Write undone alone when it fails, and
// `done` tells each job whether what it wrote is durable. Without
// SharesCommits the job runs at once, each Write committing itself.
TEST_P(DbContractTest, SubmittedJobsReadTheirOwnWritesAndFailAlone) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  int finished = 0;
  std::vector<std::string> outcomes(4);
  auto finish = [&](int i) {
    return [&, i](Status committed) {
      std::lock_guard lock(mu);
      outcomes[i] = committed ? "ok" : committed.error().message;
      ++finished;
      cv.notify_all();
    };
  };
  const bool shares = db_->SharesCommits();
  EXPECT_EQ(shares, GetParam() == Dialect::kSqlite);
  std::thread holder;
  if (shares) {
    // Holds the writer thread, so the next three jobs queue up and run as
    // one batch when it lets go.
    db_->Submit(
        [&] {
          std::unique_lock lock(mu);
          cv.wait(lock, [&] { return release; });
        },
        finish(0));
  } else {
    outcomes[0] = "ok";
    ++finished;
  }
  std::vector<std::int64_t> seen(4, -1);
  Status dup_write;
  auto insert = [&](int i, int id) {
    return [&, i, id] {
      auto st = db_->Write([&](Connection& c) -> Status {
        auto r = c.Exec("INSERT INTO parents (id, name) VALUES (?, ?)", {std::int64_t{id}, "job " + std::to_string(i)});
        if (!r) return r.error();
        return {};
      });
      if (i == 2) dup_write = st;
      // A Read in the same job sees the row before the batch commits.
      (void)db_->Read([&](Connection& c) -> Status {
        auto r = c.Query("SELECT COUNT(*) FROM parents WHERE id = ?", {std::int64_t{id}});
        if (!r) return r.error();
        seen[i] = r->front().Int(0);
        return {};
      });
    };
  };
  db_->Submit(insert(1, 1), finish(1));
  db_->Submit(insert(2, 1), finish(2));  // the same id: fails, alone
  db_->Submit(insert(3, 2), finish(3));
  {
    std::unique_lock lock(mu);
    release = true;
    cv.notify_all();
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return finished == 4; }));
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "ok", "ok", "ok"})) << "nothing undone: the failed write wrote nothing";
  EXPECT_FALSE(dup_write);
  EXPECT_EQ(dup_write.error().code, ErrorCode::kConflict);
  EXPECT_EQ(seen[1], 1);
  EXPECT_EQ(seen[2], 1) << "the first job's row, in the same transaction";
  EXPECT_EQ(seen[3], 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 2);
  // A blocking Write still works beside submitted jobs, and after them.
  EXPECT_TRUE(Exec(*db_, "INSERT INTO parents (id, name) VALUES (3, 'y')"));
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM parents"), 3);
}

TEST_P(DbContractTest, MigrateIsIdempotentAndReportsTheLatestVersion) {
  ASSERT_GE(LatestSchemaVersion(), 1);
  auto first = Migrate(*db_);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, LatestSchemaVersion());
  auto second = Migrate(*db_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT version FROM schema_version"), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM coach_insights"), 0);
}

TEST_P(DbContractTest, MigrateRefusesADatabaseNewerThanTheBuild) {
  ASSERT_TRUE(Migrate(*db_));
  ASSERT_TRUE(Exec(*db_, "UPDATE schema_version SET version = ?", {std::int64_t{LatestSchemaVersion() + 1}}));
  auto r = Migrate(*db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST_P(DbContractTest, ServersStartingTogetherMigrateOnce) {
  constexpr int kServers = 4;
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < kServers; ++i) {
    dbs.push_back(Open(url(), 2));
    ASSERT_TRUE(dbs.back());
  }
  std::barrier start(kServers);
  std::vector<Result<int>> results(kServers, Error::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kServers; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = Migrate(*dbs[i]);
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kServers; ++i) {
    ASSERT_TRUE(results[i]) << "server " << i << ": " << results[i].error().message;
    EXPECT_EQ(*results[i], LatestSchemaVersion());
  }
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM schema_version"), 1);
  EXPECT_EQ(QueryInt(*db_, "SELECT version FROM schema_version"), LatestSchemaVersion());
}

TEST_P(DbContractTest, ReadsProceedWhileAWriteIsOpen) {
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

TEST_P(DbContractTest, EachReadSeesOneSnapshotWhileWritesCommit) {
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

TEST_P(DbContractTest, ExceptionsInsideReadPropagateAndFreeTheConnection) {
  auto db = Open(url(), /*pool_size=*/1);
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

TEST_P(DbContractTest, ReadConnectionsAreReadOnly) {
  auto st = db_->Read([](Connection& c) -> Status {
    auto r = c.Exec("INSERT INTO t (x) VALUES (1)");
    if (!r) return r.error();
    return {};
  });
  EXPECT_FALSE(st);
  EXPECT_EQ(QueryInt(*db_, "SELECT COUNT(*) FROM t"), 0);
}

TEST_P(DbContractTest, DataSurvivesReopening) {
  ASSERT_TRUE(Migrate(*db_));
  ASSERT_TRUE(db_->Write([&](Connection& c) { return Fill(c, 1, 3); }));
  db_.reset();
  auto again = Open(url());
  ASSERT_TRUE(again);
  EXPECT_EQ(QueryInt(*again, "SELECT COUNT(*) FROM t"), 3);
  auto v = Migrate(*again);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, LatestSchemaVersion());
}

}  // namespace
}  // namespace chosen::store::testing
