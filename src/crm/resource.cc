#include "crm/resource.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "auth/accounts.h"
#include "common/time_util.h"

namespace chosen::crm {
namespace {

constexpr std::size_t kMaxTags = 20;
constexpr std::size_t kMaxTagLength = 40;
constexpr double kMaxMoney = 100'000'000'000.0;  // $100bn: far above any loan

Error FieldError(const std::string& prefix, std::string_view field, std::string message) {
  std::string name = prefix + std::string(field);
  if (!prefix.empty()) message = fmt::format("{}: {}", prefix.substr(0, prefix.size() - 1), message);
  return Error::Invalid(std::move(message), std::move(name));
}

std::string EnumList(const std::vector<std::string_view>& values) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// Converts one JSON value to its column value per the field's type.
Result<store::Value> ParseValue(const Field& f, const json::value& v, const std::string& prefix) {
  auto err = [&](std::string msg) { return FieldError(prefix, f.name, std::move(msg)); };
  std::string_view name = f.name;
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEmail:
    case FieldType::kPhone:
    case FieldType::kTimeZone: {
      if (!v.is_string()) return err(fmt::format("{} must be a string", name));
      std::string s = Trim(v.as_string());
      if (CharCount(s) > f.max_len) return err(fmt::format("{} is longer than {} characters", name, f.max_len));
      if (!IsCleanText(s, f.type == FieldType::kLongText))
        return err(fmt::format("{} contains control characters or invalid UTF-8", name));
      if (s.empty()) {
        if (f.required) return err(fmt::format("{} must not be empty", name));
        return store::Value{};
      }
      if (f.type == FieldType::kEmail) {
        auto e = auth::NormalizeEmail(s);
        if (!e) return err(fmt::format("{} must look like name@example.com", name));
        return store::Value{*e};
      }
      if (f.type == FieldType::kPhone) {
        int digits = 0;
        for (char c : s) {
          if (c >= '0' && c <= '9') ++digits;
          else if (std::string_view("+-(). x").find(c) == std::string_view::npos)
            return err(fmt::format("{} may hold only digits, spaces and + - ( ) . x", name));
        }
        if (digits < 7 || digits > 15) return err(fmt::format("{} must have 7 to 15 digits", name));
      }
      if (f.type == FieldType::kTimeZone && !IsValidTimeZone(s))
        return err(fmt::format("unknown time zone '{}': use an IANA name like America/New_York", s));
      return store::Value{std::move(s)};
    }
    case FieldType::kEnum: {
      if (!v.is_string()) return err(fmt::format("{} must be one of: {}", name, EnumList(f.values)));
      std::string_view s = v.as_string();
      if (std::find(f.values.begin(), f.values.end(), s) == f.values.end())
        return err(fmt::format("{} must be one of: {}", name, EnumList(f.values)));
      return store::Value{std::string(s)};
    }
    case FieldType::kInt:
    case FieldType::kRef: {
      json::object tmp{{name, v}};
      std::int64_t lo = f.type == FieldType::kRef ? 1 : f.min;
      std::int64_t hi = f.type == FieldType::kRef ? INT64_MAX : f.max;
      auto n = GetInt(tmp, name, lo, hi);
      if (!n) return err(f.type == FieldType::kRef ? fmt::format("{} must be a positive integer id", name)
                                                   : n.error().message);
      return store::Value{**n};
    }
    case FieldType::kMoney: {
      if (!v.is_number()) return err(fmt::format("{} must be a number", name));
      double d = v.to_number<double>();
      if (!std::isfinite(d) || d < 0 || d > kMaxMoney)
        return err(fmt::format("{} must be between 0 and {:.0f}", name, kMaxMoney));
      return store::Value{static_cast<std::int64_t>(std::llround(d * 100))};
    }
    case FieldType::kTimestamp: {
      if (!v.is_string()) return err(fmt::format("{} must be an RFC 3339 timestamp string", name));
      auto ms = ParseIso(v.as_string(), name);
      if (!ms) return err(ms.error().message);
      return store::Value{*ms};
    }
    case FieldType::kDate:
    case FieldType::kTimeOfDay: {
      if (!v.is_string()) return err(fmt::format("{} must be a string", name));
      std::string s(v.as_string());
      auto st = f.type == FieldType::kDate ? ValidateDate(s, name) : ValidateTimeOfDay(s, name);
      if (!st) return err(st.error().message);
      return store::Value{std::move(s)};
    }
    case FieldType::kTags: {
      if (!v.is_array()) return err(fmt::format("{} must be an array of strings", name));
      const auto& arr = v.as_array();
      if (arr.size() > kMaxTags) return err(fmt::format("{} holds at most {} tags", name, kMaxTags));
      json::array out;
      std::set<std::string> seen;
      for (const auto& t : arr) {
        if (!t.is_string()) return err(fmt::format("{} must be an array of strings", name));
        std::string s = Trim(t.as_string());
        if (s.empty() || CharCount(s) > kMaxTagLength || !IsCleanText(s, false))
          return err(fmt::format("each of {} must be 1 to {} characters of plain text", name, kMaxTagLength));
        if (seen.insert(ToLower(s)).second) out.emplace_back(s);
      }
      return store::Value{ToJson(out)};
    }
  }
  return err("unsupported field");
}

}  // namespace

