// The importer. One pass over the lines inside one write transaction: each
// line is parsed, validated with the CRM's field rules and, while the import
// can still commit, queued for writing. Rows are written in multi-row INSERTs
// of as many rows as the parameter limit allows (prepared once, cached by
// the connection), events and external-id mappings likewise; a reference to
// a record still in a queue flushes that queue first. A queue holds its
// rows' values side by side, as the INSERT binds them, and event metadata
// is written straight into one string, so a record costs few allocations
// (the import of a million activities is mostly SQLite's B-tree work:
// docs/import-format.md, Speed). Without --partial the first invalid line turns
// writing off (the rest is only validated) and the transaction is rolled
// back at the end, so nothing is written unless every line is valid.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "auth/crypto.h"
#include "common/time_util.h"
#include "crm/resources.h"
#include "transfer/schema.h"
#include "transfer/transfer.h"

namespace chosen::transfer {
namespace {

// Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535.
// Big statements amortise per-statement work and SQLite's statement journal
// (a page touched by many rows of a statement is saved once).
constexpr std::size_t kMaxParams = 30000;

std::size_t BatchRows(std::size_t columns) { return kMaxParams / columns; }
constexpr std::size_t kMaxExternalIdLength = 128;
constexpr std::int64_t kMappingPage = 10000;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// What the import knows about one external id.
struct Entry {
  enum State : std::uint8_t {
    kPresent,   // imported before (or a user already in the org): skipped, resolvable
    kNew,       // on an accepted line of this file: written, resolvable
    kRejected,  // on a rejected line: references to it are rejected too
  };
  std::int64_t local_id = 0;  // 0 while a kNew record waits in its queue (or is never written)
  std::int64_t line = 0;      // the line of this file that named it first; 0 if none yet
  State state = kNew;
};

using Registry = std::unordered_map<std::string, Entry, StringHash, std::equal_to<>>;

// One validated line on its way to the database.
struct Record {
  Entry* entry = nullptr;
  const std::string* external_id = nullptr;  // the registry's key
  std::vector<store::Value> values;          // per Layout::columns
  std::uint32_t given = 0;                   // bit per column the line set
  std::string team;                          // users: the team's name
};

// Validated records of one kind waiting to be written: their values side by
// side, as the multi-row INSERT binds them (no copy per flush).
struct Queue {
  struct Queued {
    Entry* entry = nullptr;
    const std::string* external_id = nullptr;
    std::string team;
  };
  std::vector<Queued> records;
  std::vector<store::Value> values;  // records.size() rows of Layout::columns

  std::size_t size() const { return records.size(); }
  void clear() {
    records.clear();
    values.clear();
  }
};

bool IsNull(const store::Value& v) { return std::holds_alternative<std::monostate>(v); }
std::int64_t Int(const store::Value& v) {
  const auto* p = std::get_if<std::int64_t>(&v);
  return p ? *p : 0;
}
const std::string& Str(const store::Value& v) {
  static const std::string kEmpty;
  const auto* p = std::get_if<std::string>(&v);
  return p ? *p : kEmpty;
}

// "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)<tail>".
std::string InsertSql(std::string_view table, const std::vector<std::string_view>& columns, std::size_t rows,
                      std::string_view tail) {
  std::string sql = fmt::format("INSERT INTO {} (", table);
  std::string one = "(";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    sql += fmt::format("{}{}", i ? ", " : "", columns[i]);
    one += i ? ", ?" : "?";
  }
  one += ")";
  sql += ") VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r) sql += ", ";
    sql += one;
  }
  sql += tail;
  return sql;
}

// Fixed-shape rows (no ids needed back) written a batch at a time.
class RowQueue {
 public:
  RowQueue(std::string_view table, std::vector<std::string_view> columns, std::string tail = "")
      : table_(table), columns_(std::move(columns)), tail_(std::move(tail)) {
    batch_ = BatchRows(columns_.size());
    full_sql_ = InsertSql(table_, columns_, batch_, tail_);
  }

  // Appends one row's values (columns().size() of them).
  std::vector<store::Value>& params() { return params_; }
  Status EndRow(store::Connection& c) {
    if (++rows_ >= batch_) return Flush(c);
    return {};
  }
  Status Flush(store::Connection& c) {
    if (rows_ == 0) return {};
    auto r = c.Exec(rows_ == batch_ ? full_sql_ : InsertSql(table_, columns_, rows_, tail_), params_);
    params_.clear();
    rows_ = 0;
    if (!r) return r.error();
    return {};
  }
  void Drop() {
    params_.clear();
    rows_ = 0;
  }

 private:
  std::string_view table_;
  std::vector<std::string_view> columns_;
  std::string tail_;
  std::string full_sql_;
  std::size_t batch_ = 0;
  std::vector<store::Value> params_;
  std::size_t rows_ = 0;
};

// Builds event metadata JSON in the API's key order.
class Meta {
 public:
  Meta& Json(std::string_view key, std::string_view json_text) {
    Key(key);
    s_ += json_text;
    return *this;
  }
  Meta& Value(std::string_view key, const store::Value& v) {
    Key(key);
    if (IsNull(v)) s_ += "null";
    else if (const auto* i = std::get_if<std::int64_t>(&v)) Int64(*i);
    else if (const auto* s = std::get_if<std::string>(&v)) Quote(*s);
    else s_ += json::serialize(json::value(std::get<double>(v)));
    return *this;
  }
  Meta& Text(std::string_view key, std::string_view text) {
    Key(key);
    Quote(text);
    return *this;
  }
  Meta& Int(std::string_view key, std::int64_t n) {
    Key(key);
    Int64(n);
    return *this;
  }
  Meta& Bool(std::string_view key, bool b) { return Json(key, b ? "true" : "false"); }
  std::string Done() {
    Key("imported");
    s_ += "true}";
    return std::move(s_);
  }

