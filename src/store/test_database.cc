#include "store/test_database.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "store/postgres_db.h"

namespace chosen::store {
namespace {

std::string RandomSuffix() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> d;
  std::uint64_t a = d(rd);
  return fmt::format("{:016x}", a);
}

// Runs one statement outside any transaction (CREATE/DROP DATABASE refuse to
// run inside one, so this cannot go through Database::Write).
std::string AdminExec(const std::string& admin_url, const std::string& sql) {
  PGconn* c = PQconnectdb(admin_url.c_str());
  std::string error;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  return error;
}

}  // namespace

std::string TestPostgresUrl() {
  const char* url = std::getenv("CHOSEN_TEST_POSTGRES_URL");
  return url ? url : "";
}

TestDatabase::TestDatabase(Dialect dialect) : dialect_(dialect) {
  if (dialect == Dialect::kSqlite) {
    dir_ = std::filesystem::temp_directory_path() / ("chosen-test-" + RandomSuffix());
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "test.db").string();
    return;
  }
  std::string admin = TestPostgresUrl();
  if (admin.empty()) throw std::runtime_error("CHOSEN_TEST_POSTGRES_URL is not set");
  name_ = "chosen_test_" + RandomSuffix();
  // template0 so that the collation may differ from the server default.
  std::string err = AdminExec(
      admin, fmt::format("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", name_));
  if (!err.empty()) throw std::runtime_error("cannot create test database: " + err);
  auto url = PostgresUrlWithDatabase(admin, name_);
  if (!url) {
    (void)AdminExec(admin, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
    throw std::runtime_error(url.error().message);
  }
  url_ = *url;
}

TestDatabase::~TestDatabase() {
  if (dialect_ == Dialect::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    return;
  }
  std::string err = AdminExec(TestPostgresUrl(), fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
  if (!err.empty()) std::fprintf(stderr, "warning: cannot drop test database %s: %s", name_.c_str(), err.c_str());
}

}  // namespace chosen::store
