// Throwaway databases for tests: a SQLite file in a temporary folder, or a
// PostgreSQL database created on the server that CHOSEN_TEST_POSTGRES_URL
// names (scripts/with-postgres.sh starts one and sets it). Test support only.
#pragma once

#include <filesystem>
#include <string>

#include "store/db.h"

namespace chosen::store {

// The URL of the PostgreSQL server tests may use: CHOSEN_TEST_POSTGRES_URL,
// or "" when it is unset (PostgreSQL tests then skip). Thread-safe.
std::string TestPostgresUrl();

// A fresh, empty database for one test, removed with the object. Not
// thread-safe; the URL may be opened any number of times while it lives.
class TestDatabase {
 public:
  // SQLite: "sqlite:<new temporary folder>/test.db". PostgreSQL: CREATE
  // DATABASE chosen_test_<random> (UTF-8, C collation, so text sorts
  // byte-wise as in SQLite) on the TestPostgresUrl() server. Throws
  // std::runtime_error on failure, or for PostgreSQL without the variable.
  explicit TestDatabase(Dialect dialect);
  // Drops the database (PostgreSQL: WITH (FORCE), so sessions still open do
  // not keep it alive) or removes the folder. Never throws.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Dialect dialect() const { return dialect_; }
  // A URL for OpenDatabase.
  const std::string& url() const { return url_; }

 private:
  Dialect dialect_;
  std::string url_;
  std::filesystem::path dir_;  // SQLite
  std::string name_;           // PostgreSQL database name
};

}  // namespace chosen::store