 private:
  void Key(std::string_view key) {
    s_ += s_.size() > 1 ? ",\"" : "\"";
    s_ += key;
    s_ += "\":";
  }
  void Int64(std::int64_t n) {
    fmt::format_int digits(n);
    s_.append(digits.data(), digits.size());
  }
  void Quote(std::string_view text) { AppendJsonString(s_, text); }
  std::string s_ = MakeBuffer();

  static std::string MakeBuffer() {
    std::string s;
    s.reserve(256);
    s += '{';
    return s;
  }
};

// SQLite settings of the writer connection for the import, restored
// afterwards. The default cache is about 2 MB; a bulk import inserts into
// every index of its tables at once, so with that little it would spill
// index pages to the WAL and read them back all the time (pages are
// allocated only as needed, and given back when the setting is restored).
// And each multi-row INSERT keeps a statement journal, which goes to a
// temporary file beyond 64 KiB unless temporary storage is in memory;
// SQLite decides that when a transaction begins, so the settings are made in
// a transaction of their own before the import's (SQLite has a single writer
// connection, which keeps them). Concurrent imports into one database share
// the settings: the first applies them, the last restores them.
class SqliteTuning {
 public:
  explicit SqliteTuning(store::Database& db) : db_(db) {
    if (db_.dialect() != store::Dialect::kSqlite) return;
    std::lock_guard lock(Mutex());
    Shared& shared = States()[&db_];
    if (shared.users++ > 0) return;
    (void)db_.Write([&](store::Connection& c) -> Status {
      shared.previous.clear();
      Set(c, shared, "cache_size", -512 * 1024);
      Set(c, shared, "temp_store", 2);  // MEMORY
      return {};
    });
  }
  ~SqliteTuning() {
    if (db_.dialect() != store::Dialect::kSqlite) return;
    std::lock_guard lock(Mutex());
    auto it = States().find(&db_);
    if (it == States().end() || --it->second.users > 0) return;
    (void)db_.Write([&](store::Connection& c) -> Status {
      for (const auto& [name, value] : it->second.previous) (void)c.Exec(fmt::format("PRAGMA {} = {}", name, value));
      return {};
    });
    States().erase(it);
  }
  SqliteTuning(const SqliteTuning&) = delete;
  SqliteTuning& operator=(const SqliteTuning&) = delete;

 private:
  struct Shared {
    int users = 0;
    std::vector<std::pair<std::string_view, std::int64_t>> previous;
  };
  static std::mutex& Mutex() {
    static std::mutex mu;
    return mu;
  }
  static std::map<const store::Database*, Shared>& States() {
    static std::map<const store::Database*, Shared> states;
    return states;
  }
  static void Set(store::Connection& c, Shared& shared, std::string_view name, std::int64_t value) {
    auto rows = c.Query(fmt::format("PRAGMA {}", name));
    if (!rows || rows->empty()) return;
    std::int64_t before = rows->front().Int(0);
    if (c.Exec(fmt::format("PRAGMA {} = {}", name, value))) shared.previous.emplace_back(name, before);
  }

  store::Database& db_;
};

class Importer {
 public:
  Importer(store::Connection& c, store::Dialect dialect, const Schema& schema, const ImportOptions& options,
           TimestampMs now)
      : c_(c),
        dialect_(dialect),
        schema_(schema),
        options_(options),
        now_(now),
        events_("events", {"org_id", "user_id", "action", "entity_type", "entity_id", "metadata", "created_at"}),
        mappings_("external_ids", {"org_id", "type", "external_id", "local_id"}),
        tags_("contact_tags", {"contact_id", "tag"}) {
    for (Kind k : kAllKinds) {
      const Layout& l = schema_.Of(k);
      batch_[Idx(k)] = BatchRows(l.columns.size());
      insert_sql_[Idx(k)] = InsertSql(l.table, l.columns, batch_[Idx(k)], ReturningTail());
    }
    const Layout& user = schema_.Of(Kind::kUser);
    u_ = {user.Column("team_id"), user.Column("email"),    user.Column("role"),
          user.Column("password_hash"), user.Column("timezone"), user.Column("created_at"),
          user.Column("updated_at")};
    const Layout& contact = schema_.Of(Kind::kContact);
    ct_ = {contact.Column("status"),      contact.Column("source"),     contact.Column("tags"),
           contact.Column("referred_by"), contact.Column("last_contacted_at"), contact.Column("created_at"),
           contact.Column("updated_at")};
    const Layout& deal = schema_.Of(Kind::kDeal);
    d_ = {deal.Column("contact_id"),       deal.Column("value_cents"), deal.Column("loan_type"),
          deal.Column("stage"),            deal.Column("stage_changed_at"), deal.Column("closed_at"),
          deal.Column("created_at"),       deal.Column("updated_at")};
    value_field_ = &deal.FindKey("value")->field;
    const Layout& task = schema_.Of(Kind::kTask);
    t_ = {task.Column("priority"),   task.Column("status"),     task.Column("due_date"),
          task.Column("due_time"),   task.Column("contact_id"), task.Column("deal_id"),
          task.Column("completed_at"), task.Column("created_at"), task.Column("updated_at")};
    const Layout& act = schema_.Of(Kind::kActivity);
    a_ = {act.Column("type"),       act.Column("outcome"), act.Column("occurred_at"), act.Column("duration_seconds"),
          act.Column("contact_id"), act.Column("deal_id"), act.Column("topic"),       act.Column("tags"),
          act.Column("created_at")};
    report_.org = options_.org;
    report_.partial = options_.partial;
  }