Result<store::Value> ParseFieldValue(const Field& f, const json::value& v) { return ParseValue(f, v, ""); }

json::value ColumnToJson(const Field& f, const store::Row& row, std::size_t i) {
  if (row.IsNull(i)) return f.type == FieldType::kTags ? json::value(json::array()) : json::value(nullptr);
  switch (f.type) {
    case FieldType::kInt:
    case FieldType::kRef: return row.Int(i);
    case FieldType::kMoney: {
      std::int64_t cents = row.Int(i);
      if (cents % 100 == 0) return cents / 100;
      return static_cast<double>(cents) / 100.0;
    }
    case FieldType::kTimestamp: return json::value(FormatIso(row.Int(i)));
    case FieldType::kTags: {
      auto parsed = ParseJson(row.Str(i));
      return parsed && parsed->is_array() ? std::move(*parsed) : json::value(json::array());
    }
    default: return json::value(row.Str(i));
  }
}

void Changes::Set(std::string_view column, store::Value v) {
  for (auto& [c, val] : cols_)
    if (c == column) {
      val = std::move(v);
      return;
    }
  cols_.emplace_back(std::string(column), std::move(v));
}

const store::Value* Changes::Get(std::string_view column) const {
  for (const auto& [c, val] : cols_)
    if (c == column) return &val;
  return nullptr;
}

Result<bool> CanRead(store::Connection& c, const auth::Actor& actor, std::int64_t owner_id) {
  if (owner_id == actor.user_id || actor.role == auth::Role::kAdmin) return true;
  if (actor.role != auth::Role::kManager || actor.team_id == 0) return false;
  auto rows = c.Query("SELECT 1 FROM users WHERE id = ? AND team_id = ?", {owner_id, actor.team_id});
  if (!rows) return rows.error();
  return !rows->empty();
}

json::object EventMeta(const auth::Actor& actor, std::int64_t owner_id, json::object meta) {
  if (actor.user_id != owner_id) meta["actor_id"] = actor.user_id;
  return meta;
}

Resource::Resource(store::Database& db, const Clock& clock, const EventLog& events, Spec spec)
    : db_(db), clock_(clock), events_(events), spec_(std::move(spec)) {
  spec_.sort_keys.push_back({"id", "id"});
  spec_.sort_keys.push_back({"created_at", "created_at"});
  if (spec_.has_updated_at) spec_.sort_keys.push_back({"updated_at", "updated_at"});
}

Status Resource::Emit(WriteContext& w, std::int64_t owner, std::string_view action, std::string_view entity_type,
                      std::int64_t id, json::object meta, json::object context) {
  auto e = events_.Append(w.conn, w.actor.org_id, owner, action, entity_type, id, EventMeta(w.actor, owner, std::move(meta)),
                          w.now, std::move(context));
  if (!e) return e.error();
  return {};
}

