#include "transfer/schema.h"

#include <cstdlib>
#include <memory>

#include <spdlog/spdlog.h>

#include "crm/resources.h"

namespace chosen::transfer {
namespace {

const std::vector<std::string_view> kRoles = {"officer", "manager", "admin"};

// File keys that differ from the API's field names.
std::string_view FileKey(Kind kind, std::string_view api_name) {
  if (api_name == "contact_id") return "contact";
  if (api_name == "deal_id") return "deal";
  if (kind == Kind::kActivity && api_name == "type") return "activity_type";
  return api_name;
}

Kind RefKind(std::string_view table) { return table == "deals" ? Kind::kDeal : Kind::kContact; }

Key Timestamp(std::string_view name, int column) {
  return {.name = name, .field = {.name = name, .column = name, .type = crm::FieldType::kTimestamp}, .column = column};
}

Layout UserLayout() {
  Layout l;
  l.kind = Kind::kUser;
  l.table = "users";
  l.columns = {"org_id", "team_id", "email",    "name",      "role",
               "password_hash", "timezone", "created_at", "updated_at"};
  // The same rules as Accounts::AddUser and the API's profile fields.
  l.keys = {
      {.name = "email",
       .field = {.name = "email", .column = "email", .type = crm::FieldType::kEmail, .required = true, .max_len = 254},
       .column = 2,
       .required = true},
      {.name = "name",
       .field = {.name = "name", .column = "name", .required = true, .max_len = 120},
       .column = 3,
       .required = true},
      {.name = "role",
       .field = {.name = "role", .column = "role", .type = crm::FieldType::kEnum, .values = kRoles,
                 .default_value = "officer"},
       .column = 4},
      {.name = "team", .field = {.name = "team", .column = "team_id", .max_len = 120}, .column = 1},
      {.name = "timezone",
       .field = {.name = "timezone", .column = "timezone", .type = crm::FieldType::kTimeZone, .default_value = "UTC",
                 .max_len = 64},
       .column = 6},
      Timestamp("created_at", 7),
  };
  return l;
}

Layout FromResource(Kind kind, const crm::Resource::Spec& spec) {
  Layout l;
  l.kind = kind;
  l.table = spec.table;
  l.columns = {"org_id", "owner_id"};
  l.keys.push_back({.name = "owner",
                    .field = {.name = "owner", .column = "owner_id", .type = crm::FieldType::kRef},
                    .column = 1,
                    .ref = Kind::kUser,
                    .required = true});
  for (const crm::Field& f : spec.fields) {
    Key k;
    k.name = FileKey(kind, f.name);
    k.field = f;
    k.field.name = k.name;
    k.column = static_cast<int>(l.columns.size());
    if (f.type == crm::FieldType::kRef) k.ref = RefKind(f.ref_table);
    // The format requires when an activity happened; the API defaults it to now.
    k.required = f.required || (kind == Kind::kActivity && f.name == "occurred_at");
    l.columns.push_back(f.column);
    l.keys.push_back(std::move(k));
  }
  l.columns.push_back("created_at");
  // Activities take created_at from occurred_at; the format has no key for it.
  if (kind != Kind::kActivity) l.keys.push_back(Timestamp("created_at", static_cast<int>(l.columns.size()) - 1));
  if (spec.has_updated_at) {
    l.columns.push_back("updated_at");
    l.keys.push_back(Timestamp("updated_at", static_cast<int>(l.columns.size()) - 1));
  }
  return l;
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kUser: return "user";
    case Kind::kContact: return "contact";
    case Kind::kDeal: return "deal";
    case Kind::kTask: return "task";
    case Kind::kActivity: return "activity";
  }
  return "user";
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (Kind k : kAllKinds)
    if (KindName(k) == name) return k;
  return std::nullopt;
}

int Layout::Column(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == column) return static_cast<int>(i);
  spdlog::critical("transfer: table {} has no column {}", table, column);
  std::abort();
}

const Key* Layout::FindKey(std::string_view name) const {
  for (const Key& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

Schema::Schema(store::Database& db) {
  // The resources are built only to read their field tables (whose strings
  // are literals, so the copies outlive them).
  SystemClock clock;
  crm::EventLog events;
  layouts_[static_cast<std::size_t>(Kind::kUser)] = UserLayout();
  layouts_[static_cast<std::size_t>(Kind::kContact)] =
      FromResource(Kind::kContact, crm::MakeContacts(db, clock, events)->spec());
  layouts_[static_cast<std::size_t>(Kind::kDeal)] = FromResource(Kind::kDeal, crm::MakeDeals(db, clock, events)->spec());
  layouts_[static_cast<std::size_t>(Kind::kTask)] = FromResource(Kind::kTask, crm::MakeTasks(db, clock, events)->spec());
  layouts_[static_cast<std::size_t>(Kind::kActivity)] =
      FromResource(Kind::kActivity, crm::MakeActivities(db, clock, events)->spec());
}

}  // namespace chosen::transfer