  // Finds or creates the org and loads the external ids imported before.
  Status Start() {
    auto rows = c_.Query("SELECT id FROM orgs WHERE name = ?", {options_.org});
    if (!rows) return rows.error();
    if (!rows->empty()) {
      org_id_ = rows->front().Int(0);
      return LoadMappings();
    }
    auto ins = c_.Query("INSERT INTO orgs (name, created_at) VALUES (?, ?) RETURNING id", {options_.org, now_});
    if (!ins) return ins.error();
    org_id_ = ins->front().Int(0);
    return {};
  }

  Status Run(std::string_view text) {
    // Activities are the bulk of any large file: size their table once
    // instead of rehashing it all along.
    std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    registry_[Idx(Kind::kActivity)].reserve(registry_[Idx(Kind::kActivity)].size() + lines);
    json::parse_options opt;
    opt.max_depth = 32;
    json::parser parser(json::storage_ptr(), opt);
    std::int64_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      const char* start = text.data() + pos;
      const void* nl = std::memchr(start, '\n', text.size() - pos);
      std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : text.size() - pos;
      pos += len + 1;
      ++line_no;
      std::string_view line(start, len);
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      if (auto st = Line(parser, line_no, line); !st) return st;
    }
    return Finish();
  }

  ImportReport& report() { return report_; }
  bool must_roll_back() const { return !options_.partial && report_.error_count > 0; }

 private:
  static std::size_t Idx(Kind k) { return static_cast<std::size_t>(k); }
  bool writing() const { return !must_roll_back(); }

  // SQLite gives the rows of one INSERT consecutive rowids (each new one is
  // the largest so far plus one, and the import is the only writer of its
  // transaction), so the ids follow from last_insert_rowid() without
  // RETURNING, which would buffer every row and hand it back as a Row.
  // PostgreSQL's identity values need not be consecutive: RETURNING there.
  std::string_view ReturningTail() const { return dialect_ == store::Dialect::kSqlite ? "" : " RETURNING id"; }

  Status LoadMappings() {
    for (Kind k : kAllKinds) {
      Registry& reg = registry_[Idx(k)];
      // Only mappings whose record still exists count: a deleted record is
      // imported again, so its stale mapping goes.
      std::string sql = fmt::format(
          "SELECT x.external_id, x.local_id, t.id FROM external_ids x "
          "LEFT JOIN {} t ON t.id = x.local_id AND t.org_id = x.org_id "
          "WHERE x.org_id = ? AND x.type = ? AND x.external_id > ? ORDER BY x.external_id LIMIT ?",
          schema_.Of(k).table);
      std::vector<std::string> stale;
      std::string after;
      for (;;) {
        auto rows = c_.Query(sql, {org_id_, std::string(KindName(k)), after, kMappingPage});
        if (!rows) return rows.error();
        for (const auto& r : *rows) {
          if (r.IsNull(2)) {
            stale.push_back(r.Str(0));
            continue;
          }
          Entry& e = reg[r.Str(0)];
          e.state = Entry::kPresent;
          e.local_id = r.Int(1);
        }
        if (static_cast<std::int64_t>(rows->size()) < kMappingPage) break;
        after = rows->back().Str(0);
      }
      for (const std::string& ext : stale) {
        auto r = c_.Exec("DELETE FROM external_ids WHERE org_id = ? AND type = ? AND external_id = ?",
                         {org_id_, std::string(KindName(k)), ext});
        if (!r) return r.error();
      }
    }
    return {};
  }

  void Reject(std::int64_t line, std::optional<Kind> kind, const Error& e) {
    ++report_.error_count;
    ++report_.rejected_lines;
    if (kind) ++report_.counts[Idx(*kind)].rejected;
    if (report_.errors.size() < options_.max_errors) report_.errors.push_back({line, e.field, e.message});
    if (!options_.partial) {
      // Nothing will be written: stop queueing, keep validating.
      for (auto& q : queues_) q.clear();
      events_.Drop();
      mappings_.Drop();
      tags_.Drop();
    }
  }

  Status Line(json::parser& parser, std::int64_t line_no, std::string_view line) {
    ++report_.lines;
    current_line_ = line_no;
    unsigned char buffer[4096];
    json::monotonic_resource mr(buffer, sizeof buffer);
    parser.reset(json::storage_ptr(&mr));
    boost::system::error_code ec;
    parser.write(line.data(), line.size(), ec);
    if (ec) {
      Reject(line_no, std::nullopt, Error::Invalid(fmt::format("malformed JSON: {}", ec.message())));
      return {};
    }
    json::value v = parser.release();
    if (!v.is_object()) {
      Reject(line_no, std::nullopt, Error::Invalid("a line must be a JSON object"));
      return {};
    }
    const json::object& obj = v.as_object();
    std::optional<Kind> kind;
    if (auto it = obj.find("type"); it != obj.end() && it->value().is_string()) kind = ParseKind(it->value().as_string());
    if (!kind) {
      Reject(line_no, std::nullopt,
             Error::Invalid(obj.contains("type") ? "type must be one of: user, contact, deal, task, activity"
                                                 : "type is required",
                            "type"));
      return {};
    }
    auto ext_it = obj.find("external_id");
    if (ext_it == obj.end() || ext_it->value().is_null()) {
      Reject(line_no, kind, Error::Invalid("external_id is required", "external_id"));
      return {};
    }
    const json::value& ext_v = ext_it->value();
    if (!ext_v.is_string() || ext_v.as_string().empty() || CharCount(ext_v.as_string()) > kMaxExternalIdLength ||
        !IsCleanText(ext_v.as_string(), false)) {
      Reject(line_no, kind,
             Error::Invalid(fmt::format("external_id must be a string of 1 to {} characters", kMaxExternalIdLength),
                            "external_id"));
      return {};
    }
    std::string_view ext = ext_v.as_string();
    Registry& reg = registry_[Idx(*kind)];
    auto [it, inserted] = reg.try_emplace(std::string(ext));
    Entry& entry = it->second;
    if (!inserted && entry.line != 0) {
      Reject(line_no, kind,
             Error::Invalid(fmt::format("duplicate external_id '{}' (first on line {})", ext, entry.line),
                            "external_id"));
      return {};
    }
    entry.line = line_no;
    bool present = entry.state == Entry::kPresent;
    // One Record for every line: its vector keeps its capacity.
    Record& rec = line_record_;
    rec.entry = &entry;
    rec.external_id = &it->first;
    rec.given = 0;
    rec.team.clear();
    Status st = Convert(*kind, obj, rec);
    if (st && *kind == Kind::kUser && !present) st = CheckUser(line_no, rec);
    if (!st) {
      if (!present) entry.state = Entry::kRejected;
      Reject(line_no, kind, st.error());
      return {};
    }
    if (present || entry.state == Entry::kPresent) {
      // Imported before, or a user linked by email (its mapping is new).
      ++report_.counts[Idx(*kind)].already_present;
      if (!present && writing()) return Map(*kind, *rec.external_id, entry.local_id);
      return {};
    }
    ++report_.counts[Idx(*kind)].imported;
    if (!writing()) return {};
    return Enqueue(*kind, rec);
  }

  // A reference to `ext` of `kind`: its local id (flushing its queue if it
  // waits there), or 0 while only validating.
  Result<std::int64_t> Resolve(Kind kind, std::string_view ext, std::string_view key) {
    Registry& reg = registry_[Idx(kind)];
    auto it = reg.find(ext);
    if (it == reg.end() || (it->second.state == Entry::kNew && it->second.line == 0))
      return Error::Invalid(fmt::format("no {} with external_id '{}'", KindName(kind), ext), std::string(key));
    const Entry& e = it->second;
    if (e.state == Entry::kRejected)
      return Error::Invalid(fmt::format("{} '{}' (line {}) was rejected", KindName(kind), ext, e.line),
                            std::string(key));
    if (e.state == Entry::kNew && e.line == current_line_)
      return Error::Invalid(fmt::format("a {} cannot refer to itself", KindName(kind)), std::string(key));
    if (e.state == Entry::kPresent || !writing()) return e.local_id;
    if (e.local_id == 0)
      if (auto st = Flush(kind); !st) return st.error();
    if (e.local_id == 0) return Error::Internal(fmt::format("import: {} '{}' was not written", KindName(kind), ext));
    return e.local_id;
  }

  // Validates `obj` as a `kind` record and fills rec.values.
  Status Convert(Kind kind, const json::object& obj, Record& rec) {
    const Layout& l = schema_.Of(kind);
    rec.values.assign(l.columns.size(), store::Value{});
    for (const auto& kv : obj) {
      std::string_view name = kv.key();
      if (name == "type" || name == "external_id") continue;
      const Key* key = l.FindKey(name);
      if (!key) return Error::Invalid(fmt::format("unknown field '{}'", name), std::string(name));
      if (kv.value().is_null()) continue;
      if (key->ref) {
        if (!kv.value().is_string())
          return Error::Invalid(fmt::format("{} must be the external_id of a {}", name, KindName(*key->ref)),
                                std::string(name));
        auto id = Resolve(*key->ref, kv.value().as_string(), name);
        if (!id) return id.error();
        rec.values[key->column] = *id;
      } else {
        auto value = crm::ParseFieldValue(key->field, kv.value());
        if (!value) return value.error();
        rec.values[key->column] = std::move(*value);
      }
      rec.given |= 1u << key->column;
    }
    for (const Key& key : l.keys) {
      if (rec.given & (1u << key.column)) continue;
      if (key.required) return Error::Invalid(fmt::format("{} is required", key.name), std::string(key.name));
      if (!key.field.default_value.empty()) rec.values[key.column] = std::string(key.field.default_value);
      else if (key.field.type == crm::FieldType::kTags) rec.values[key.column] = std::string("[]");
    }
    rec.values[0] = org_id_;
    switch (kind) {
      case Kind::kUser: {
        Default(rec, u_.created, now_);
        rec.values[u_.updated] = rec.values[u_.created];
        rec.values[u_.password] = std::string(auth::kUnusablePasswordHash);
        return {};
      }
      case Kind::kContact:
        Default(rec, ct_.created, now_);
        Default(rec, ct_.updated, rec.values[ct_.created]);
        return {};
      case Kind::kDeal: {
        Default(rec, d_.created, now_);
        Default(rec, d_.updated, rec.values[d_.created]);
        if (IsNull(rec.values[d_.value])) rec.values[d_.value] = std::int64_t{0};
        const std::string& stage = Str(rec.values[d_.stage]);
        bool closed = stage == "Closed Won" || stage == "Closed Lost";
        if (!closed && !IsNull(rec.values[d_.closed_at]))
          return Error::Invalid("closed_at is only for a Closed Won or Closed Lost deal", "closed_at");
        Default(rec, d_.stage_changed_at,
                IsNull(rec.values[d_.closed_at]) ? rec.values[d_.created] : rec.values[d_.closed_at]);
        if (closed) Default(rec, d_.closed_at, rec.values[d_.stage_changed_at]);
        return {};
      }
      case Kind::kTask: {
        Default(rec, t_.created, now_);
        Default(rec, t_.updated, rec.values[t_.created]);
        if (auto st = crm::CheckDueTime(!IsNull(rec.values[t_.due_date]), !IsNull(rec.values[t_.due_time])); !st)
          return st;
        bool completed = Str(rec.values[t_.status]) == "completed";
        if (!completed && !IsNull(rec.values[t_.completed_at]))
          return Error::Invalid("completed_at is only for a completed task", "completed_at");
        if (completed) Default(rec, t_.completed_at, rec.values[t_.updated]);
        return {};
      }
      case Kind::kActivity: {
        std::int64_t occurred = Int(rec.values[a_.occurred]);
        if (auto st = crm::CheckOccurredAt(occurred, now_); !st) return st;
        if (!IsNull(rec.values[a_.outcome]))
          if (auto st = crm::CheckActivityOutcome(Str(rec.values[a_.type]), Str(rec.values[a_.outcome])); !st)
            return st;
        rec.values[a_.created] = occurred;
        return {};
      }
    }
    return {};
  }

  static void Default(Record& rec, int column, store::Value v) {
    if (IsNull(rec.values[column])) rec.values[column] = std::move(v);
  }

  // Users: one account per email. A user of this org with the same email is
  // linked (already present); one of another org is an error.
  Status CheckUser(std::int64_t line_no, Record& rec) {
    const std::string& email = Str(rec.values[u_.email]);
    auto [seen, fresh] = emails_.try_emplace(email, line_no);
    if (!fresh)
      return Error::Invalid(fmt::format("email {} is also on line {}", email, seen->second), "email");
    auto rows = c_.Query("SELECT id, org_id FROM users WHERE email = ?", {email});
    if (!rows) return rows.error();
    if (!rows->empty()) {
      if (rows->front().Int(1) != org_id_)
        return Error::Conflict(fmt::format("a user with email {} exists in another org", email), "email");
      rec.entry->state = Entry::kPresent;
      rec.entry->local_id = rows->front().Int(0);
    }
    if (!IsNull(rec.values[u_.team])) rec.team = Str(rec.values[u_.team]);
    return {};
  }

  Status Map(Kind kind, const std::string& ext, std::int64_t local_id) {
    auto& p = mappings_.params();
    p.emplace_back(org_id_);
    p.emplace_back(std::string(KindName(kind)));
    p.emplace_back(ext);
    p.emplace_back(local_id);
    return mappings_.EndRow(c_);
  }

  Status Event(std::int64_t user_id, std::string action, std::string_view entity_type, std::int64_t entity_id,
               std::string meta, std::int64_t at) {
    ++report_.events;
    auto& p = events_.params();
    p.emplace_back(org_id_);
    p.emplace_back(user_id);
    p.emplace_back(std::move(action));
    p.emplace_back(std::string(entity_type));
    p.emplace_back(entity_id);
    p.emplace_back(std::move(meta));
    p.emplace_back(at);
    return events_.EndRow(c_);
  }

  Status Enqueue(Kind kind, Record& rec) {
    if (kind == Kind::kUser) {
      if (rec.team.empty()) {
        rec.values[u_.team] = store::Value{};
      } else {
        auto team = Team(rec.team);
        if (!team) return team.error();
        rec.values[u_.team] = *team;
      }
    } else if (kind == Kind::kActivity && IsNull(rec.values[a_.contact]) && !IsNull(rec.values[a_.deal])) {
      // As the API: an activity on a deal is also one with the deal's contact.
      auto contact = DealContact(Int(rec.values[a_.deal]));
      if (!contact) return contact.error();
      if (*contact) rec.values[a_.contact] = *contact;
    }
    auto& q = queues_[Idx(kind)];
    q.records.push_back({rec.entry, rec.external_id, std::move(rec.team)});
    for (auto& v : rec.values) q.values.push_back(std::move(v));
    if (q.size() >= batch_[Idx(kind)]) return Flush(kind);
    return {};
  }

  Result<std::int64_t> Team(const std::string& name) {
    if (auto it = teams_.find(name); it != teams_.end()) return it->second;
    auto rows = c_.Query("SELECT id FROM teams WHERE org_id = ? AND name = ?", {org_id_, name});
    if (!rows) return rows.error();
    std::int64_t id = 0;
    if (!rows->empty()) {
      id = rows->front().Int(0);
    } else {
      auto ins = c_.Query("INSERT INTO teams (org_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
                          {org_id_, name, now_});
      if (!ins) return ins.error();
      id = ins->front().Int(0);
    }
    teams_.emplace(name, id);
    return id;
  }

  // The contact of a deal (0 if none).
  Result<std::int64_t> DealContact(std::int64_t deal_id) {
    if (auto it = deal_contact_.find(deal_id); it != deal_contact_.end()) return it->second;
    auto rows = c_.Query("SELECT contact_id FROM deals WHERE id = ?", {deal_id});
    if (!rows) return rows.error();
    std::int64_t contact = rows->empty() ? 0 : rows->front().Int(0);
    deal_contact_.emplace(deal_id, contact);
    return contact;
  }

  // Remembers the officer's local day of a call, for their streak. Calls
  // come roughly in time order per officer, so the day's bounds are kept to
  // spare a time-zone conversion per call.
  Status NoteCallDay(std::int64_t user_id, TimestampMs at) {
    CallDay& d = call_day_[user_id];
    if (at < d.from || at >= d.to) {
      auto tz = UserTimeZone(user_id);
      if (!tz) return tz.error();
      d.date = LocalDate(at, *tz);
      d.from = LocalMidnight(d.date, *tz);
      d.to = LocalMidnight(AddDays(d.date, 1), *tz);
      call_days_.emplace(user_id, d.date);
    }
    return {};
  }

  Result<std::string> UserTimeZone(std::int64_t user_id) {
    if (auto it = user_tz_.find(user_id); it != user_tz_.end()) return it->second;
    auto rows = c_.Query("SELECT timezone FROM users WHERE id = ?", {user_id});
    if (!rows) return rows.error();
    std::string tz = rows->empty() ? "UTC" : rows->front().Str(0);
    user_tz_.emplace(user_id, tz);
    return tz;
  }

  // Writes the queue of `kind`, then each record's mapping, events and
  // side rows.
  Status Flush(Kind kind) {
    auto& q = queues_[Idx(kind)];
    if (q.size() == 0) return {};
    const Layout& l = schema_.Of(kind);
    const std::vector<store::Value>& params = q.values;
    const std::string& sql = q.size() == batch_[Idx(kind)] ? insert_sql_[Idx(kind)]
                                                            : (partial_sql_ = InsertSql(l.table, l.columns, q.size(),
                                                                                        ReturningTail()));
    std::vector<std::int64_t>& ids = flush_ids_;
    ids.clear();
    if (dialect_ == store::Dialect::kSqlite) {
      auto changed = c_.Exec(sql, params);
      if (!changed) return changed.error();
      auto last = c_.Query("SELECT last_insert_rowid()");
      if (!last) return last.error();
      if (*changed != static_cast<std::int64_t>(q.size()) || last->empty())
        return Error::Internal("import: an insert wrote the wrong number of rows");
      std::int64_t first = last->front().Int(0) - static_cast<std::int64_t>(q.size()) + 1;
      for (std::size_t i = 0; i < q.size(); ++i) ids.push_back(first + static_cast<std::int64_t>(i));
    } else {
      auto rows = c_.Query(sql, params);
      if (!rows) return rows.error();
      if (rows->size() != q.size()) return Error::Internal("import: an insert returned the wrong number of ids");
      // Ids are assigned in VALUES order, but RETURNING need not list them
      // in that order.
      for (const auto& r : *rows) ids.push_back(r.Int(0));
      std::sort(ids.begin(), ids.end());
    }
    for (std::size_t i = 0; i < q.size(); ++i) {
      const Queue::Queued& rec = q.records[i];
      rec.entry->local_id = ids[i];
      if (auto st = Map(kind, *rec.external_id, ids[i]); !st) return st;
      if (auto st = Derive(kind, &q.values[i * l.columns.size()], rec.team, ids[i]); !st) return st;
    }
    q.clear();
    return {};
  }

  // Side rows and the events of one written record, at its instants.
  // `v`: the record's values (Layout::columns); `team`: a user's team name.
  Status Derive(Kind kind, const store::Value* v, const std::string& team, std::int64_t id) {
    switch (kind) {
      case Kind::kUser: {
        user_tz_[id] = Str(v[u_.tz]);
        return Event(id, "user_created", "user", id,
                     Meta().Value("role", v[u_.role]).Text("team", team).Done(), Int(v[u_.created]));
      }
      case Kind::kContact: {
        if (!IsNull(v[ct_.last_contacted])) explicit_last_contact_.insert(id);
        auto tags = ParseJson(Str(v[ct_.tags]));
        if (tags && tags->is_array()) {
          for (const auto& t : tags->as_array()) {
            auto& p = tags_.params();
            p.emplace_back(id);
            p.emplace_back(ToLower(t.as_string()));
            if (auto st = tags_.EndRow(c_); !st) return st;
          }
        }
        return Event(Int(v[1]), "contact_created", "contact", id,
                     Meta()
                         .Value("status", v[ct_.status])
                         .Value("source", v[ct_.source])
                         .Json("tags", Str(v[ct_.tags]))
                         .Value("referred_by", v[ct_.referred_by])
                         .Done(),
                     Int(v[ct_.created]));
      }
      case Kind::kDeal: {
        std::int64_t owner = Int(v[1]);
        deal_contact_[id] = Int(v[d_.contact]);
        std::string value = json::serialize(crm::ColumnToJson(*value_field_, store::Row{{v[d_.value]}}, 0));
        auto st = Event(owner, "deal_created", "deal", id,
                        Meta()
                            .Json("value", value)
                            .Value("stage", v[d_.stage])
                            .Value("contact_id", v[d_.contact])
                            .Value("loan_type", v[d_.loan_type])
                            .Done(),
                        Int(v[d_.created]));
        if (!st || IsNull(v[d_.closed_at])) return st;
        std::int64_t closed_at = Int(v[d_.closed_at]);
        return Event(owner, "deal_closed", "deal", id,
                     Meta()
                         .Bool("won", Str(v[d_.stage]) == "Closed Won")
                         .Json("value", value)
                         .Value("contact_id", v[d_.contact])
                         .Value("loan_type", v[d_.loan_type])
                         .Int("days_to_close", (closed_at - Int(v[d_.created])) / kMsPerDay)
                         .Done(),
                     closed_at);
      }
      case Kind::kTask: {
        std::int64_t owner = Int(v[1]);
        auto st = Event(owner, "task_created", "task", id,
                        Meta()
                            .Value("priority", v[t_.priority])
                            .Bool("has_due_date", !IsNull(v[t_.due_date]))
                            .Value("due_date", v[t_.due_date])
                            .Value("contact_id", v[t_.contact])
                            .Value("deal_id", v[t_.deal])
                            .Done(),
                        Int(v[t_.created]));
        if (!st || IsNull(v[t_.completed_at])) return st;
        std::int64_t done = Int(v[t_.completed_at]);
        auto tz = UserTimeZone(owner);
        if (!tz) return tz.error();
        bool overdue = !IsNull(v[t_.due_date]) && Str(v[t_.due_date]) < LocalDate(done, *tz);
        return Event(owner, "task_completed", "task", id,
                     Meta()
                         .Value("priority", v[t_.priority])
                         .Int("days_to_complete", (done - Int(v[t_.created])) / kMsPerDay)
                         .Bool("was_overdue", overdue)
                         .Value("contact_id", v[t_.contact])
                         .Value("deal_id", v[t_.deal])
                         .Done(),
                     done);
      }
      case Kind::kActivity: {
        const std::string& type = Str(v[a_.type]);
        std::int64_t occurred = Int(v[a_.occurred]);
        if (!IsNull(v[a_.contact]) && (type == "call" || type == "text" || type == "email" || type == "meeting")) {
          auto [it, fresh] = last_contact_.try_emplace(Int(v[a_.contact]), occurred);
          if (!fresh && it->second < occurred) it->second = occurred;
        }
        if (type == "call")
          if (auto st = NoteCallDay(Int(v[1]), occurred); !st) return st;
        return Event(Int(v[1]), type + "_logged", "activity", id,
                     Meta()
                         .Value("outcome", v[a_.outcome])
                         .Text("occurred_at", FormatIso(occurred))
                         .Value("duration_seconds", v[a_.duration])
                         .Value("contact_id", v[a_.contact])
                         .Value("deal_id", v[a_.deal])
                         .Value("topic", v[a_.topic])
                         .Json("tags", Str(v[a_.tags]))
                         .Done(),
                     occurred);
      }
    }
    return {};
  }

  Status Finish() {
    if (!writing()) return {};
    for (Kind k : kAllKinds)
      if (auto st = Flush(k); !st) return st;
    if (auto st = tags_.Flush(c_); !st) return st;
    if (auto st = events_.Flush(c_); !st) return st;
    if (auto st = mappings_.Flush(c_); !st) return st;
    // last_contacted_at: the file's value when it gives one, else the
    // latest imported call, text, email or meeting (never moved back).
    std::vector<std::pair<std::int64_t, std::int64_t>> touched(last_contact_.begin(), last_contact_.end());
    std::sort(touched.begin(), touched.end());
    for (const auto& [contact, at] : touched) {
      if (explicit_last_contact_.contains(contact)) continue;
      auto r = c_.Exec(
          "UPDATE contacts SET last_contacted_at = ? WHERE id = ? AND "
          "(last_contacted_at IS NULL OR last_contacted_at < ?)",
          {at, contact, at});
      if (!r) return r.error();
    }
    // The call streak sees the history (points, badges and levels wait for
    // an admin's POST /api/game/recompute).
    for (const auto& [user, day] : call_days_)
      if (auto r = c_.Exec("INSERT INTO streak_days (user_id, day) VALUES (?, ?) ON CONFLICT (user_id, day) DO NOTHING",
                           {user, day});
          !r)
        return r.error();
    // What the pattern engine learned from the org as a whole (the lead
    // model, the success patterns) and its officers' personal bests
    // predate this history: dropped, so the next read, sweep or call learns
    // again from all of it.
    for (const char* sql : {"DELETE FROM lead_models WHERE org_id = ?", "DELETE FROM success_runs WHERE org_id = ?",
                            "DELETE FROM personal_bests WHERE user_id IN (SELECT id FROM users WHERE org_id = ?)"})
      if (auto r = c_.Exec(sql, {org_id_}); !r) return r.error();
    return {};
  }

  store::Connection& c_;
  const store::Dialect dialect_;
  const Schema& schema_;
  const ImportOptions& options_;
  const TimestampMs now_;
  std::int64_t org_id_ = 0;
  std::int64_t current_line_ = 0;
  ImportReport report_;

  std::array<Registry, kKindCount> registry_;
  std::array<Queue, kKindCount> queues_;
  Record line_record_;
  std::array<std::string, kKindCount> insert_sql_;
  std::array<std::size_t, kKindCount> batch_{};
  RowQueue events_, mappings_, tags_;
  std::vector<std::int64_t> flush_ids_;  // Flush's, kept for its capacity
  std::string partial_sql_;

  std::unordered_map<std::string, std::int64_t> emails_;  // email -> line
  std::unordered_map<std::string, std::int64_t> teams_;   // name -> id
  std::unordered_map<std::int64_t, std::int64_t> deal_contact_;
  std::unordered_map<std::int64_t, std::string> user_tz_;
  std::unordered_map<std::int64_t, std::int64_t> last_contact_;  // contact -> latest contact activity
  struct CallDay {
    TimestampMs from = 0, to = 0;  // the local day's bounds
    std::string date;
  };
  std::unordered_map<std::int64_t, CallDay> call_day_;          // officer -> day of their last call
  std::set<std::pair<std::int64_t, std::string>> call_days_;    // (officer, local date) with a call
  std::unordered_set<std::int64_t> explicit_last_contact_;

  // Column indexes.
  struct {
    int team, email, role, password, tz, created, updated;
  } u_{};
  struct {
    int status, source, tags, referred_by, last_contacted, created, updated;
  } ct_{};
  struct {
    int contact, value, loan_type, stage, stage_changed_at, closed_at, created, updated;
  } d_{};
  const crm::Field* value_field_ = nullptr;
  struct {
    int priority, status, due_date, due_time, contact, deal, completed_at, created, updated;
  } t_{};
  struct {
    int type, outcome, occurred, duration, contact, deal, topic, tags, created;
  } a_{};
};

}  // namespace