std::string Resource::SelectList() const {
  std::string s = "id, org_id, owner_id";
  for (const auto& f : spec_.fields) s += fmt::format(", {}", f.column);
  s += ", created_at";
  if (spec_.has_updated_at) s += ", updated_at";
  return s;
}

json::object Resource::RowToJson(const store::Row& row) const {
  json::object o(spec_.fields.size() + 5);  // sized once: id, owner_id, fields, created_at, updated_at (+ org_id)
  o["id"] = row.Int(0);
  o["owner_id"] = row.Int(2);
  std::size_t i = 3;
  for (const auto& f : spec_.fields) o[f.name] = ColumnToJson(f, row, i++);
  o["created_at"] = FormatIso(row.Int(i++));
  if (spec_.has_updated_at) o["updated_at"] = FormatIso(row.Int(i));
  return o;
}

void Resource::AppendRowJson(std::string& out, const store::Row& row) const {
  auto key = [&out](std::string_view k) {
    out += '"';
    out += k;  // field names are plain identifiers
    out += "\":";
  };
  auto text = [&out](const store::Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) AppendJsonString(out, *s);
    else AppendJsonString(out, store::Row{{v}}.Str(0));
  };
  out += R"({"id":)";
  out += std::to_string(row.Int(0));
  out += R"(,"owner_id":)";
  out += std::to_string(row.Int(2));
  std::size_t i = 3;
  for (const auto& f : spec_.fields) {
    out += ',';
    key(f.name);
    if (row.IsNull(i)) {
      out += f.type == FieldType::kTags ? "[]" : "null";
    } else {
      switch (f.type) {
        case FieldType::kInt:
        case FieldType::kRef: out += std::to_string(row.Int(i)); break;
        case FieldType::kTimestamp: AppendJsonString(out, FormatIso(row.Int(i))); break;
        case FieldType::kMoney:
        case FieldType::kTags: out += json::serialize(ColumnToJson(f, row, i)); break;
        default: text(row.values[i]);
      }
    }
    ++i;
  }
  out += R"(,"created_at":)";
  AppendJsonString(out, FormatIso(row.Int(i++)));
  if (spec_.has_updated_at) {
    out += R"(,"updated_at":)";
    AppendJsonString(out, FormatIso(row.Int(i)));
  }
  out += '}';
}

Result<json::object> Resource::Load(store::Connection& c, std::int64_t id) {
  auto rows = c.Query(fmt::format("SELECT {} FROM {} WHERE id = ?", SelectList(), spec_.table), {id});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound(fmt::format("{} {} not found", spec_.singular, id));
  json::object o = RowToJson(rows->front());
  o["org_id"] = rows->front().Int(1);  // stripped by Strip() before it leaves the server
  return o;
}

namespace {
json::object Strip(json::object o) {
  o.erase("org_id");
  return o;
}
}  // namespace

Result<Changes> Resource::Parse(const json::object& in, bool create_or_replace, const std::string& prefix) const {
  Changes changes;
  std::set<std::string_view> present;
  for (const auto& kv : in) {
    std::string_view key = kv.key();
    if (key == "owner_id") {
      if (kv.value().is_null()) continue;
      json::object tmp{{"owner_id", kv.value()}};
      auto n = GetInt(tmp, "owner_id", 1, INT64_MAX);
      if (!n) return FieldError(prefix, "owner_id", "owner_id must be a positive integer user id");
      changes.Set("owner_id", **n);
      continue;
    }
    if (key == "id" || key == "org_id" || key == "created_at" || key == "updated_at") continue;
    auto it = std::find_if(spec_.fields.begin(), spec_.fields.end(), [&](const Field& f) { return f.name == key; });
    if (it == spec_.fields.end()) return FieldError(prefix, key, fmt::format("unknown field '{}'", key));
    if (!it->writable) continue;
    present.insert(it->name);
    if (kv.value().is_null()) {
      if (it->required) return FieldError(prefix, key, fmt::format("{} is required", key));
      changes.Set(it->column, it->type == FieldType::kTags ? store::Value{std::string("[]")} : store::Value{});
      continue;
    }
    auto v = ParseValue(*it, kv.value(), prefix);
    if (!v) return v.error();
    changes.Set(it->column, std::move(*v));
  }
  if (create_or_replace) {
    for (const auto& f : spec_.fields) {
      if (!f.writable || present.contains(f.name)) continue;
      if (f.required) return FieldError(prefix, f.name, fmt::format("{} is required", f.name));
      if (!f.default_value.empty()) changes.Set(f.column, std::string(f.default_value));
      else if (f.type == FieldType::kTags) changes.Set(f.column, std::string("[]"));
      else changes.Set(f.column, store::Value{});
    }
  }
  return changes;
}

