// A small, dialect-neutral SQL layer. Every statement is prepared and every
// value is bound; SQL text uses `?` placeholders (the PostgreSQL backend
// rewrites them to $n). Stores are written once against this interface and
// run on SQLite and PostgreSQL alike (docs/decisions/0004-postgresql.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.h"

namespace chosen::store {

// A bound parameter or a column value. NULL is std::monostate.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// One result row. Accessors return a default for NULL.
struct Row {
  std::vector<Value> values;

  bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  std::string Str(std::size_t i) const;
};

using Rows = std::vector<Row>;

// A database session. Not thread-safe: one thread at a time, which Database
// guarantees by handing out connections under its own locking.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs `sql` with `params` bound in order; returns every row. Constraint
  // violations come back as kConflict (unique) or kInvalidArgument (foreign
  // key / check / not null); lock contention and a lost connection as
  // kUnavailable; anything else kInternal. Column values come back as
  // integers (integer and boolean columns), doubles (floating point and
  // PostgreSQL numeric, e.g. SUM of integers), strings or NULL. Integers
  // bind as BIGINT, doubles as DOUBLE PRECISION, strings as TEXT (never with
  // a NUL character: kInvalidArgument on PostgreSQL); a NULL takes its type
  // from the context, so a NULL parameter must have one there
  // (`CAST(? AS BIGINT) IS NULL`, not `? IS NULL`).
  //
  // A statement error ends the transaction's usefulness: PostgreSQL aborts
  // the transaction, so return the error rather than carry on (Write fails
  // with the first statement error even if the callback returns OK). Caller
  // bugs caught before sending (parameter count, empty SQL, several
  // statements) do not abort it.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs a statement that returns no rows; returns the count of changed rows.
  virtual Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs an INSERT of one row into a table keyed by `id {pk}` (migrations.cc;
  // on SQLite the rowid), `sql` without a RETURNING clause; returns the new
  // row's id, or nullopt if it inserted nothing (ON CONFLICT DO NOTHING).
  // PostgreSQL: RETURNING id. SQLite overrides it with the connection's last
  // rowid: RETURNING there makes SQLite collect the row in a temporary B-tree
  // first.
  virtual Result<std::optional<std::int64_t>> Insert(std::string_view sql, const std::vector<Value>& params = {}) {
    auto rows = Query(std::string(sql) + " RETURNING id", params);
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{rows->front().Int(0)};
  }

  // Runs several statements with no parameters (migrations only).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Inside Database::Write: runs `fn` after the transaction commits (in
  // registration order, on the writing thread, outside the write lock); drops
  // it if the transaction rolls back. Used to publish what a transaction
  // created only once it is durable.
  virtual void AfterCommit(std::function<void()> fn) = 0;

  // Inside Database::Write: delivers `payload` to every Database::Listen
  // handler of `channel` once the transaction commits, in commit order;
  // nothing if it rolls back. PostgreSQL: NOTIFY, so every process using the
  // database hears it; SQLite: this process only (one process owns a SQLite
  // database's writes). `channel` as for Listen; `payload` at most
  // kMaxNotifyPayload bytes. kInvalidArgument otherwise.
  virtual Status Notify(std::string_view channel, std::string_view payload) = 0;
};

// PostgreSQL's limit on a NOTIFY payload, less a margin; SQLite keeps the
// same limit so code behaves alike on both.
constexpr std::size_t kMaxNotifyPayload = 7900;

// Receives Connection::Notify payloads. Called on a thread of the database's
// (never inside a caller's transaction); must not call Listen or drop its
// own Listener.
using NotifyHandler = std::function<void(std::string_view payload)>;

// An open subscription; destroying it stops delivery (when the destructor
// returns, the handler is not running and will not run again).
class Listener {
 public:
  virtual ~Listener() = default;
};

enum class Dialect { kSqlite, kPostgres };

// A database: hands out connections for reads and runs write transactions.
// Thread-safe.
class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;

  // Runs `fn` on a connection suitable for reading a consistent snapshot.
  virtual Status Read(const std::function<Status(Connection&)>& fn) = 0;

