#include "store/sqlite_db.h"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "common/defer.h"
#include "store/local_channels.h"
#include "store/sqlite_wal_buffer.h"

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
  if ((rc & 0xff) == SQLITE_FULL) return {ErrorCode::kUnavailable, "the disk is full; nothing was written", {}};
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
    bool read_only = false;
    auto st = Run(sql, params, nullptr, &read_only);
    if (!st) return st.error();
    // sqlite3_changes() keeps the count of the last writing statement, so a
    // read-only one must report 0 itself.
    if (read_only) return std::int64_t{0};
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  Result<std::optional<std::int64_t>> Insert(std::string_view sql, const std::vector<Value>& params) override {
    const sqlite3_int64 before = sqlite3_total_changes64(db_);
    if (auto st = Run(sql, params, nullptr); !st) return st.error();
    if (sqlite3_total_changes64(db_) == before) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{sqlite3_last_insert_rowid(db_)};
  }

  void AfterCommit(std::function<void()> fn) override { after_commit_.push_back(std::move(fn)); }

  Status Notify(std::string_view channel, std::string_view payload) override {
    if (auto st = CheckNotification(channel, payload); !st) return st;
    if (!writer_) return Error::Internal("Notify outside a write transaction");
    notifications_.emplace_back(channel, payload);
    return {};
  }

  // Marks the connection that runs write transactions (Notify needs one).
  void set_writer() { writer_ = true; }
  sqlite3* handle() const { return db_; }

  // Hands over (and forgets) the notifications queued since the last call.
  std::vector<std::pair<std::string, std::string>> TakeNotifications() { return std::exchange(notifications_, {}); }

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
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    std::string key(sql);
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

  // Runs `sql`; its rows into `rows` if given; whether it is read-only into
  // `read_only` if given.
  Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows, bool* read_only = nullptr) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    if (read_only) *read_only = sqlite3_stmt_readonly(stmt);
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
        // SQLITE_STATIC: `params` outlives the statement's use of it (the
        // Resetter clears the bindings before Run returns), so SQLite need
        // not copy every string (a bulk import binds millions).
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
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
  // Looked up by string_view (no copy of the SQL per statement run).
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
  std::vector<std::function<void()>> after_commit_;
  std::vector<std::pair<std::string, std::string>> notifications_;  // (channel, payload)
  bool writer_ = false;

 public:
  // PRAGMA data_version when SqliteDatabase::ChangeStamp last asked (or at
  // open); it moves when another connection commits.
  std::int64_t seen_data_version = 0;
};

// What a connection is for: reads, the writer, or the checkpointer.
enum class Role { kReader, kWriter, kCheckpointer };

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, Role role) {
  bool read_only = role == Role::kReader;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  // The writer (synchronous=FULL below) appends to the log through a buffer.
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, role == Role::kWriter ? WalBufferVfs() : nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error::Internal(fmt::format("cannot open sqlite database '{}': {}", path, msg));
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (role == Role::kWriter) {
    // A commit returns only once the WAL holds it on disk (fsync), so an
    // acknowledged write survives a power cut; group commit (Write) shares
    // that sync among the transactions committed together. The writer
    // never checkpoints inside a transaction: the checkpointer thread does,
    // and the writer only finishes its work between two batches.
    pragmas += " PRAGMA synchronous=FULL;";
    if (path != ":memory:") pragmas += " PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;";
  } else {
    pragmas += " PRAGMA synchronous=NORMAL;";
  }
  if (auto st = conn->ExecScript(pragmas); !st) return st.error();
  return conn;
}

// Group commit. Every write runs on one writer thread: Write() and Submit()
// queue a job, and the thread takes up to kMaxBatch queued jobs at a time and
// runs them in one transaction, each Write inside a SAVEPOINT so that one
// that fails (or throws) is undone alone; one COMMIT (one fsync) then makes
// the whole batch durable, and every job learns its own outcome. A submitted
// job (an HTTP handler) runs whole on the writer thread, so it costs no
// thread hand-off of its own; a blocking Write() waits for its job.
constexpr std::size_t kMaxBatch = 64;
// WAL pages (32 MB) after which the checkpointer is woken before its 5 s
// tick. Eight times SQLite's default: a page written again before the next
// checkpoint (a B-tree's last leaf, an index's inner pages) is copied back
// once, not once per thousand pages (by hand: ~20 % less CPU per logged
// activity under load; bench/README.md).
constexpr int kCheckpointPages = 8000;
// Every commit wakes the checkpointer while the WAL is that long, so under a
// steady stream of writes it would checkpoint after nearly every commit
// (each time syncing the WAL and the database file, competing with the
// writer's own sync): it waits this long after the end of its last one.
constexpr auto kCheckpointGap = std::chrono::milliseconds(250);

