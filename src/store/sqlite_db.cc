#include "store/sqlite_db.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "store/local_channels.h"

namespace chosen::store {
namespace {

constexpr std::size_t kMaxCachedStatements = 512;

Error SqliteError(sqlite3* db, int rc) {
  int ext = sqlite3_extended_errcode(db);
  std::string msg = sqlite3_errmsg(db);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error::Conflict("already exists: " + msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error::Invalid("refers to a record that does not exist");
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Error::Invalid("value rejected: " + msg);
    default:
      break;
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return {ErrorCode::kUnavailable, "database busy, retry", {}};
  return Error::Internal(fmt::format("sqlite error {}: {}", ext, msg));
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    auto st = Run(sql, params, &rows);
    if (!st) return st.error();
    return rows;
  }

  Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    auto st = Run(sql, params, nullptr);
    if (!st) return st.error();
    // sqlite3_changes() keeps the count of the last writing statement, so a
    // read-only one must report 0 itself.
    auto prepared = Prepare(sql);
    if (prepared && sqlite3_stmt_readonly(*prepared)) return std::int64_t{0};
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  void AfterCommit(std::function<void()> fn) override { after_commit_.push_back(std::move(fn)); }

  Status Notify(std::string_view channel, std::string_view payload) override {
    if (auto st = CheckChannelName(channel); !st) return st;
    if (payload.size() > kMaxNotifyPayload)
      return Error::Invalid(fmt::format("notification payload over {} bytes", kMaxNotifyPayload), "payload");
    if (!channels_) return Error::Internal("Notify outside a write transaction");
    AfterCommit([channels = channels_, ch = std::string(channel), p = std::string(payload)] {
      channels->Deliver(ch, p);
    });
    return {};
  }

  // The registry Notify delivers to; set on the writer only.
  void set_channels(std::shared_ptr<LocalChannels> channels) { channels_ = std::move(channels); }

  // Hands over (and forgets) the callbacks registered since the last call.
  std::vector<std::function<void()>> TakeAfterCommit() { return std::exchange(after_commit_, {}); }

  Status ExecScript(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return Error::Internal("sqlite script failed: " + msg);
    }
    return {};
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [k, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    // Empty or comment-only SQL prepares to a null statement, which
    // sqlite3_clear_bindings would dereference; text after the first
    // statement would be silently skipped. Both are caller bugs: only
    // ExecScript runs several statements.
    if (!stmt) return Error::Internal(fmt::format("no SQL statement in: '{}'", sql));
    if (HasStatement(tail, key.data() + key.size())) {
      sqlite3_finalize(stmt);
      return Error::Internal(fmt::format("more than one SQL statement in: {}", sql));
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // True unless [begin, end) holds only white space, comments and semicolons.
  bool HasStatement(const char* begin, const char* end) {
    if (!begin || begin >= end) return false;
    sqlite3_stmt* next = nullptr;
    int rc = sqlite3_prepare_v2(db_, begin, static_cast<int>(end - begin), &next, nullptr);
    sqlite3_finalize(next);
    return rc != SQLITE_OK || next != nullptr;
  }

  Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    // Reset on every exit path so the cached statement is reusable.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      return Error::Internal(fmt::format("parameter count mismatch for: {}", sql));
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(stmt, idx);
      else if (auto p = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(stmt, idx, *p);
      else if (auto d = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, idx, *d);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc);
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return SqliteError(db_, rc);
      if (!rows) continue;
      int n = sqlite3_column_count(stmt);
      Row row;
      row.values.reserve(n);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: row.values.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER: row.values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: row.values.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row.values.emplace_back(std::string(text ? text : "", sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows->push_back(std::move(row));
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  std::vector<std::function<void()>> after_commit_;
  std::shared_ptr<LocalChannels> channels_;
};

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error::Internal(fmt::format("cannot open sqlite database '{}': {}", path, msg));
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
  if (!read_only && path != ":memory:") pragmas += " PRAGMA journal_mode=WAL;";
  if (auto st = conn->ExecScript(pragmas); !st) return st.error();
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kSqlite; }

  static Result<std::unique_ptr<Database>> Open(std::string path, int pool_size) {
    auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase());
    auto writer = OpenConnection(path, false);
    if (!writer) return writer.error();
    db->writer_ = std::move(*writer);
    db->writer_->set_channels(db->channels_);
    // An in-memory database is private to its connection: serve reads from
    // the writer under the same lock.
    if (path != ":memory:") {
      for (int i = 0; i < std::max(1, pool_size); ++i) {
        auto reader = OpenConnection(path, true);
        if (!reader) return reader.error();
        db->idle_readers_.push_back(reader->get());
        db->readers_.push_back(std::move(*reader));
      }
    }
    return std::unique_ptr<Database>(std::move(db));
  }

  Status Read(const std::function<Status(Connection&)>& fn) override {
    if (readers_.empty()) {
      std::lock_guard lock(writer_mu_);
      Status result = fn(*writer_);
      writer_->TakeAfterCommit();  // a read has nothing to publish
      return result;
    }
    SqliteConnection* conn = nullptr;
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
      conn = idle_readers_.back();
      idle_readers_.pop_back();
    }
    struct Return {
      SqliteDatabase* self;
      SqliteConnection* c;
      ~Return() {
        {
          std::lock_guard lock(self->readers_mu_);
          self->idle_readers_.push_back(c);
        }
        self->readers_cv_.notify_one();
      }
    } give_back{this, conn};
    // A read transaction gives the callback one consistent snapshot.
    if (auto st = conn->Exec("BEGIN", {}); !st) return st.error();
    Status result = Error::Internal("read aborted");
    try {
      result = fn(*conn);
    } catch (...) {
      (void)conn->Exec("ROLLBACK", {});
      throw;
    }
    (void)conn->Exec("COMMIT", {});
    conn->TakeAfterCommit();  // a read has nothing to publish
    return result;
  }

  Status Write(const std::function<Status(Connection&)>& fn) override {
    std::vector<std::function<void()>> committed;
    {
      std::lock_guard lock(writer_mu_);
      if (auto st = writer_->Exec("BEGIN IMMEDIATE", {}); !st) return st.error();
      Status result = Error::Internal("write aborted");
      try {
        result = fn(*writer_);
      } catch (...) {
        (void)writer_->Exec("ROLLBACK", {});
        writer_->TakeAfterCommit();
        throw;
      }
      if (!result) {
        (void)writer_->Exec("ROLLBACK", {});
        writer_->TakeAfterCommit();
        return result;
      }
      if (auto st = writer_->Exec("COMMIT", {}); !st) {
        (void)writer_->Exec("ROLLBACK", {});
        writer_->TakeAfterCommit();
        return st.error();
      }
      committed = writer_->TakeAfterCommit();
    }
    for (auto& f : committed) f();
    return {};
  }

  Result<std::unique_ptr<Listener>> Listen(std::string_view channel, NotifyHandler fn) override {
    return channels_->Listen(channel, std::move(fn));
  }

 private:
  SqliteDatabase() = default;

  const std::shared_ptr<LocalChannels> channels_ = std::make_shared<LocalChannels>();

  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by writer_mu_

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // owned; fixed after Open
  std::vector<SqliteConnection*> idle_readers_;              // guarded by readers_mu_
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, int pool_size) {
  if (path.empty()) return Error::Invalid("sqlite: needs a path, e.g. sqlite:data/chosen.db", "db");
  return SqliteDatabase::Open(std::string(path), pool_size);
}

}  // namespace chosen::store