Status Resource::CheckRefs(WriteContext& ctx, const Changes& changes, const std::string& prefix) const {
  for (const auto& f : spec_.fields) {
    if (f.type != FieldType::kRef) continue;
    const store::Value* v = changes.Get(f.column);
    if (!v || std::holds_alternative<std::monostate>(*v)) continue;
    std::int64_t ref = std::get<std::int64_t>(*v);
    auto rows = ctx.conn.Query(fmt::format("SELECT owner_id FROM {} WHERE id = ? AND org_id = ?", f.ref_table),
                               {ref, ctx.actor.org_id});
    if (!rows) return rows.error();
    bool ok = !rows->empty();
    if (ok) {
      auto readable = CanRead(ctx.conn, ctx.actor, rows->front().Int(0));
      if (!readable) return readable.error();
      ok = *readable;
    }
    if (!ok) return FieldError(prefix, f.name, fmt::format("{} {} does not exist", f.name, ref));
  }
  if (const store::Value* owner = changes.Get("owner_id")) {
    std::int64_t owner_id = std::get<std::int64_t>(*owner);
    if (owner_id != ctx.actor.user_id) {
      if (ctx.actor.role == auth::Role::kOfficer)
        return Error::Forbidden("officers can only own their own records", prefix + "owner_id");
      auto rows = ctx.conn.Query("SELECT COALESCE(team_id, 0) FROM users WHERE id = ? AND org_id = ?",
                                 {owner_id, ctx.actor.org_id});
      if (!rows) return rows.error();
      if (rows->empty()) return FieldError(prefix, "owner_id", fmt::format("user {} does not exist", owner_id));
      if (ctx.actor.role == auth::Role::kManager && rows->front().Int(0) != ctx.actor.team_id)
        return Error::Forbidden("managers can assign records only within their team", prefix + "owner_id");
    }
  }
  return {};
}

Result<std::int64_t> Resource::Insert(WriteContext& ctx, Changes changes) {
  if (!changes.Has("owner_id")) changes.Set("owner_id", ctx.actor.user_id);
  changes.Set("org_id", ctx.actor.org_id);
  changes.Set("created_at", ctx.now);
  if (spec_.has_updated_at) changes.Set("updated_at", ctx.now);
  std::string cols, marks;
  std::vector<store::Value> params;
  for (const auto& [c, v] : changes.columns()) {
    cols += (cols.empty() ? "" : ", ") + c;
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(v);
  }
  auto id = ctx.conn.Insert(fmt::format("INSERT INTO {} ({}) VALUES ({})", spec_.table, cols, marks), params);
  if (!id) return id.error();
  return id->value();
}