  // Runs `fn` inside one write transaction: commits when it returns OK, rolls
  // back (leaving nothing half-written) when it returns an error or throws.
  // Contention never surfaces as an error: SQLite serialises writers inside
  // this process, so they wait (and commits them in groups: `fn` runs on the
  // writer thread, inside a savepoint of a transaction it shares, undone
  // alone if it fails; its outcome, exceptions included, comes back to this
  // caller, its AfterCommit callbacks run on the writer thread after the
  // commit); PostgreSQL runs them concurrently at
  // SERIALIZABLE and runs `fn` again (up to 5 times) when its transaction
  // loses a serialization race or a deadlock, so `fn` must not have effects
  // outside the transaction other than through AfterCommit (callbacks of a
  // failed attempt are dropped). kUnavailable only if it keeps losing.
  // Never call Read or Write from inside `fn` (it would wait for itself); do
  // all of a transaction's work on the connection it is given.
  virtual Status Write(const std::function<Status(Connection&)>& fn) = 0;

  // Whether Submit shares transactions (SQLite: its writer thread commits
  // jobs in groups). Elsewhere Submit just runs the job.
  virtual bool SharesCommits() const { return false; }

  // Queues `job` to run on the database's writer thread (SQLite), in one
  // transaction with the jobs and writes queued beside it: Write and Read
  // called from `job` join that transaction (each Write in a savepoint of
  // its own, undone alone when it fails, as usual; a Read sees what the
  // batch wrote so far). Then `done` gets, on the writer thread, OK once
  // everything the job wrote is durable (or it wrote nothing), or the error
  // that undid its writes; the `done`s of one batch run inside one
  // DeferScope (common/defer.h). `job` must not throw, and must not wait for
  // another thread that writes (it would wait for itself). Lets a caller
  // hand over a whole request without a thread waiting for its commit.
  // Without SharesCommits: runs `job` on the calling thread, each Write
  // committing on its own, then `done`.
  virtual void Submit(std::function<void()> job, std::function<void(Status)> done) {
    job();
    done({});
  }

  // A token naming the committed state of the whole database: two calls
  // return the same token only if no transaction (of any process) committed
  // between them; a different token does not promise a change. A Read that
  // starts after a call sees at least that state, so an answer computed by
  // it may be reused while the token stays the same (api/response_memo.h).
  // SQLite: a counter this handle bumps after each commit of its own and
  // whenever a reader's PRAGMA data_version shows another connection's;
  // PostgreSQL: pg_current_snapshot() (equal snapshots see the same
  // committed transactions).
  virtual Result<std::string> ChangeStamp() = 0;

  // Runs `fn` while holding an exclusive lock named by `key` that every
  // process using this database respects: another RunExclusive with the same
  // key waits until `fn` returns. `fn` may call Read and Write. Returns fn's
  // result, or an error if the lock cannot be taken. PostgreSQL: a session
  // advisory lock on a connection of its own. SQLite (the default here):
  // no lock; BEGIN IMMEDIATE already serialises its writers across
  // processes, which is all Migrate needs.
  virtual Status RunExclusive(std::int64_t key, const std::function<Status()>& fn) {
    (void)key;
    return fn();
  }

  // Calls `fn` with each payload notified on `channel` (1-63 characters of
  // a-z, 0-9 and _, starting with a letter or _) from now on, until the
  // returned Listener is destroyed. PostgreSQL: a session of its own that
  // LISTENs, on a thread of its own; if the session drops it reconnects,
  // and notifications sent while it was away are lost (logged). SQLite:
  // delivered on the committing thread, after the commit.
  virtual Result<std::unique_ptr<Listener>> Listen(std::string_view channel, NotifyHandler fn) = 0;
};

// kInvalidArgument unless `channel` is a valid channel name (see Listen).
Status CheckChannelName(std::string_view channel);

// CheckChannelName, and kInvalidArgument for a payload over kMaxNotifyPayload.
Status CheckNotification(std::string_view channel, std::string_view payload);

// Opens a database from a URL: "sqlite:PATH" (PATH may be ":memory:") or
// "postgresql://[user[:password]@]host[:port]/dbname[?param=value...]" (also
// "postgres://"; libpq's URI syntax). `pool_size` bounds the connections
// that serve reads (SQLite, plus one writer) or all calls (PostgreSQL).
// Returns kInvalidArgument for an unknown scheme or a malformed URL,
// kInternal if it cannot open or connect.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size = 4);

// Applies every migration newer than the stored schema version, each in its
// own transaction, holding the migration lock (RunExclusive) so that servers
// starting together apply each one once. Returns the resulting version;
// kInternal if the database is newer than this build or a migration fails.
Result<int> Migrate(Database& db);

// The schema version this build knows.
int LatestSchemaVersion();

}  // namespace chosen::store