class SqliteDatabase final : public Database {
 public:
  Dialect dialect() const override { return Dialect::kSqlite; }

  ~SqliteDatabase() override {
    {
      std::lock_guard lock(queue_mu_);
      stop_writer_ = true;  // after the jobs already queued
    }
    queue_cv_.notify_one();
    if (writer_thread_.joinable()) writer_thread_.join();
    if (checkpointer_.joinable()) {
      {
        std::lock_guard lock(checkpoint_mu_);
        stop_checkpointer_ = true;
      }
      checkpoint_cv_.notify_all();
      checkpointer_.join();
    }
  }

  static Result<std::unique_ptr<Database>> Open(std::string path, int pool_size) {
    auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase());
    auto writer = OpenConnection(path, Role::kWriter);
    if (!writer) return writer.error();
    db->writer_ = std::move(*writer);
    db->writer_->set_writer();
    // An in-memory database is private to its connection: serve reads from
    // the writer under the same lock.
    if (path != ":memory:") {
      for (int i = 0; i < std::max(1, pool_size); ++i) {
        auto reader = OpenConnection(path, Role::kReader);
        if (!reader) return reader.error();
        auto seen = (*reader)->Query("PRAGMA data_version", {});
        if (!seen) return seen.error();
        (*reader)->seen_data_version = seen->front().Int(0);
        db->idle_readers_.push_back(reader->get());
        db->readers_.push_back(std::move(*reader));
      }
      auto checkpointer = OpenConnection(path, Role::kCheckpointer);
      if (!checkpointer) return checkpointer.error();
      SqliteDatabase* self = db.get();
      sqlite3_wal_hook(db->writer_->handle(), &SqliteDatabase::OnWalCommit, self);
      db->checkpointer_ = std::thread([self, c = std::move(*checkpointer)] { self->RunCheckpointer(*c); });
    }
    SqliteDatabase* self = db.get();
    db->writer_thread_ = std::thread([self] { self->RunWriter(); });
    return std::unique_ptr<Database>(std::move(db));
  }

  Status Read(const std::function<Status(Connection&)>& fn) override {
    if (running_ == this) return ReadInBatch(fn);
    if (readers_.empty()) {
      std::lock_guard lock(writer_mu_);
      Status result = fn(*writer_);
      writer_->TakeAfterCommit();  // a read has nothing to publish
      writer_->TakeNotifications();
      return result;
    }
    ReaderLease lease = AcquireReader();
    SqliteConnection* conn = lease.c;
    // A read transaction gives the callback one consistent snapshot.
    if (auto st = conn->Exec("BEGIN", {}); !st) return st.error();
    Status result = Error::Internal("read aborted");
    try {
      result = fn(*conn);
    } catch (...) {
      (void)conn->Exec("ROLLBACK", {});
      conn->TakeAfterCommit();
      throw;
    }
    (void)conn->Exec("COMMIT", {});
    conn->TakeAfterCommit();  // a read has nothing to publish
    return result;
  }

  Result<std::string> ChangeStamp() override {
    if (!readers_.empty()) {
      // Catches commits of other handles and processes too.
      ReaderLease lease = AcquireReader();
      auto v = lease.c->Query("PRAGMA data_version", {});
      if (!v) return v.error();
      if (const std::int64_t seen = v->front().Int(0); seen != lease.c->seen_data_version) {
        lease.c->seen_data_version = seen;
        commits_.fetch_add(1);
      }
    }
    return std::to_string(commits_.load());
  }

  Status Write(const std::function<Status(Connection&)>& fn) override {
    if (running_ == this) return WriteInBatch(fn);
    Status result = Error::Internal("write not run");
    std::exception_ptr thrown;
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    auto job = std::make_unique<Job>();
    job->run = [&] {
      try {
        result = WriteInBatch(fn);
      } catch (...) {
        thrown = std::current_exception();
      }
    };
    job->done = [&](Status committed) {
      if (result && !committed) result = committed;
      // Notified under the lock: the waiter's frame (mu, cv) lives until
      // it has taken the lock and seen `finished`.
      std::lock_guard lock(mu);
      finished = true;
      cv.notify_one();
    };
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      // From the writer thread between batches (an AfterCommit callback, a
      // notification's handler): a batch of its own, here.
      std::vector<std::unique_ptr<Job>> one;
      one.push_back(std::move(job));
      RunBatch(one);
    } else {
      Enqueue(std::move(job));
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return finished; });
    if (thrown) std::rethrow_exception(thrown);
    return result;
  }

  bool SharesCommits() const override { return true; }

  void Submit(std::function<void()> job, std::function<void(Status)> done) override {
    auto j = std::make_unique<Job>();
    j->run = std::move(job);
    j->done = std::move(done);
    Enqueue(std::move(j));
  }

  Result<std::unique_ptr<Listener>> Listen(std::string_view channel, NotifyHandler fn) override {
    return channels_->Listen(channel, std::move(fn));
  }

 private:
  SqliteDatabase() = default;

  // A unit of the writer thread's work: a submitted job, or a blocking
  // Write's callback wrapped as one.
  struct Job {
    std::function<void()> run;
    std::function<void(Status)> done;
    // Set while the batch runs (on the writer thread):
    bool applied = false;  // wrote something into the open transaction
    Status outcome;        // the error that undid something it wrote
    std::vector<std::function<void()>> after_commit;
    std::vector<std::pair<std::string, std::string>> notifications;
  };

  void Enqueue(std::unique_ptr<Job> job) {
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back(std::move(job));
    }
    queue_cv_.notify_one();
  }

  void RunWriter() {
    pthread_setname_np(pthread_self(), "sqlite-writer");  // for top and perf
    std::unique_lock lock(queue_mu_);
    for (;;) {
      queue_cv_.wait(lock, [&] { return stop_writer_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      std::vector<std::unique_ptr<Job>> batch;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      lock.unlock();
      RunBatch(batch);
      if (catch_up_.exchange(false)) CatchUpCheckpoint();
      lock.lock();
    }
  }

  // Runs `batch`'s jobs in as few transactions as possible (one unless
  // SQLite itself rolls one back), commits, publishes, and tells each job
  // its outcome.
  void RunBatch(const std::vector<std::unique_ptr<Job>>& batch) {
    {
      std::lock_guard lock(writer_mu_);
      running_ = this;
      for (const auto& job : batch) {
        current_ = job.get();
        try {
          job->run();
        } catch (const std::exception& e) {
          // Submit's jobs are not to throw (Write's wrapper catches); what
          // they wrote before throwing stays, as after any error.
          spdlog::error("a write job threw: {}", e.what());
        } catch (...) {
          spdlog::error("a write job threw");
        }
      }
      current_ = nullptr;
      running_ = nullptr;
      if (open_) {
        open_ = false;
        SqliteConnection& c = *writer_;
        if (auto st = c.Exec("COMMIT", {}); !st) {
          (void)c.Exec("ROLLBACK", {});
          FailApplied(st.error());
        } else {
          commits_.fetch_add(1);
        }
      }
      applied_.clear();
    }
    // Durable now. Notifications go out here, in commit order, before the
    // next batch can commit; then each job's callbacks and outcome (work
    // they defer runs once all have run).
    DeferScope round;
    for (const auto& job : batch)
      if (job->outcome)
        for (const auto& [channel, payload] : job->notifications) channels_->Deliver(channel, payload);
    for (const auto& job : batch) {
      if (job->outcome)
        for (auto& f : job->after_commit) f();
      job->done(job->outcome);
    }
  }

  // Opens the batch's transaction if it is not open (first use, or after
  // SQLite rolled the last one back).
  Status EnsureOpen() {
    if (open_) return {};
    if (auto st = writer_->Exec("BEGIN IMMEDIATE", {}); !st) return st.error();
    open_ = true;
    return {};
  }

  // The jobs applied so far lost what they wrote (SQLite rolled the
  // transaction back, or COMMIT failed).
  void FailApplied(const Error& e) {
    for (Job* j : applied_) {
      j->outcome = e;
      j->after_commit.clear();
      j->notifications.clear();
    }
    applied_.clear();
  }

  // A Write from the running job: a savepoint of the batch's transaction.
  Status WriteInBatch(const std::function<Status(Connection&)>& fn) {
    SqliteConnection& c = *writer_;
    if (auto st = EnsureOpen(); !st) return st;
    if (auto st = c.Exec("SAVEPOINT batch_write", {}); !st) return st.error();
    Status result = Error::Internal("write aborted");
    const Error rolled_back{ErrorCode::kUnavailable,
                            "the database rolled the write back (disk full or I/O error); retry", {}};
    auto lost = [&] {
      // SQLite rolled the whole transaction back itself (disk full, I/O
      // error): the writes applied before this one are gone too.
      if (!sqlite3_get_autocommit(c.handle())) return false;
      open_ = false;
      FailApplied(rolled_back);
      return true;
    };
    auto undo = [&] {
      (void)c.Exec("ROLLBACK TO batch_write", {});
      (void)c.Exec("RELEASE batch_write", {});
    };
    try {
      result = fn(c);
    } catch (...) {
      c.TakeAfterCommit();
      c.TakeNotifications();
      if (!lost()) undo();
      throw;
    }
    auto callbacks = c.TakeAfterCommit();
    auto notes = c.TakeNotifications();
    if (lost()) return result ? Status(rolled_back) : result;
    if (!result) {
      undo();
      return result;
    }
    if (auto st = c.Exec("RELEASE batch_write", {}); !st) {
      undo();
      return st.error();
    }
    Job& job = *current_;
    std::move(callbacks.begin(), callbacks.end(), std::back_inserter(job.after_commit));
    std::move(notes.begin(), notes.end(), std::back_inserter(job.notifications));
    if (!job.applied) {
      job.applied = true;
      applied_.push_back(&job);
    }
    return {};
  }

  // A Read from the running job: inside the batch's transaction, so it sees
  // what the batch wrote so far.
  Status ReadInBatch(const std::function<Status(Connection&)>& fn) {
    if (auto st = EnsureOpen(); !st) return st;
    Status result = fn(*writer_);
    writer_->TakeAfterCommit();  // a read has nothing to publish
    writer_->TakeNotifications();
    return result;
  }

  // sqlite3_wal_hook: runs on the writer after each commit.
  static int OnWalCommit(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kCheckpointPages) static_cast<SqliteDatabase*>(self)->checkpoint_cv_.notify_one();
    return SQLITE_OK;
  }

  // Copies the WAL back into the database file when the writer's hook asks
  // (or every few seconds), without blocking the writer or readers
  // (PASSIVE); SQLite restarts the WAL from its beginning once a checkpoint
  // has caught up.
  void RunCheckpointer(SqliteConnection& c) {
    pthread_setname_np(pthread_self(), "sqlite-ckpt");
    std::unique_lock lock(checkpoint_mu_);
    auto last = std::chrono::steady_clock::now() - kCheckpointGap;
    while (!stop_checkpointer_) {
      checkpoint_cv_.wait_for(lock, std::chrono::seconds(5));
      if (checkpoint_cv_.wait_until(lock, last + kCheckpointGap, [&] { return stop_checkpointer_; })) break;
      lock.unlock();
      int rc = sqlite3_wal_checkpoint_v2(c.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) spdlog::warn("sqlite checkpoint failed: {}", sqlite3_errstr(rc));
      // Commits made while it copied are left, and a transaction begun
      // before it finished cannot start the WAL over: the writer copies what
      // is left between two batches, when nothing is being appended, so the
      // next transaction finds the checkpoint complete and starts the WAL
      // from its beginning (without it the WAL grew by gigabytes under
      // sustained writes).
      if (rc == SQLITE_OK) catch_up_ = true;
      lock.lock();
      last = std::chrono::steady_clock::now();
    }
  }

  // On the writer thread, between batches: finishes the checkpointer's work.
  void CatchUpCheckpoint() {
    std::lock_guard lock(writer_mu_);
    int rc = sqlite3_wal_checkpoint_v2(writer_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) spdlog::warn("sqlite checkpoint failed: {}", sqlite3_errstr(rc));
  }

  // An idle reader, waited for; back in the pool when the lease ends.
  struct ReaderLease {
    ReaderLease(SqliteDatabase* s, SqliteConnection* conn) : self(s), c(conn) {}
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    ~ReaderLease() {
      {
        std::lock_guard lock(self->readers_mu_);
        self->idle_readers_.push_back(c);
      }
      self->readers_cv_.notify_one();
    }
    SqliteDatabase* self;
    SqliteConnection* c;
  };
  ReaderLease AcquireReader() {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !idle_readers_.empty(); });
    SqliteConnection* c = idle_readers_.back();
    idle_readers_.pop_back();
    return ReaderLease{this, c};
  }

  const std::shared_ptr<LocalChannels> channels_ = std::make_shared<LocalChannels>();

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<Job>> queue_;  // guarded by queue_mu_
  bool stop_writer_ = false;                // guarded by queue_mu_
  std::thread writer_thread_;
  std::atomic<std::int64_t> commits_{0};  // ChangeStamp's counter

  // The writer thread's batch state (under writer_mu_). running_ is the
  // database whose batch this thread is running, so that Write and Read
  // called from a job join it.
  static inline thread_local SqliteDatabase* running_ = nullptr;
  Job* current_ = nullptr;
  bool open_ = false;          // the batch's transaction is open
  std::vector<Job*> applied_;  // jobs with writes in the open transaction

  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by writer_mu_

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // owned; fixed after Open
  std::vector<SqliteConnection*> idle_readers_;              // guarded by readers_mu_

  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stop_checkpointer_ = false;  // guarded by checkpoint_mu_
  std::atomic<bool> catch_up_{false};  // the checkpointer left commits for the writer to copy
  std::thread checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, int pool_size) {
  if (path.empty()) return Error::Invalid("sqlite: needs a path, e.g. sqlite:data/chosen.db", "db");
  return SqliteDatabase::Open(std::string(path), pool_size);
}

}  // namespace chosen::store