Result<json::object> Resource::Create(const auth::Actor& actor, const json::object& in) {
  auto changes = Parse(in, true, "");
  if (!changes) return changes.error();
  json::object out;
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    WriteContext w{c, actor, now};
    if (auto s = CheckRefs(w, *changes, ""); !s) return s;
    if (auto s = Prepare(w, nullptr, *changes); !s) return s;
    auto id = Insert(w, *changes);
    if (!id) return id.error();
    auto after = Load(c, *id);
    if (!after) return after.error();
    if (auto s = Finish(w, nullptr, *after); !s) return s;
    out = Strip(std::move(*after));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<std::int64_t>> Resource::CreateMany(const auth::Actor& actor, const json::array& in) {
  std::vector<Changes> all;
  all.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::string prefix = fmt::format("[{}].", i);
    if (!in[i].is_object())
      return Error::Invalid(fmt::format("item {} must be a JSON object", i), prefix.substr(0, prefix.size() - 1));
    auto changes = Parse(in[i].as_object(), true, prefix);
    if (!changes) return changes.error();
    all.push_back(std::move(*changes));
  }
  std::vector<std::int64_t> ids;
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    ids.clear();
    WriteContext w{c, actor, now};
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::string prefix = fmt::format("[{}].", i);
      if (auto s = CheckRefs(w, all[i], prefix); !s) return s;
      if (auto s = Prepare(w, nullptr, all[i]); !s) {
        Error e = s.error();
        e.field = prefix + e.field;
        e.message = fmt::format("item {}: {}", i, e.message);
        return e;
      }
      auto id = Insert(w, std::move(all[i]));
      if (!id) return id.error();
      auto after = Load(c, *id);
      if (!after) return after.error();
      if (auto s = Finish(w, nullptr, *after); !s) return s;
      ids.push_back(*id);
    }
    return {};
  });
  if (!st) return st.error();
  return ids;
}

