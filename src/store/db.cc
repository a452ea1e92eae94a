#include "store/db.h"

#include <fmt/format.h>

#include "store/postgres_db.h"
#include "store/sqlite_db.h"

namespace chosen::store {

std::int64_t Row::Int(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::Real(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0;
}

std::string Row::Str(std::size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
  return {};
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size) {
  if (url.starts_with("sqlite:")) return OpenSqlite(url.substr(7), pool_size);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return OpenPostgres(url, pool_size);
  // Not echoed back: a URL may carry a password.
  return Error::Invalid("unknown database URL: expected sqlite:PATH or postgresql://user@host:port/dbname", "db");
}

}  // namespace chosen::store
