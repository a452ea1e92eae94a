// PostgreSQL backend on libpq: a bounded pool of connections, each with its
// own cache of prepared statements; reads in REPEATABLE READ READ ONLY
// transactions, writes in SERIALIZABLE transactions that are retried
// transparently on serialization failures and deadlocks. See
// docs/decisions/0004-postgresql.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/db.h"

namespace chosen::store {

// Connects to the PostgreSQL database at `url` ("postgresql://..." or
// "postgres://...", anything libpq accepts as a URI) and returns a Database
// whose pool holds at most `pool_size` connections (clamped to 1..64; opened
// on demand, the first one now so a bad URL fails here). Returns
// kInvalidArgument for a malformed URL and kUnavailable if the server cannot
// be reached. Thread-safe result.
Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url, int pool_size);

// The SQL text PostgreSQL is sent for `sql` written with `?` placeholders.
struct PgStatement {
  std::string text;         // `?` rewritten to $1..$n, cut at a trailing `;`
  int placeholders = 0;     // n
  bool empty = false;       // only white space, comments and semicolons
  bool several = false;     // a second statement follows the first `;`
};

// Rewrites `?` placeholders to $1..$n, leaving string literals ('...',
// E'...', $tag$...$tag$), quoted identifiers and comments untouched, and
// notes whether the text holds no statement or more than one. Pure.
PgStatement RewritePlaceholders(std::string_view sql);

// The Error for a PostgreSQL SQLSTATE: 23505 kConflict; 23503, 23514, 23502
// and value errors (22001, 22003, 22021, 22P05) kInvalidArgument; 40001,
// 40P01 and lost connections (08xxx, 57P01-57P03) kUnavailable; anything
// else kInternal. Pure.
Error PgError(std::string_view sqlstate, std::string_view message);

// True for the SQLSTATEs a writer retries: 40001 (serialization failure) and
// 40P01 (deadlock detected).
bool IsRetryableSqlState(std::string_view sqlstate);

// `url` with its database name replaced by `dbname`, as a URL OpenPostgres
// accepts ("postgresql:///dbname?host=...&port=..."). Returns
// kInvalidArgument if libpq cannot parse `url`.
Result<std::string> PostgresUrlWithDatabase(std::string_view url, std::string_view dbname);

}  // namespace chosen::store