Result<json::object> Resource::Get(const auth::Actor& actor, std::int64_t id) {
  Result<json::object> out = Error::NotFound(fmt::format("{} {} not found", spec_.singular, id));
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto row = Load(c, id);
    if (!row) return row.error().code == ErrorCode::kNotFound ? Status{} : Status{row.error()};
    if ((*row)["org_id"].as_int64() != actor.org_id) return {};
    auto readable = CanRead(c, actor, (*row)["owner_id"].as_int64());
    if (!readable) return readable.error();
    if (*readable) out = Strip(std::move(*row));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Resource::Update(const auth::Actor& actor, std::int64_t id, const json::object& in,
                                      bool replace) {
  if (!spec_.mutable_after_create)
    return Error{ErrorCode::kMethodNotAllowed, fmt::format("{} records cannot be changed", spec_.singular), {}};
  auto changes = Parse(in, replace, "");
  if (!changes) return changes.error();
  json::object out;
  TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    WriteContext w{c, actor, now};
    auto before = Load(c, id);
    const Error not_found = Error::NotFound(fmt::format("{} {} not found", spec_.singular, id));
    if (!before) return before.error().code == ErrorCode::kNotFound ? not_found : before.error();
    if ((*before)["org_id"].as_int64() != actor.org_id) return not_found;
    std::int64_t owner = (*before)["owner_id"].as_int64();
    auto readable = CanRead(c, actor, owner);
    if (!readable) return readable.error();
    if (!*readable) return not_found;
    if (owner != actor.user_id && actor.role != auth::Role::kAdmin)
      return Error::Forbidden(fmt::format("{} {} belongs to another officer; you can view it but not change it",
                                          spec_.singular, id));
    if (auto s = CheckRefs(w, *changes, ""); !s) return s;
    if (auto s = Prepare(w, &*before, *changes); !s) return s;
    if (changes->columns().empty()) {
      out = Strip(std::move(*before));
      return {};
    }
    if (spec_.has_updated_at) changes->Set("updated_at", now);
    std::string sets;
    std::vector<store::Value> params;
    for (const auto& [col, v] : changes->columns()) {
      sets += (sets.empty() ? "" : ", ") + col + " = ?";
      params.push_back(v);
    }
    params.push_back(id);
    auto r = c.Exec(fmt::format("UPDATE {} SET {} WHERE id = ?", spec_.table, sets), params);
    if (!r) return r.error();
    auto after = Load(c, id);
    if (!after) return after.error();
    if (auto s = Finish(w, &*before, *after); !s) return s;
    out = Strip(std::move(*after));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status Resource::Delete(const auth::Actor& actor, std::int64_t id) {
  if (!spec_.mutable_after_create)
    return Error{ErrorCode::kMethodNotAllowed, fmt::format("{} records cannot be deleted", spec_.singular), {}};
  TimestampMs now = clock_.Now();
  return db_.Write([&](store::Connection& c) -> Status {
    WriteContext w{c, actor, now};
    auto before = Load(c, id);
    const Error not_found = Error::NotFound(fmt::format("{} {} not found", spec_.singular, id));
    if (!before) return before.error().code == ErrorCode::kNotFound ? not_found : before.error();
    if ((*before)["org_id"].as_int64() != actor.org_id) return not_found;
    std::int64_t owner = (*before)["owner_id"].as_int64();
    auto readable = CanRead(c, actor, owner);
    if (!readable) return readable.error();
    if (!*readable) return not_found;
    if (owner != actor.user_id && actor.role != auth::Role::kAdmin)
      return Error::Forbidden(fmt::format("{} {} belongs to another officer", spec_.singular, id));
    if (auto s = OnDelete(w, *before); !s) return s;
    auto r = c.Exec(fmt::format("DELETE FROM {} WHERE id = ?", spec_.table), {id});
    if (!r) return r.error();
    return {};
  });
}

Result<Page> Resource::List(const auth::Actor& actor, const QueryParams& params) {
  std::string_view sort, cursor, limit;
  for (const auto& [k, v] : params) {
    if (k == "sort") sort = v;
    else if (k == "cursor") cursor = v;
    else if (k == "limit") limit = v;
  }
  auto q = ListQuery::Make(spec_.sort_keys, sort, spec_.default_sort, cursor, limit);
  if (!q) return q.error();
  auto [scope, scope_params] = ReadScope(actor);
  q->Where(scope, scope_params);
  for (const auto& [k, v] : params) {
    if (k == "sort" || k == "cursor" || k == "limit") continue;
    if (k == "owner_id") {
      auto id = ParseId(v, "owner_id");
      if (!id) return id.error();
      q->Where("owner_id = ?", {*id});
      continue;
    }
    auto handled = Filter(actor, k, v, *q);
    if (!handled) return handled.error();
    if (*handled) continue;
    auto f = std::find_if(spec_.fields.begin(), spec_.fields.end(), [&](const Field& fld) { return fld.name == k; });
    if (f != spec_.fields.end() && f->type == FieldType::kEnum) {
      // Comma-separated values mean any of them: status=LEAD,PROSPECT.
      std::string marks;
      std::vector<store::Value> vals;
      std::string_view rest = v;
      while (true) {
        auto comma = rest.find(',');
        std::string_view one = rest.substr(0, comma);
        if (std::find(f->values.begin(), f->values.end(), one) == f->values.end())
          return Error::Invalid(fmt::format("{} must be one of: {}", k, EnumList(f->values)), k);
        marks += marks.empty() ? "?" : ", ?";
        vals.emplace_back(std::string(one));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      q->Where(fmt::format("{} IN ({})", f->column, marks), std::move(vals));
      continue;
    }
    if (f != spec_.fields.end() && f->type == FieldType::kRef) {
      auto id = ParseId(v, k);
      if (!id) return id.error();
      q->Where(fmt::format("{} = ?", f->column), {*id});
      continue;
    }
    return Error::Invalid(fmt::format("unknown query parameter '{}'", k), k);
  }
  Page page;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto [sql, sql_params] = q->Build(fmt::format("SELECT {}, {} FROM {}", SelectList(), q->SortExpr(), spec_.table));
    auto rows = c.Query(sql, sql_params);
    if (!rows) return rows.error();
    std::size_t sort_index = 3 + spec_.fields.size() + (spec_.has_updated_at ? 2 : 1);
    page.next_cursor = q->TakePage(*rows, sort_index, 0);
    for (const auto& r : *rows) page.AddWith([&](std::string& out) { AppendRowJson(out, r); });
    return {};
  });
  if (!st) return st.error();
  return page;
}

}  // namespace chosen::crm