std::string LineError::ToString() const {
  if (field.empty()) return fmt::format("line {}: {}", line, message);
  return fmt::format("line {}: {}: {}", line, field, message);
}

json::object ImportReport::ToJson() const {
  json::object counts_json;
  for (Kind k : kAllKinds) {
    const KindCounts& c = Of(k);
    counts_json[KindName(k)] = {
        {"imported", c.imported}, {"already_present", c.already_present}, {"rejected", c.rejected}};
  }
  json::array errors_json;
  for (const LineError& e : errors) {
    json::object o{{"line", e.line}};
    if (!e.field.empty()) o["field"] = e.field;
    o["message"] = e.message;
    errors_json.push_back(std::move(o));
  }
  return {{"org", org},
          {"partial", partial},
          {"committed", committed},
          {"lines", lines},
          {"counts", std::move(counts_json)},
          {"rejected_lines", rejected_lines},
          {"events", events},
          {"errors", std::move(errors_json)},
          {"error_count", error_count},
          {"seconds", seconds}};
}

std::string ImportReport::Summary() const {
  std::string out;
  if (committed)
    out += fmt::format("imported into '{}': {} lines in {:.2f} s ({:.0f} lines/s)\n", org, lines, seconds,
                       seconds > 0 ? static_cast<double>(lines) / seconds : 0.0);
  else
    out += fmt::format("nothing imported into '{}': {} of {} lines are invalid (use --partial to import the rest)\n",
                       org, rejected_lines, lines);
  for (Kind k : kAllKinds) {
    const KindCounts& c = Of(k);
    out += fmt::format("  {:<9} {:>9} imported {:>9} already present {:>7} rejected\n", KindName(k), c.imported,
                       c.already_present, c.rejected);
  }
  if (committed) out += fmt::format("  {} events derived\n", events);
  for (const LineError& e : errors) out += e.ToString() + "\n";
  if (error_count > static_cast<std::int64_t>(errors.size()))
    out += fmt::format("... and {} more invalid lines\n", error_count - static_cast<std::int64_t>(errors.size()));
  return out;
}

