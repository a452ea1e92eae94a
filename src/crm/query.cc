#include "crm/query.h"

#include <charconv>

#include <fmt/format.h>

namespace chosen::crm {

void Page::Add(const json::value& item) {
  AddWith([&](std::string& out) { out += json::serialize(item); });
}

std::string Page::Body() const {
  std::string out;
  out.reserve(items_.size() + next_cursor.size() + 32);
  out += R"({"items":)";
  out += items_.empty() ? "[" : items_;
  out += R"(],"next_cursor":)";
  if (next_cursor.empty()) out += "null";
  else AppendJsonString(out, next_cursor);
  out += '}';
  return out;
}

Result<std::int64_t> ParseId(std::string_view text, std::string_view field) {
  std::int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v <= 0)
    return Error::Invalid(fmt::format("{} must be a positive integer id", field), std::string(field));
  return v;
}

Result<bool> ParseBool(std::string_view text, std::string_view field) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Error::Invalid(fmt::format("{} must be true or false", field), std::string(field));
}

std::string HexEncode(std::string_view s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = nib(s[i]), lo = nib(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::pair<std::string, std::vector<store::Value>> ReadScope(const auth::Actor& actor, std::string_view owner_column,
                                                            std::string_view org_column) {
  switch (actor.role) {
    case auth::Role::kAdmin: return {fmt::format("{} = ?", org_column), {actor.org_id}};
    case auth::Role::kManager:
      if (actor.team_id)
        return {fmt::format("{} = ? AND {} IN (SELECT id FROM users WHERE team_id = ?)", org_column, owner_column),
                {actor.org_id, actor.team_id}};
      break;
    case auth::Role::kOfficer: break;
  }
  return {fmt::format("{} = ? AND {} = ?", org_column, owner_column), {actor.org_id, actor.user_id}};
}

Result<ListQuery> ListQuery::Make(const std::vector<SortKey>& keys, std::string_view sort,
                                  std::string_view default_sort, std::string_view cursor, std::string_view limit) {
  ListQuery q;
  if (sort.empty()) sort = default_sort;
  q.desc_ = sort.starts_with('-');
  if (q.desc_) sort.remove_prefix(1);
  for (const auto& k : keys)
    if (k.name == sort) q.key_ = &k;
  if (!q.key_) {
    std::string names;
    for (const auto& k : keys) names += (names.empty() ? "" : ", ") + std::string(k.name);
    return Error::Invalid(fmt::format("cannot sort by '{}'; use one of {} (prefix - for descending)", sort, names),
                          "sort");
  }
  if (!limit.empty()) {
    int n = 0;
    auto r = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (r.ec != std::errc() || r.ptr != limit.data() + limit.size() || n < 1 || n > kMaxPageSize)
      return Error::Invalid(fmt::format("limit must be between 1 and {}", kMaxPageSize), "limit");
    q.limit_ = n;
  }
  if (!cursor.empty()) {
    // Cursor: hex("<sort>|<d|a>|<id>|<value>").
    auto bad = Error::Invalid("cursor is invalid or belongs to a different sort order", "cursor");
    auto raw = cursor.size() <= 2048 ? HexDecode(cursor) : std::nullopt;
    if (!raw) return bad;
    std::string_view s = *raw;
    auto p1 = s.find('|'), p2 = s.find('|', p1 + 1), p3 = s.find('|', p2 + 1);
    if (p1 == s.npos || p2 == s.npos || p3 == s.npos) return bad;
    if (s.substr(0, p1) != q.key_->name || s.substr(p1 + 1, p2 - p1 - 1) != (q.desc_ ? "d" : "a")) return bad;
    auto id = ParseId(s.substr(p2 + 1, p3 - p2 - 1), "cursor");
    if (!id) return bad;
    std::string_view val = s.substr(p3 + 1);
    store::Value v;
    if (q.key_->text) {
      v = std::string(val);
    } else {
      std::int64_t n = 0;
      auto r = std::from_chars(val.data(), val.data() + val.size(), n);
      if (r.ec != std::errc() || r.ptr != val.data() + val.size()) return bad;
      v = n;
    }
    q.after_ = std::make_pair(std::move(v), *id);
  }
  return q;
}

void ListQuery::Where(std::string clause, std::vector<store::Value> params) {
  where_.push_back("(" + std::move(clause) + ")");
  for (auto& p : params) params_.push_back(std::move(p));
}

std::string ListQuery::SortExpr() const {
  if (!key_->nullable) return std::string(key_->column);
  std::string_view sentinel = desc_ ? key_->null_low : key_->null_high;
  if (key_->text) return fmt::format("COALESCE({}, '{}')", key_->column, sentinel);
  return fmt::format("COALESCE({}, {})", key_->column, sentinel);
}

std::pair<std::string, std::vector<store::Value>> ListQuery::Build(std::string_view select_from) const {
  std::string sql(select_from);
  std::vector<std::string> where = where_;
  std::vector<store::Value> params = params_;
  std::string expr = SortExpr();
  const char* op = desc_ ? "<" : ">";
  if (after_) {
    where.push_back(fmt::format("({0} {1} ? OR ({0} = ? AND id {1} ?))", expr, op));
    params.push_back(after_->first);
    params.push_back(after_->first);
    params.push_back(after_->second);
  }
  for (std::size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  const char* dir = desc_ ? "DESC" : "ASC";
  sql += fmt::format(" ORDER BY {} {}, id {} LIMIT ?", expr, dir, dir);
  params.push_back(static_cast<std::int64_t>(limit_ + 1));
  return {std::move(sql), std::move(params)};
}

std::string ListQuery::TakePage(store::Rows& rows, std::size_t sort_column_index, std::size_t id_index) const {
  if (static_cast<int>(rows.size()) <= limit_) return {};
  rows.resize(limit_);
  const store::Row& last = rows.back();
  return HexEncode(fmt::format("{}|{}|{}|{}", key_->name, desc_ ? "d" : "a", last.Int(id_index),
                               last.Str(sort_column_index)));
}

}  // namespace chosen::crm
