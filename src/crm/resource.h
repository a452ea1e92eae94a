// A CRM resource (contacts, deals, tasks, activities) described by a table of
// fields: one generic, tested implementation of validation, access control,
// create / read / update / delete / list, with per-resource hooks for derived
// columns and the events each mutation writes. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/json_util.h"
#include "crm/events.h"
#include "crm/query.h"
#include "store/db.h"

namespace chosen::crm {

enum class FieldType {
  kText,       // one line of text
  kLongText,   // multi-line text (notes)
  kEnum,       // one of `values`
  kInt,        // whole number in [min, max]
  kMoney,      // non-negative amount in dollars, stored as cents
  kTimestamp,  // RFC 3339 in JSON, epoch ms in SQL
  kDate,       // "YYYY-MM-DD"
  kTimeOfDay,  // "HH:MM"
  kRef,        // id of a record in `ref_table` the actor can read
  kTags,       // array of short strings, stored as JSON text
  kTimeZone,   // IANA name
  kEmail,
  kPhone,
};

struct Field {
  std::string_view name;    // JSON key
  std::string_view column;  // SQL column
  FieldType type = FieldType::kText;
  bool required = false;  // must be present (non-null) on create and PUT
  bool writable = true;   // false: output only, silently ignored in input
  std::vector<std::string_view> values = {};  // kEnum
  std::string_view default_value = {};        // kEnum default when absent on create
  std::size_t max_len = 200;
  std::string_view ref_table = {};
  std::int64_t min = 0;
  std::int64_t max = 0;
};

// Column values to write, in order. Hooks may add derived columns.
class Changes {
 public:
  void Set(std::string_view column, store::Value v);
  const store::Value* Get(std::string_view column) const;
  bool Has(std::string_view column) const { return Get(column) != nullptr; }
  const std::vector<std::pair<std::string, store::Value>>& columns() const { return cols_; }

 private:
  std::vector<std::pair<std::string, store::Value>> cols_;
};

// What a hook sees: the open write transaction, who acts, and when.
struct WriteContext {
  store::Connection& conn;
  const auth::Actor& actor;
  TimestampMs now;
};

class Resource {
 public:
  struct Spec {
    std::string_view singular;  // "contact": event prefix, messages
    std::string_view table;     // "contacts"
    std::vector<Field> fields;
    std::vector<SortKey> sort_keys;  // id, created_at and updated_at are added
    std::string_view default_sort = "-id";
    bool has_updated_at = true;
    bool mutable_after_create = true;  // false: no PATCH/PUT/DELETE (activities)
  };

  // `events` receives every event this resource writes; it must outlive the
  // resource.
  Resource(store::Database& db, const Clock& clock, const EventLog& events, Spec spec);
  virtual ~Resource() = default;
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  const Spec& spec() const { return spec_; }

  // Validates `in` and creates a record owned by `owner_id` in `in` (or the
  // actor). Returns the stored record. kInvalidArgument naming the field,
  // kPermissionDenied when the actor may not assign that owner.
  Result<json::object> Create(const auth::Actor& actor, const json::object& in);

  // Validates every element first, then creates all in one transaction:
  // either every record is written or none is. Errors name "[i].field".
  Result<std::vector<std::int64_t>> CreateMany(const auth::Actor& actor, const json::array& in);

  // kNotFound if no such record is visible to the actor.
  Result<json::object> Get(const auth::Actor& actor, std::int64_t id);

  // PATCH (`replace` false: only given fields change) or PUT (`replace`
  // true: required fields must be present, absent ones reset). kNotFound if
  // not visible, kPermissionDenied if visible but read-only to the actor.
  Result<json::object> Update(const auth::Actor& actor, std::int64_t id, const json::object& in, bool replace);

  Status Delete(const auth::Actor& actor, std::int64_t id);

  // Lists visible records filtered by `params` (see each resource's
  // filters), sorted, one page at a time. Unknown parameters are rejected.
  Result<Page> List(const auth::Actor& actor, const QueryParams& params);

 protected:
  // Derived columns and cross-field validation before a write. `before` is
  // null on create.
  virtual Status Prepare(WriteContext&, const json::object* /*before*/, Changes& /*changes*/) { return {}; }
  // Events and side tables after the row is written.
  virtual Status Finish(WriteContext&, const json::object* before, const json::object& after) = 0;
  // Checks and events when deleting.
  virtual Status OnDelete(WriteContext&, const json::object& before) = 0;
  // Handles a resource-specific list parameter; returns false if unknown.
  virtual Result<bool> Filter(const auth::Actor& /*actor*/, std::string_view /*key*/, std::string_view /*value*/,
                              ListQuery& /*q*/) {
    return false;
  }

  // Reads one row as JSON inside a transaction (no access check).
  Result<json::object> Load(store::Connection& c, std::int64_t id);

  // Appends an event about record `id` owned by `owner` (adding actor_id
  // when someone else acted); `context` goes to the observers only.
  Status Emit(WriteContext& w, std::int64_t owner, std::string_view action, std::string_view entity_type,
              std::int64_t id, json::object meta, json::object context = {});

  store::Database& db_;
  const Clock& clock_;
  const EventLog& events_;

 private:
  Result<Changes> Parse(const json::object& in, bool create_or_replace, const std::string& prefix) const;
  Status CheckRefs(WriteContext& ctx, const Changes& changes, const std::string& prefix) const;
  Result<std::int64_t> Insert(WriteContext& ctx, Changes changes);
  std::string SelectList() const;
  json::object RowToJson(const store::Row& row) const;
  // Appends RowToJson(row) as JSON text, without the DOM (list pages).
  void AppendRowJson(std::string& out, const store::Row& row) const;

  Spec spec_;
};

// Converts one JSON value to its column value per the field's rules (the
// checks every API write applies: type, length, clean text, enum values,
// ranges, formats). Null is the caller's business. kInvalidArgument naming
// `f.name` otherwise. Shared with the importer (src/transfer).
Result<store::Value> ParseFieldValue(const Field& f, const json::value& v);

// The JSON form of column `i` of `row` for field `f` (the inverse of
// ParseFieldValue): money in dollars, instants as RFC 3339, tags as an
// array; NULL is null, or [] for tags.
json::value ColumnToJson(const Field& f, const store::Row& row, std::size_t i);

// True when `actor` may read records owned by `owner_id` (in the actor's
// org): self; a manager's team member; anyone for an admin.
Result<bool> CanRead(store::Connection& c, const auth::Actor& actor, std::int64_t owner_id);

// Adds "actor_id" to event metadata when someone other than the owner acted.
json::object EventMeta(const auth::Actor& actor, std::int64_t owner_id, json::object meta);

}  // namespace chosen::crm
