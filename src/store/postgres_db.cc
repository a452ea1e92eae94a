#include "store/postgres_db.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

namespace chosen::store {
namespace {

// Type OIDs from PostgreSQL's catalog/pg_type.h (server headers are not part
// of libpq-dev; these numbers are fixed since the catalogue began).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr std::size_t kMaxCachedStatements = 512;
constexpr int kMaxPoolSize = 64;
// A write is tried this many times on serialization failures and deadlocks;
// from attempt kAloneFromAttempt on it runs alone among this process's
// writers, so only other processes can still make it lose.
constexpr int kMaxWriteAttempts = 5;
constexpr int kAloneFromAttempt = 3;
// Run on every new session: standard strings make `'\'` one backslash, as
// in SQLite; instants are integers, so the time zone only fixes the output of
// functions we do not use.
constexpr const char* kSessionSetup =
    "SET standard_conforming_strings = on; SET client_min_messages = warning; SET TIME ZONE 'UTC'";

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string TrimMessage(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string FormatDouble(double d) {
  // PostgreSQL's float8 input accepts these spellings; fmt's shortest
  // round-trip form covers every finite value.
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", d);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Opens one session and applies the settings every query relies on
// (standard strings: `'\'` is one backslash, as in SQLite).
Result<PGconn*> Connect(const std::string& url) {
  // Keywords before "dbname" are defaults; the URL's own parameters win.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* vals[] = {"10", "chosen", "UTF8", url.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, vals, /*expand_dbname=*/1);
  if (!c) return Error::Internal("cannot connect to postgresql: out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = TrimMessage(PQerrorMessage(c));
    PQfinish(c);
    return Error::Internal("cannot connect to postgresql: " + msg);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PgResult r(PQexec(c, kSessionSetup));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    std::string msg = TrimMessage(PQerrorMessage(c));
    PQfinish(c);
    return Error::Internal("cannot set up postgresql session: " + msg);
  }
  return c;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    auto st = Run(sql, params, &rows, nullptr);
    if (!st) return st.error();
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    std::int64_t changed = 0;
    auto st = Run(sql, params, nullptr, &changed);
    if (!st) return st.error();
    return changed;
  }

  Status ExecScript(std::string_view sql) override {
    PgResult res(PQexec(conn_, std::string(sql).c_str()));
    return Check(res.get());
  }

  void AfterCommit(std::function<void()> fn) override { after_commit_.push_back(std::move(fn)); }

  Status Notify(std::string_view channel, std::string_view payload) override {
    if (auto st = CheckNotification(channel, payload); !st) return st;
    // Queued by the server and sent to listeners at COMMIT, only if it commits.
    auto r = Query("SELECT pg_notify(?, ?)", {std::string(channel), std::string(payload)});
    if (!r) return r.error();
    return {};
  }

  // Hands over (and forgets) the callbacks registered since the last call.
  std::vector<std::function<void()>> TakeAfterCommit() { return std::exchange(after_commit_, {}); }

  // Starts a transaction with `begin_sql`, forgetting the previous one's
  // failures and callbacks.
  Status Begin(const char* begin_sql) {
    failure_.reset();
    retry_ = false;
    after_commit_.clear();
    if (cache_.size() >= kMaxCachedStatements) {
      // Between transactions, so a failure here cannot abort one.
      PgResult r(PQexec(conn_, "DEALLOCATE ALL"));
      cache_.clear();
    }
    PgResult res(PQexec(conn_, begin_sql));
    return Check(res.get());
  }

  // Ends the transaction: COMMIT or ROLLBACK.
  Status End(bool commit) {
    PgResult res(PQexec(conn_, commit ? "COMMIT" : "ROLLBACK"));
    return Check(res.get());
  }

  // The first statement error of this transaction, which PostgreSQL has
  // aborted (every later statement fails until ROLLBACK).
  const std::optional<Error>& failure() const { return failure_; }
  // True if a statement of this transaction failed in a way that retrying
  // the whole transaction may cure (serialization failure, deadlock).
  bool retry() const { return retry_; }

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

  // Reconnects a broken session (same parameters); prepared statements are
  // gone with the old session. Returns false if the server is still away.
  bool Reset() {
    cache_.clear();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    PgResult r(PQexec(conn_, kSessionSetup));
    return PQresultStatus(r.get()) == PGRES_COMMAND_OK;
  }

 private:
  struct Prepared {
    std::string name;
  };

  // Maps a failed (or missing) result to an Error and remembers it.
  Status Check(PGresult* res) {
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return {};
    if (s == PGRES_EMPTY_QUERY) return Error::Internal("no SQL statement sent to postgresql");
    std::string state, message;
    if (res) {
      const char* st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
      state = st ? st : "";
      message = msg ? msg : TrimMessage(PQresultErrorMessage(res));
    }
    if (message.empty()) message = TrimMessage(PQerrorMessage(conn_));
    // A session that died mid-call reports no SQLSTATE of its own.
    if (PQstatus(conn_) != CONNECTION_OK && (state.empty() || !state.starts_with("57"))) state = "08006";
    if (state.empty()) state = "XX000";
    Error e = PgError(state, message);
    if (!failure_) failure_ = e;
    if (IsRetryableSqlState(state)) retry_ = true;
    return e;
  }

  Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows, std::int64_t* changed) {
    PgStatement stmt = RewritePlaceholders(sql);
    // Caller bugs caught before anything is sent, so they do not abort the
    // transaction (as in SQLite, which rejects them when preparing).
    if (stmt.empty) return Error::Internal(fmt::format("no SQL statement in: '{}'", sql));
    if (stmt.several) return Error::Internal(fmt::format("more than one SQL statement in: {}", sql));
    if (static_cast<int>(params.size()) != stmt.placeholders)
      return Error::Internal(fmt::format("parameter count mismatch for: {}", sql));

    const int n = static_cast<int>(params.size());
    std::vector<Oid> types(n, 0);
    std::vector<std::string> texts(n);
    std::vector<const char*> values(n, nullptr);
    std::string key = stmt.text;
    key += '\0';
    for (int i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) {
        types[i] = 0;  // unknown: the server infers it from the context
      } else if (auto p = std::get_if<std::int64_t>(&v)) {
        types[i] = kInt8Oid;
        texts[i] = std::to_string(*p);
        values[i] = texts[i].c_str();
      } else if (auto d = std::get_if<double>(&v)) {
        types[i] = kFloat8Oid;
        texts[i] = FormatDouble(*d);
        values[i] = texts[i].c_str();
      } else {
        const auto& s = std::get<std::string>(v);
        // Text values travel NUL-terminated and PostgreSQL cannot store NUL
        // in text at all: refuse rather than silently truncate.
        if (s.find('\0') != std::string::npos)
          return Error::Invalid("text values cannot contain NUL characters");
        types[i] = kTextOid;
        values[i] = s.c_str();
      }
      key += static_cast<char>('a' + (types[i] == kInt8Oid ? 1 : types[i] == kFloat8Oid ? 2 : types[i] ? 3 : 0));
    }

    auto it = cache_.find(key);
    if (it == cache_.end()) {
      std::string name = fmt::format("chosen_{}", next_statement_++);
      PgResult prep(PQprepare(conn_, name.c_str(), stmt.text.c_str(), n, types.data()));
      if (auto st = Check(prep.get()); !st) return st;
      it = cache_.emplace(std::move(key), Prepared{std::move(name)}).first;
    }
    PgResult res(PQexecPrepared(conn_, it->second.name.c_str(), n, values.data(), nullptr, nullptr, 0));
    if (auto st = Check(res.get()); !st) return st;

    if (changed) {
      // Only a writing statement reports a count of changed rows; a SELECT's
      // "SELECT n" is rows returned, not changed.
      std::string_view status = PQcmdStatus(res.get());
      if (status.starts_with("INSERT") || status.starts_with("UPDATE") || status.starts_with("DELETE") ||
          status.starts_with("MERGE"))
        *changed = std::strtoll(PQcmdTuples(res.get()), nullptr, 10);
    }
    if (!rows) return {};
    const int nf = PQnfields(res.get());
    const int nt = PQntuples(res.get());
    std::vector<Oid> ftypes(nf);
    for (int f = 0; f < nf; ++f) ftypes[f] = PQftype(res.get(), f);
    rows->reserve(nt);
    for (int t = 0; t < nt; ++t) {
      Row row;
      row.values.reserve(nf);
      for (int f = 0; f < nf; ++f) {
        if (PQgetisnull(res.get(), t, f)) {
          row.values.emplace_back(std::monostate{});
          continue;
        }
        const char* text = PQgetvalue(res.get(), t, f);
        switch (ftypes[f]) {
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid: row.values.emplace_back(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10))); break;
          case kFloat4Oid:
          case kFloat8Oid:
          case kNumericOid: row.values.emplace_back(std::strtod(text, nullptr)); break;
          case kBoolOid: row.values.emplace_back(static_cast<std::int64_t>(text[0] == 't' ? 1 : 0)); break;
          default:
            row.values.emplace_back(std::string(text, static_cast<std::size_t>(PQgetlength(res.get(), t, f))));
        }
      }
      rows->push_back(std::move(row));
    }
    return {};
  }

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> cache_;  // SQL + parameter types → statement
  std::uint64_t next_statement_ = 0;
  std::vector<std::function<void()>> after_commit_;
  std::optional<Error> failure_;
  bool retry_ = false;
};

