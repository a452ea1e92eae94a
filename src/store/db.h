// A small, dialect-neutral SQL layer. Every statement is prepared and every
// value is bound; SQL text uses `?` placeholders (the PostgreSQL backend
// rewrites them to $n). Stores are written once against this interface.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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
  // key / check); lock contention as kUnavailable; anything else kInternal.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs a statement that returns no rows; returns the count of changed rows.
  virtual Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs several statements with no parameters (migrations only).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Inside Database::Write: runs `fn` after the transaction commits (in
  // registration order, on the writing thread, outside the write lock); drops
  // it if the transaction rolls back. Used to publish what a transaction
  // created only once it is durable.
  virtual void AfterCommit(std::function<void()> fn) = 0;
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
  // Writers are serialised inside this process so contention waits instead
  // of failing. Never call Read or Write from inside `fn` (it would wait for
  // itself); do all of a transaction's work on the connection it is given.
  virtual Status Write(const std::function<Status(Connection&)>& fn) = 0;
};

// Opens a database from a URL: "sqlite:PATH" (PATH may be ":memory:").
// Returns kInvalidArgument for an unknown scheme, kInternal if it cannot open.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size = 4);

// Applies every migration newer than the stored schema version, each in its
// own transaction. Returns the resulting version.
Result<int> Migrate(Database& db);

// The schema version this build knows.
int LatestSchemaVersion();

}  // namespace chosen::store