Result<ImportReport> Import(store::Database& db, const Clock& clock, std::string_view text,
                            const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ImportOptions opts = options;
  opts.org = Trim(options.org);
  if (opts.org.empty() || CharCount(opts.org) > 120 || !IsCleanText(opts.org, false))
    return Error::Invalid("org is required (at most 120 characters of plain text)", "org");
  Schema schema(db);
  TimestampMs now = clock.Now();
  std::optional<ImportReport> report;
  bool rolled_back = false;
  SqliteTuning tuning(db);
  // Everything happens in this transaction; the callback starts afresh if the
  // database runs it again.
  auto st = db.Write([&](store::Connection& c) -> Status {
    rolled_back = false;
    Importer importer(c, db.dialect(), schema, opts, now);
    if (auto s = importer.Start(); !s) return s;
    if (auto s = importer.Run(text); !s) return s;
    report = std::move(importer.report());
    if (importer.must_roll_back()) {
      rolled_back = true;
      return Error::Invalid("invalid lines; nothing imported");
    }
    return {};
  });
  if (!st && !rolled_back) return st.error();
  report->committed = !rolled_back;
  if (rolled_back)
    for (auto& c : report->counts) c.imported = 0;
  if (rolled_back) report->events = 0;
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return std::move(*report);
}

}  // namespace chosen::transfer