// Ordinary write attempts share the gate; a writer that has lost twice takes
// it exclusively, so its next attempt runs alone among this process's
// writers. Waiting exclusive writers go first (no starvation).
class WriteGate {
 public:
  void Lock(bool exclusive) {
    std::unique_lock lock(mu_);
    if (exclusive) {
      ++exclusive_waiting_;
      cv_.wait(lock, [&] { return !exclusive_ && shared_ == 0; });
      --exclusive_waiting_;
      exclusive_ = true;
    } else {
      cv_.wait(lock, [&] { return !exclusive_ && exclusive_waiting_ == 0; });
      ++shared_;
    }
  }
  void Unlock(bool exclusive) {
    {
      std::lock_guard lock(mu_);
      if (exclusive) exclusive_ = false;
      else --shared_;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int shared_ = 0;             // guarded by mu_
  int exclusive_waiting_ = 0;  // guarded by mu_
  bool exclusive_ = false;     // guarded by mu_
};

// A LISTEN session on a thread of its own. The thread waits in poll() on the
// session's socket and a pipe that the destructor writes to wake it.
class PgListener final : public Listener {
 public:
  PgListener(std::string url, std::string channel, NotifyHandler fn)
      : url_(std::move(url)), channel_(std::move(channel)), fn_(std::move(fn)) {}

  ~PgListener() override {
    if (thread_.joinable()) {
      char b = 1;
      while (write(wake_[1], &b, 1) < 0 && errno == EINTR) {
      }
      thread_.join();
    }
    for (int fd : wake_)
      if (fd >= 0) close(fd);
    if (conn_) PQfinish(conn_);
  }

  // Opens the session and LISTENs before returning, so that a notification
  // committed after Start returns is heard; then starts the thread.
  Status Start() {
    if (pipe(wake_) != 0) return Error::Internal("cannot create a pipe for the listener");
    if (auto st = Connect(); !st) return st;
    thread_ = std::thread([this] { Run(); });
    return {};
  }

 private:
  Status Connect() {
    auto c = chosen::store::Connect(url_);
    if (!c) return c.error();
    // Quoted: a valid name may still be a keyword (e.g. "cross").
    PgResult r(PQexec(*c, ("LISTEN \"" + channel_ + "\"").c_str()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      std::string msg = TrimMessage(PQerrorMessage(*c));
      PQfinish(*c);
      return Error::Internal("cannot LISTEN: " + msg);
    }
    conn_ = *c;
    return {};
  }

  // Waits up to `ms` for the wake pipe; true if woken (stop).
  bool Sleep(int ms) {
    pollfd p{wake_[0], POLLIN, 0};
    return poll(&p, 1, ms) > 0;
  }

  void Run() {
    int backoff_ms = 100;
    for (;;) {
      if (!conn_) {
        if (Sleep(backoff_ms)) return;
        if (auto st = Connect(); !st) {
          backoff_ms = std::min(backoff_ms * 2, 5000);
          spdlog::warn("listener on '{}': {}; retrying", channel_, st.error().message);
          continue;
        }
        backoff_ms = 100;
        spdlog::warn("listener on '{}' reconnected; notifications sent while it was away were lost", channel_);
      }
      pollfd p[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(p, 2, -1) < 0) {
        if (errno == EINTR) continue;
        spdlog::error("listener on '{}': poll failed; stopping", channel_);
        return;
      }
      if (p[1].revents) return;
      if (!PQconsumeInput(conn_)) {
        spdlog::warn("listener on '{}' lost its session: {}", channel_, TrimMessage(PQerrorMessage(conn_)));
        PQfinish(conn_);
        conn_ = nullptr;
        continue;
      }
      while (PGnotify* n = PQnotifies(conn_)) {
        fn_(std::string_view(n->extra));
        PQfreemem(n);
      }
    }
  }

  const std::string url_, channel_;
  const NotifyHandler fn_;
  PGconn* conn_ = nullptr;  // the thread's once started
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int max) : url_(std::move(url)), max_(max) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Opens the first connection so that a bad URL or server fails at once.
  Status Prime() {
    auto c = Connect(url_);
    if (!c) return c.error();
    std::lock_guard lock(mu_);
    all_.push_back(std::make_unique<PgConnection>(*c));
    idle_.push_back(all_.back().get());
    open_ = 1;
    return {};
  }

  Result<std::string> ChangeStamp() override {
    auto conn = Acquire();
    if (!conn) return conn.error();
    Lease lease{this, *conn};
    // Outside a transaction: the snapshot of this one statement.
    auto rows = (*conn)->Query("SELECT CAST(pg_current_snapshot() AS TEXT)", {});
    if (!rows) return rows.error();
    return rows->front().Str(0);
  }

  Status Read(const std::function<Status(Connection&)>& fn) override {
    auto conn = Acquire();
    if (!conn) return conn.error();
    Lease lease{this, *conn};
    if (auto st = BeginOn(**conn, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); !st) return st;
    Status result = Error::Internal("read aborted");
    try {
      result = fn(**conn);
    } catch (...) {
      (void)(*conn)->End(false);
      (*conn)->TakeAfterCommit();
      throw;
    }
    (void)(*conn)->End(!(*conn)->failure().has_value());
    (*conn)->TakeAfterCommit();  // a read has nothing to publish
    return result;
  }

  Status Write(const std::function<Status(Connection&)>& fn) override {
    std::vector<std::function<void()>> committed;
    {
      auto acquired = Acquire();
      if (!acquired) return acquired.error();
      PgConnection& c = **acquired;
      Lease lease{this, &c};
      for (int attempt = 1;; ++attempt) {
        auto done = TryWrite(c, fn, attempt >= kAloneFromAttempt);
        if (done) {
          if (!*done) return done->error();
          committed = c.TakeAfterCommit();
          break;
        }
        // Lost a serialization race or a deadlock (while running or at
        // COMMIT): nothing was written, so the whole callback runs again.
        if (attempt >= kMaxWriteAttempts)
          return Error{ErrorCode::kUnavailable,
                       fmt::format("database busy: the write conflicted with others {} times; retry", attempt), {}};
        Backoff(attempt);
      }
    }
    for (auto& f : committed) f();
    return {};
  }

  Result<std::unique_ptr<Listener>> Listen(std::string_view channel, NotifyHandler fn) override {
    if (auto st = CheckChannelName(channel); !st) return st.error();
    auto l = std::make_unique<PgListener>(url_, std::string(channel), std::move(fn));
    if (auto st = l->Start(); !st) return st.error();
    return std::unique_ptr<Listener>(std::move(l));
  }

  Status RunExclusive(std::int64_t key, const std::function<Status()>& fn) override {
    // A session lock on a connection of its own: `fn` may use the pool
    // freely, and the lock goes with the session if anything goes wrong.
    auto c = Connect(url_);
    if (!c) return c.error();
    struct Close {
      PGconn* c;
      ~Close() { PQfinish(c); }
    } close{*c};
    std::string k = std::to_string(key);
    const char* params[] = {k.c_str()};
    PgResult lock(PQexecParams(*c, "SELECT pg_advisory_lock($1::bigint)", 1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(lock.get()) != PGRES_TUPLES_OK)
      return Error::Internal("cannot take the advisory lock: " + TrimMessage(PQerrorMessage(*c)));
    Status result = fn();
    PgResult unlock(
        PQexecParams(*c, "SELECT pg_advisory_unlock($1::bigint)", 1, nullptr, params, nullptr, nullptr, 0));
    return result;
  }

 private:
  // Returns a connection to the pool when the call is done; a broken one
  // is closed instead, and the pool opens a fresh one when next needed.
  struct Lease {
    PostgresDatabase* db;
    PgConnection* c;
    ~Lease() { db->Release(c); }
  };

  Result<PgConnection*> Acquire() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (!idle_.empty()) {
        PgConnection* c = idle_.back();
        idle_.pop_back();
        return c;
      }
      if (open_ < max_) {
        ++open_;
        lock.unlock();
        auto c = Connect(url_);
        lock.lock();
        if (!c) {
          --open_;
          cv_.notify_one();
          return Error{ErrorCode::kUnavailable, c.error().message, {}};
        }
        all_.push_back(std::make_unique<PgConnection>(*c));
        return all_.back().get();
      }
      cv_.wait(lock);
    }
  }

  void Release(PgConnection* c) {
    std::unique_ptr<PgConnection> broken;
    {
      std::lock_guard lock(mu_);
      if (c->healthy()) {
        idle_.push_back(c);
      } else {
        auto it = std::find_if(all_.begin(), all_.end(), [&](const auto& p) { return p.get() == c; });
        broken = std::move(*it);
        all_.erase(it);
        --open_;
      }
    }
    cv_.notify_one();
  }

  // BEGIN on `c`; a pooled session the server dropped while it sat idle
  // (restart, idle timeout) is reconnected once, since nothing has run yet.
  Status BeginOn(PgConnection& c, const char* begin_sql) {
    auto st = c.Begin(begin_sql);
    if (st || c.healthy()) return st;
    if (!c.Reset()) return st;
    return c.Begin(begin_sql);
  }

  // One attempt of a write transaction. Returns its outcome (OK once
  // committed, with the callbacks still on `c`), or nullopt when it lost a
  // race and should be retried (rolled back, callbacks dropped). `alone`:
  // hold the gate exclusively.
  std::optional<Status> TryWrite(PgConnection& c, const std::function<Status(Connection&)>& fn, bool alone) {
    gate_.Lock(alone);
    struct Unlock {
      WriteGate& g;
      bool alone;
      ~Unlock() { g.Unlock(alone); }
    } unlock{gate_, alone};
    if (auto st = BeginOn(c, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE"); !st) return st;
    Status result = Error::Internal("write aborted");
    try {
      result = fn(c);
    } catch (...) {
      (void)c.End(false);
      c.TakeAfterCommit();
      throw;
    }
    // A conflict is retried even if the callback turned it into another
    // error: the transaction lost a race, not an argument.
    if (!c.retry()) {
      // A statement error the callback swallowed still aborted the
      // transaction in PostgreSQL: it cannot commit.
      if (result && c.failure()) result = *c.failure();
      if (!result) {
        (void)c.End(false);
        c.TakeAfterCommit();
        return result;
      }
      Status commit = c.End(true);
      if (commit) return commit;
      if (!c.retry()) {
        c.TakeAfterCommit();
        return commit;
      }
    }
    if (c.healthy()) (void)c.End(false);
    c.TakeAfterCommit();
    return std::nullopt;
  }

  static void Backoff(int attempt) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    int base = 2 << attempt;  // 4, 8, 16, 32 ms
    std::uniform_int_distribution<int> jitter(base / 2, base + base / 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
  }

  const std::string url_;
  const int max_;
  WriteGate gate_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> all_;  // guarded by mu_
  std::vector<PgConnection*> idle_;                  // guarded by mu_
  int open_ = 0;                                     // guarded by mu_; includes connections being opened
};

}  // namespace

PgStatement RewritePlaceholders(std::string_view sql) {
  PgStatement out;
  out.text.reserve(sql.size() + 8);
  bool ended = false;  // past the first top-level ';'
  bool content = false;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  // Copies sql[from, to) to the output unless past the end of the statement.
  auto emit = [&](std::size_t from, std::size_t to) {
    if (!ended) out.text.append(sql.substr(from, to - from));
  };
  auto saw_content = [&] {
    if (ended) out.several = true;
    content = true;
  };
  while (i < n) {
    char c = sql[i];
    if (IsSpace(c)) {
      emit(i, i + 1);
      ++i;
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? n : end;
      emit(i, end);
      i = end;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      std::size_t j = i + 2;
      int depth = 1;  // PostgreSQL block comments nest
      while (j < n && depth > 0) {
        if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') depth++, j += 2;
        else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') depth--, j += 2;
        else ++j;
      }
      emit(i, j);
      i = j;
    } else if (c == '\'' || c == '"') {
      saw_content();
      // E'...' strings take backslash escapes; standard ones do not.
      bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                     (i < 2 || !IsIdentChar(sql[i - 2]));
      std::size_t j = i + 1;
      while (j < n) {
        if (escapes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == c) {
          if (j + 1 < n && sql[j + 1] == c) j += 2;  // doubled quote
          else break;
        } else {
          ++j;
        }
      }
      j = std::min(j + 1, n);
      emit(i, j);
      i = j;
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      // $tag$...$tag$ (tag empty or an identifier); $1 is a parameter.
      std::size_t j = i + 1;
      if (j < n && IsIdentStart(sql[j]))
        while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      saw_content();
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t close = sql.find(tag, j + 1);
        std::size_t end = close == std::string_view::npos ? n : close + tag.size();
        emit(i, end);
        i = end;
      } else {
        emit(i, i + 1);
        ++i;
      }
    } else if (c == ';') {
      ended = true;
      ++i;
    } else if (c == '?') {
      saw_content();
      if (!ended) out.text += fmt::format("${}", ++out.placeholders);
      ++i;
    } else {
      saw_content();
      std::size_t j = i + 1;
      // Copy identifiers and numbers whole so that `E'` and `$` checks see them.
      while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      emit(i, j);
      i = j;
    }
  }
  out.empty = !content;
  return out;
}

bool IsRetryableSqlState(std::string_view s) { return s == "40001" || s == "40P01"; }

Error PgError(std::string_view state, std::string_view message) {
  std::string msg(message);
  if (state == "23505") return Error::Conflict("already exists: " + msg);
  if (state == "23503") return Error::Invalid("refers to a record that does not exist");
  if (state == "23514" || state == "23502") return Error::Invalid("value rejected: " + msg);
  if (state == "22001" || state == "22003" || state == "22021" || state == "22P05")
    return Error::Invalid("value rejected: " + msg);
  if (IsRetryableSqlState(state)) return {ErrorCode::kUnavailable, "database busy, retry", {}};
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return {ErrorCode::kUnavailable, "database connection lost: " + msg, {}};
  return Error::Internal(fmt::format("postgresql error {}: {}", state, msg));
}

Result<std::string> PostgresUrlWithDatabase(std::string_view url, std::string_view dbname) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(std::string(url).c_str(), &err);
  if (!opts) {
    std::string msg = TrimMessage(err ? err : "out of memory");
    PQfreemem(err);
    return Error::Invalid("bad postgresql URL: " + msg, "db");
  }
  auto encode = [](std::string_view s) {
    std::string o;
    for (unsigned char ch : s) {
      if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') o += static_cast<char>(ch);
      else o += fmt::format("%{:02X}", ch);
    }
    return o;
  };
  std::string out = "postgresql:///" + encode(dbname);
  char sep = '?';
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || std::string_view(o->keyword) == "dbname") continue;
    out += fmt::format("{}{}={}", sep, o->keyword, encode(o->val));
    sep = '&';
  }
  PQconninfoFree(opts);
  return out;
}

Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url, int pool_size) {
  std::string u(url);
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(u.c_str(), &err);
  if (!opts) {
    std::string msg = TrimMessage(err ? err : "out of memory");
    PQfreemem(err);
    return Error::Invalid("bad postgresql URL: " + msg, "db");
  }
  PQconninfoFree(opts);
  auto db = std::make_unique<PostgresDatabase>(std::move(u), std::clamp(pool_size, 1, kMaxPoolSize));
  if (auto st = db->Prime(); !st) return st.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace chosen::store
