// SQLite backend: WAL mode, foreign keys on, a cache of prepared statements
// per connection, one serialised writer and a pool of readers.
#pragma once

#include <memory>
#include <string_view>

#include "store/db.h"

namespace chosen::store {

// Opens (creating if needed) the SQLite database at `path`. ":memory:" gives a
// private in-memory database served by one connection. Thread-safe result.
Result<std::unique_ptr<Database>> OpenSqlite(std::string_view path, int pool_size);

}  // namespace chosen::store
