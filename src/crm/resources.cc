#include "crm/resources.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::crm {

const std::vector<std::string_view> kContactStatuses = {"LEAD",   "PROSPECT",    "APPLICANT",
                                                        "CLIENT", "PAST_CLIENT", "REFERRAL_PARTNER"};
const std::vector<std::string_view> kDealStages = {"Lead",         "Pre-Approval",   "Application",
                                                   "Processing",   "Underwriting",   "Clear to Close",
                                                   "Closed Won",   "Closed Lost"};
const std::vector<std::string_view> kLoanTypes = {"Conventional", "FHA", "VA", "USDA", "Jumbo", "Refinance"};
const std::vector<std::string_view> kActivityTypes = {"call",       "text",        "email", "meeting",
                                                      "video_post", "social_post", "note"};

Status CheckActivityOutcome(std::string_view type, std::string_view outcome) {
  bool call_only = outcome == "answered" || outcome == "no_answer" || outcome == "voicemail";
  if (call_only && type != "call")
    return Error::Invalid(fmt::format("outcome '{}' applies only to calls", outcome), "outcome");
  return {};
}

Status CheckOccurredAt(TimestampMs occurred_at, TimestampMs now) {
  if (occurred_at > now + 5 * kMsPerMinute) return Error::Invalid("occurred_at cannot be in the future", "occurred_at");
  return {};
}

Status CheckDueTime(bool has_due_date, bool has_due_time) {
  if (has_due_time && !has_due_date) return Error::Invalid("due_time needs a due_date", "due_time");
  return {};
}

namespace {

const std::vector<std::string_view> kDealPurposes = {"Purchase", "Rate/Term Refinance", "Cash-Out Refinance",
                                                     "Construction", "Home Equity"};
const std::vector<std::string_view> kOutcomes = {"answered",  "no_answer",        "voicemail",
                                                 "appointment_set", "application_taken"};

std::int64_t MsOf(const json::value& iso) {
  if (!iso.is_string()) return 0;
  auto r = ParseIso(iso.as_string(), "t");
  return r ? *r : 0;
}

// Names of fields whose values differ, ignoring bookkeeping.
json::array ChangedFields(const json::object& before, const json::object& after) {
  json::array out;
  for (const auto& kv : after) {
    std::string_view k = kv.key();
    if (k == "updated_at" || k == "org_id") continue;
    auto it = before.find(k);
    if (it == before.end() || it->value() != kv.value()) out.emplace_back(k);
  }
  return out;
}

bool Contains(const json::array& a, std::string_view s) {
  for (const auto& v : a)
    if (v.is_string() && v.as_string() == s) return true;
  return false;
}

// Adds a "q" text search over `columns` (case-insensitive substring).
Status AddSearch(std::string_view value, std::initializer_list<std::string_view> columns, ListQuery& q) {
  if (value.empty() || CharCount(value) > 100) return Error::Invalid("q must be 1 to 100 characters", "q");
  std::string pattern = "%";
  for (char c : ToLower(value)) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  std::string clause;
  std::vector<store::Value> params;
  for (auto col : columns) {
    clause += fmt::format("{}lower({}) LIKE ? ESCAPE '\\'", clause.empty() ? "" : " OR ", col);
    params.emplace_back(pattern);
  }
  q.Where(clause, std::move(params));
  return {};
}

Result<bool> TimeFilter(std::string_view key, std::string_view value, std::string_view since_key,
                        std::string_view until_key, std::string_view column, ListQuery& q) {
  if (key != since_key && key != until_key) return false;
  auto ms = ParseIso(value, key);
  if (!ms) return ms.error();
  q.Where(fmt::format("{} {} ?", column, key == since_key ? ">=" : "<"), {*ms});
  return true;
}

// ---------------------------------------------------------------- contacts

class Contacts final : public Resource {
 public:
  Contacts(store::Database& db, const Clock& clock, const EventLog& events)
      : Resource(db, clock, events,
                 {.singular = "contact",
                  .table = "contacts",
                  .fields =
                      {
                          {.name = "name", .column = "name", .required = true, .max_len = 120},
                          {.name = "email", .column = "email", .type = FieldType::kEmail, .max_len = 254},
                          {.name = "phone", .column = "phone", .type = FieldType::kPhone, .max_len = 32},
                          {.name = "timezone", .column = "timezone", .type = FieldType::kTimeZone, .max_len = 64},
                          {.name = "status",
                           .column = "status",
                           .type = FieldType::kEnum,
                           .values = kContactStatuses,
                           .default_value = "LEAD"},
                          {.name = "source", .column = "source", .max_len = 64},
                          {.name = "tags", .column = "tags", .type = FieldType::kTags},
                          {.name = "referred_by", .column = "referred_by", .type = FieldType::kRef,
                           .ref_table = "contacts"},
                          {.name = "notes", .column = "notes", .type = FieldType::kLongText, .max_len = 10000},
                          {.name = "last_contacted_at",
                           .column = "last_contacted_at",
                           .type = FieldType::kTimestamp,
                           .writable = false},
                      },
                  .sort_keys = {{"name", "name", true},
                                {"last_contacted_at", "last_contacted_at", false, true, "9223372036854775807", "-1"}},
                  .default_sort = "-id"}) {}

 protected:
  Status Prepare(WriteContext& w, const json::object* before, Changes& changes) override {
    const store::Value* ref = changes.Get("referred_by");
    if (!ref || std::holds_alternative<std::monostate>(*ref)) return {};
    std::int64_t ref_id = std::get<std::int64_t>(*ref);
    if (before && (*before).at("id").as_int64() == ref_id)
      return Error::Invalid("a contact cannot refer themself", "referred_by");
    auto rows = w.conn.Query("SELECT status FROM contacts WHERE id = ?", {ref_id});
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().Str(0) != "REFERRAL_PARTNER")
      return Error::Invalid(fmt::format("referred_by must be a REFERRAL_PARTNER contact; {} is not", ref_id),
                            "referred_by");
    return {};
  }

  Status Finish(WriteContext& w, const json::object* before, const json::object& after) override {
    std::int64_t id = after.at("id").as_int64(), owner = after.at("owner_id").as_int64();
    if (!before || before->at("tags") != after.at("tags")) {
      if (before) {
        if (auto r = w.conn.Exec("DELETE FROM contact_tags WHERE contact_id = ?", {id}); !r) return r.error();
      }
      for (const auto& t : after.at("tags").as_array()) {
        auto r = w.conn.Exec("INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?)",
                             {id, ToLower(t.as_string())});
        if (!r) return r.error();
      }
    }
    if (!before) {
      return Emit(w, owner, "contact_created", "contact", id,
                         {{"status", after.at("status")},
                                    {"source", after.at("source")},
                                    {"tags", after.at("tags")},
                                    {"referred_by", after.at("referred_by")}});
    }
    json::array changed = ChangedFields(*before, after);
    if (changed.empty()) return {};
    if (Contains(changed, "status")) {
      auto st = Emit(w, owner, "contact_status_changed", "contact", id,
                            {{"old_status", before->at("status")}, {"new_status", after.at("status")}});
      if (!st) return st;
    }
    if (Contains(changed, "owner_id")) {
      auto st = Emit(w, owner, "contact_assigned", "contact", id,
                            {{"from_owner_id", before->at("owner_id")}, {"to_owner_id", owner},
                                       {"status", after.at("status")}});
      if (!st) return st;
    }
    return Emit(w, owner, "contact_updated", "contact", id,
                       {{"fields", changed}});
  }

  Status OnDelete(WriteContext& w, const json::object& before) override {
    std::int64_t id = before.at("id").as_int64(), owner = before.at("owner_id").as_int64();
    auto rows = w.conn.Query("SELECT COUNT(*) FROM deals WHERE contact_id = ?", {id});
    if (!rows) return rows.error();
    if (std::int64_t n = rows->front().Int(0); n > 0)
      return Error::Conflict(fmt::format("contact {} has {} deal(s); delete or reassign them first", id, n));
    return Emit(w, owner, "contact_deleted", "contact", id,
                       {{"name", before.at("name")}, {"status", before.at("status")}});
  }

  Result<bool> Filter(const auth::Actor&, std::string_view key, std::string_view value, ListQuery& q) override {
    if (key == "q") {
      if (auto st = AddSearch(value, {"name", "email", "phone"}, q); !st) return st.error();
      return true;
    }
    if (key == "tag") {
      if (value.empty() || CharCount(value) > 40) return Error::Invalid("tag must be 1 to 40 characters", "tag");
      q.Where("id IN (SELECT contact_id FROM contact_tags WHERE tag = ?)", {ToLower(value)});
      return true;
    }
    if (key == "source") {
      if (CharCount(value) > 64) return Error::Invalid("source is too long", "source");
      q.Where("lower(source) = ?", {ToLower(value)});
      return true;
    }
    if (key == "not_contacted_since") {
      // Never contacted, or last contacted before the instant.
      auto ms = ParseIso(value, key);
      if (!ms) return ms.error();
      q.Where("(last_contacted_at IS NULL OR last_contacted_at < ?)", {*ms});
      return true;
    }
    return TimeFilter(key, value, "created_since", "created_before", "created_at", q);
  }
};

// ------------------------------------------------------------------- deals

bool IsClosed(const json::value& stage) {
  return stage.is_string() && (stage.as_string() == "Closed Won" || stage.as_string() == "Closed Lost");
}

class Deals final : public Resource {
 public:
  Deals(store::Database& db, const Clock& clock, const EventLog& events)
      : Resource(db, clock, events,
                 {.singular = "deal",
                  .table = "deals",
                  .fields =
                      {
                          {.name = "contact_id", .column = "contact_id", .type = FieldType::kRef,
                           .ref_table = "contacts"},
                          {.name = "title", .column = "title", .required = true, .max_len = 200},
                          {.name = "value", .column = "value_cents", .type = FieldType::kMoney},
                          {.name = "loan_type", .column = "loan_type", .type = FieldType::kEnum,
                           .values = kLoanTypes},
                          {.name = "purpose", .column = "purpose", .type = FieldType::kEnum,
                           .values = kDealPurposes},
                          {.name = "stage",
                           .column = "stage",
                           .type = FieldType::kEnum,
                           .values = kDealStages,
                           .default_value = "Lead"},
                          {.name = "stage_changed_at",
                           .column = "stage_changed_at",
                           .type = FieldType::kTimestamp,
                           .writable = false},
                          {.name = "expected_close_date", .column = "expected_close_date", .type = FieldType::kDate},
                          {.name = "closed_at", .column = "closed_at", .type = FieldType::kTimestamp,
                           .writable = false},
                      },
                  .sort_keys = {{"title", "title", true},
                                {"value", "value_cents"},
                                {"stage_changed_at", "stage_changed_at"},
                                {"expected_close_date", "expected_close_date", true, true, "9999-12-31",
                                 "0000-00-00"}},
                  .default_sort = "-id"}) {}

 protected:
  Status Prepare(WriteContext& w, const json::object* before, Changes& changes) override {
    if (!changes.Has("value_cents") && !before) changes.Set("value_cents", std::int64_t{0});
    if (changes.Has("value_cents") && std::holds_alternative<std::monostate>(*changes.Get("value_cents")))
      changes.Set("value_cents", std::int64_t{0});
    const store::Value* stage = changes.Get("stage");
    if (!stage) return {};
    // A copy: Set() below may reallocate what `stage` points into.
    const std::string s = std::get<std::string>(*stage);
    if (before && before->at("stage").as_string() == s) return {};
    changes.Set("stage_changed_at", w.now);
    bool closed = s == "Closed Won" || s == "Closed Lost";
    changes.Set("closed_at", closed ? store::Value{w.now} : store::Value{});
    return {};
  }

  Status Finish(WriteContext& w, const json::object* before, const json::object& after) override {
    std::int64_t id = after.at("id").as_int64(), owner = after.at("owner_id").as_int64();
    auto closed_event = [&]() {
      std::int64_t days = (w.now - MsOf(after.at("created_at"))) / kMsPerDay;
      return Emit(w, owner, "deal_closed", "deal", id,
                         {{"won", after.at("stage").as_string() == "Closed Won"},
                                    {"value", after.at("value")},
                                    {"contact_id", after.at("contact_id")},
                                    {"loan_type", after.at("loan_type")},
                                    {"days_to_close", days}});
    };
    if (!before) {
      auto st = Emit(w, owner, "deal_created", "deal", id,
                            {{"value", after.at("value")},
                                       {"stage", after.at("stage")},
                                       {"contact_id", after.at("contact_id")},
                                       {"loan_type", after.at("loan_type")}});
      if (!st || !IsClosed(after.at("stage"))) return st;
      return closed_event();
    }
    json::array changed = ChangedFields(*before, after);
    if (changed.empty()) return {};
    if (before->at("stage") != after.at("stage")) {
      std::int64_t days_in_stage = (w.now - MsOf(before->at("stage_changed_at"))) / kMsPerDay;
      auto st = Emit(w, owner, "deal_stage_changed", "deal", id,
                            {{"old_stage", before->at("stage")},
                                       {"new_stage", after.at("stage")},
                                       {"days_in_stage", days_in_stage},
                                       {"value", after.at("value")}});
      if (!st) return st;
      if (IsClosed(after.at("stage"))) {
        if (auto c = closed_event(); !c) return c;
      } else if (IsClosed(before->at("stage"))) {
        auto r = Emit(w, owner, "deal_reopened", "deal", id,
                             {{"old_stage", before->at("stage")}});
        if (!r) return r;
      }
    }
    return Emit(w, owner, "deal_updated", "deal", id,
                       {{"fields", changed}});
  }

  Status OnDelete(WriteContext& w, const json::object& before) override {
    std::int64_t id = before.at("id").as_int64(), owner = before.at("owner_id").as_int64();
    return Emit(w, owner, "deal_deleted", "deal", id,
                       {{"title", before.at("title")}, {"stage", before.at("stage")}});
  }

  Result<bool> Filter(const auth::Actor&, std::string_view key, std::string_view value, ListQuery& q) override {
    if (key == "q") {
      if (auto st = AddSearch(value, {"title"}, q); !st) return st.error();
      return true;
    }
    if (key == "open") {
      auto b = ParseBool(value, key);
      if (!b) return b.error();
      q.Where(*b ? "stage NOT IN ('Closed Won', 'Closed Lost')" : "stage IN ('Closed Won', 'Closed Lost')");
      return true;
    }
    if (key == "min_value" || key == "max_value") {
      char* end = nullptr;
      std::string s(value);
      double d = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !(d >= 0) || d > 1e11)
        return Error::Invalid(fmt::format("{} must be a non-negative number", key), std::string(key));
      q.Where(key == "min_value" ? "value_cents >= ?" : "value_cents <= ?",
              {static_cast<std::int64_t>(std::llround(d * 100))});
      return true;
    }
    if (key == "closing_before" || key == "closing_after") {
      if (auto st = ValidateDate(value, key); !st) return st.error();
      q.Where(key == "closing_before" ? "expected_close_date < ?" : "expected_close_date > ?", {std::string(value)});
      return true;
    }
    return TimeFilter(key, value, "created_since", "created_before", "created_at", q);
  }
};

// ------------------------------------------------------------------- tasks

class Tasks final : public Resource {
 public:
  Tasks(store::Database& db, const Clock& clock, const EventLog& events)
      : Resource(db, clock, events,
                 {.singular = "task",
                  .table = "tasks",
                  .fields =
                      {
                          {.name = "title", .column = "title", .required = true, .max_len = 200},
                          {.name = "notes", .column = "notes", .type = FieldType::kLongText, .max_len = 10000},
                          {.name = "priority",
                           .column = "priority",
                           .type = FieldType::kEnum,
                           .values = {"low", "medium", "high", "urgent"},
                           .default_value = "medium"},
                          {.name = "status",
                           .column = "status",
                           .type = FieldType::kEnum,
                           .values = {"pending", "in_progress", "completed"},
                           .default_value = "pending"},
                          {.name = "due_date", .column = "due_date", .type = FieldType::kDate},
                          {.name = "due_time", .column = "due_time", .type = FieldType::kTimeOfDay},
                          {.name = "contact_id", .column = "contact_id", .type = FieldType::kRef,
                           .ref_table = "contacts"},
                          {.name = "deal_id", .column = "deal_id", .type = FieldType::kRef, .ref_table = "deals"},
                          {.name = "completed_at", .column = "completed_at", .type = FieldType::kTimestamp,
                           .writable = false},
                      },
                  .sort_keys = {{"due_date", "due_date", true, true, "9999-12-31", "0000-00-00"},
                                {"priority",
                                 "CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 "
                                 "ELSE 1 END"},
                                {"title", "title", true}},
                  .default_sort = "due_date"}) {}

 protected:
  Status Prepare(WriteContext& w, const json::object* before, Changes& changes) override {
    auto value_or_before = [&](std::string_view col) -> bool {
      if (const store::Value* v = changes.Get(col)) return !std::holds_alternative<std::monostate>(*v);
      return before && !before->at(col).is_null();
    };
    if (auto st = CheckDueTime(value_or_before("due_date"), value_or_before("due_time")); !st) return st;
    const store::Value* status = changes.Get("status");
    if (!status) return {};
    bool completed = std::get<std::string>(*status) == "completed";
    bool was_completed = before && before->at("status").as_string() == "completed";
    if (completed && !was_completed) changes.Set("completed_at", w.now);
    if (!completed) changes.Set("completed_at", store::Value{});
    return {};
  }

  Status Finish(WriteContext& w, const json::object* before, const json::object& after) override {
    std::int64_t id = after.at("id").as_int64(), owner = after.at("owner_id").as_int64();
    auto completed_event = [&]() {
      std::string today = LocalDate(w.now, w.actor.timezone);
      bool overdue = after.at("due_date").is_string() && std::string_view(after.at("due_date").as_string()) < today;
      return Emit(w, owner, "task_completed", "task", id,
                         {{"priority", after.at("priority")},
                                    {"days_to_complete", (w.now - MsOf(after.at("created_at"))) / kMsPerDay},
                                    {"was_overdue", overdue},
                                    {"contact_id", after.at("contact_id")},
                                    {"deal_id", after.at("deal_id")}});
    };
    if (!before) {
      auto st = Emit(w, owner, "task_created", "task", id,
                            {{"priority", after.at("priority")},
                                       {"has_due_date", !after.at("due_date").is_null()},
                                       {"due_date", after.at("due_date")},
                                       {"contact_id", after.at("contact_id")},
                                       {"deal_id", after.at("deal_id")}});
      if (!st || after.at("status").as_string() != "completed") return st;
      return completed_event();
    }
    json::array changed = ChangedFields(*before, after);
    if (changed.empty()) return {};
    bool now_done = after.at("status").as_string() == "completed";
    bool was_done = before->at("status").as_string() == "completed";
    if (now_done && !was_done) {
      if (auto st = completed_event(); !st) return st;
    } else if (!now_done && was_done) {
      auto st = Emit(w, owner, "task_reopened", "task", id,
                            {{"priority", after.at("priority")}});
      if (!st) return st;
    }
    return Emit(w, owner, "task_updated", "task", id,
                       {{"fields", changed}});
  }

  Status OnDelete(WriteContext& w, const json::object& before) override {
    std::int64_t id = before.at("id").as_int64(), owner = before.at("owner_id").as_int64();
    return Emit(w, owner, "task_deleted", "task", id,
                       {{"title", before.at("title")}, {"status", before.at("status")}});
  }

  Result<bool> Filter(const auth::Actor& actor, std::string_view key, std::string_view value, ListQuery& q) override {
    if (key == "q") {
      if (auto st = AddSearch(value, {"title"}, q); !st) return st.error();
      return true;
    }
    if (key == "overdue") {
      auto b = ParseBool(value, key);
      if (!b) return b.error();
      std::string today = LocalDate(clock_.Now(), actor.timezone);
      if (*b) q.Where("status <> 'completed' AND due_date < ?", {today});
      else q.Where("(status = 'completed' OR due_date IS NULL OR due_date >= ?)", {today});
      return true;
    }
    if (key == "due_from" || key == "due_to") {
      if (auto st = ValidateDate(value, key); !st) return st.error();
      q.Where(key == "due_from" ? "due_date >= ?" : "due_date <= ?", {std::string(value)});
      return true;
    }
    return TimeFilter(key, value, "created_since", "created_before", "created_at", q);
  }
};

// -------------------------------------------------------------- activities

class Activities final : public Resource {
 public:
  Activities(store::Database& db, const Clock& clock, const EventLog& events)
      : Resource(db, clock, events,
                 {.singular = "activity",
                  .table = "activities",
                  .fields =
                      {
                          {.name = "type", .column = "type", .type = FieldType::kEnum, .required = true,
                           .values = kActivityTypes},
                          {.name = "outcome", .column = "outcome", .type = FieldType::kEnum, .values = kOutcomes},
                          {.name = "occurred_at", .column = "occurred_at", .type = FieldType::kTimestamp},
                          {.name = "duration_seconds", .column = "duration_seconds", .type = FieldType::kInt,
                           .min = 0, .max = 86400},
                          {.name = "contact_id", .column = "contact_id", .type = FieldType::kRef,
                           .ref_table = "contacts"},
                          {.name = "deal_id", .column = "deal_id", .type = FieldType::kRef, .ref_table = "deals"},
                          {.name = "topic", .column = "topic", .max_len = 100},
                          {.name = "tags", .column = "tags", .type = FieldType::kTags},
                          {.name = "notes", .column = "notes", .type = FieldType::kLongText, .max_len = 10000},
                      },
                  .sort_keys = {{"occurred_at", "occurred_at"}},
                  .default_sort = "-occurred_at",
                  .has_updated_at = false,
                  .mutable_after_create = false}) {}

 protected:
  Status Prepare(WriteContext& w, const json::object*, Changes& changes) override {
    const store::Value* at = changes.Get("occurred_at");
    if (!at || std::holds_alternative<std::monostate>(*at)) changes.Set("occurred_at", w.now);
    else if (auto st = CheckOccurredAt(std::get<std::int64_t>(*at), w.now); !st) return st;
    const std::string& type = std::get<std::string>(*changes.Get("type"));
    if (const store::Value* o = changes.Get("outcome"); o && !std::holds_alternative<std::monostate>(*o)) {
      if (auto st = CheckActivityOutcome(type, std::get<std::string>(*o)); !st) return st;
    }
    // An activity on a deal is also an activity with the deal's contact.
    const store::Value* deal = changes.Get("deal_id");
    const store::Value* contact = changes.Get("contact_id");
    if (deal && !std::holds_alternative<std::monostate>(*deal) &&
        (!contact || std::holds_alternative<std::monostate>(*contact))) {
      auto rows = w.conn.Query("SELECT contact_id FROM deals WHERE id = ?", {std::get<std::int64_t>(*deal)});
      if (!rows) return rows.error();
      if (!rows->empty() && !rows->front().IsNull(0)) changes.Set("contact_id", rows->front().Int(0));
    }
    return {};
  }

  Status Finish(WriteContext& w, const json::object*, const json::object& after) override {
    std::int64_t id = after.at("id").as_int64(), owner = after.at("owner_id").as_int64();
    std::string type(after.at("type").as_string());
    std::int64_t occurred = MsOf(after.at("occurred_at"));
    const json::value& contact = after.at("contact_id");
    json::object context;
    if (contact.is_int64() && (type == "call" || type == "text" || type == "email" || type == "meeting")) {
      // The contact as it was before this touch, for the coach: touching a
      // lead that was not going cold cannot change the stale-leads list.
      auto before = w.conn.Query("SELECT status, COALESCE(last_contacted_at, created_at) FROM contacts WHERE id = ?",
                                 {contact.as_int64()});
      if (!before) return before.error();
      if (!before->empty())
        context = {{"contact_status", before->front().Str(0)}, {"contact_last_touch", before->front().Int(1)}};
      auto r = w.conn.Exec(
          "UPDATE contacts SET last_contacted_at = ? WHERE id = ? AND "
          "(last_contacted_at IS NULL OR last_contacted_at < ?)",
          {occurred, contact.as_int64(), occurred});
      if (!r) return r.error();
    }
    return Emit(w, owner, type + "_logged", "activity", id,
                {{"outcome", after.at("outcome")},
                 {"occurred_at", after.at("occurred_at")},
                 {"duration_seconds", after.at("duration_seconds")},
                 {"contact_id", contact},
                 {"deal_id", after.at("deal_id")},
                 {"topic", after.at("topic")},
                 {"tags", after.at("tags")}},
                std::move(context));
  }

  Status OnDelete(WriteContext&, const json::object&) override {
    return Error{ErrorCode::kMethodNotAllowed, "activities cannot be deleted", {}};
  }

  Result<bool> Filter(const auth::Actor&, std::string_view key, std::string_view value, ListQuery& q) override {
    if (key == "topic") {
      if (value.empty() || CharCount(value) > 100) return Error::Invalid("topic must be 1 to 100 characters", "topic");
      q.Where("lower(topic) = ?", {ToLower(value)});
      return true;
    }
    return TimeFilter(key, value, "since", "until", "occurred_at", q);
  }
};

}  // namespace

std::unique_ptr<Resource> MakeContacts(store::Database& db, const Clock& clock, const EventLog& events) {
  return std::make_unique<Contacts>(db, clock, events);
}
std::unique_ptr<Resource> MakeDeals(store::Database& db, const Clock& clock, const EventLog& events) {
  return std::make_unique<Deals>(db, clock, events);
}
std::unique_ptr<Resource> MakeTasks(store::Database& db, const Clock& clock, const EventLog& events) {
  return std::make_unique<Tasks>(db, clock, events);
}
std::unique_ptr<Resource> MakeActivities(store::Database& db, const Clock& clock, const EventLog& events) {
  return std::make_unique<Activities>(db, clock, events);
}

Result<Page> ListEvents(store::Database& db, const auth::Actor& actor, const QueryParams& params) {
  static const std::vector<SortKey> kKeys = {{"id", "id"}};
  std::string_view cursor, limit, sort;
  for (const auto& [k, v] : params) {
    if (k == "cursor") cursor = v;
    else if (k == "limit") limit = v;
    else if (k == "sort") sort = v;
  }
  auto q = ListQuery::Make(kKeys, sort, "-id", cursor, limit);
  if (!q) return q.error();
  // One officer's events (theirs, or a user_id filter) are read by
  // events_user: `+org_id` keeps SQLite from walking the whole org's log by
  // events_org and testing each row's user.
  const bool one_user = actor.role == auth::Role::kOfficer ||
                        std::any_of(params.begin(), params.end(), [](const auto& kv) { return kv.first == "user_id"; });
  auto [scope, scope_params] = ReadScope(actor, "user_id", one_user ? "+org_id" : "org_id");
  q->Where(scope, scope_params);
  for (const auto& [k, v] : params) {
    if (k == "cursor" || k == "limit" || k == "sort") continue;
    if (k == "action") {
      std::string marks;
      std::vector<store::Value> vals;
      std::string_view rest = v;
      for (;;) {
        auto comma = rest.find(',');
        std::string_view one = rest.substr(0, comma);
        if (one.empty() || one.size() > 64) return Error::Invalid("action must be a comma list of names", "action");
        marks += marks.empty() ? "?" : ", ?";
        vals.emplace_back(std::string(one));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      q->Where(fmt::format("action IN ({})", marks), std::move(vals));
    } else if (k == "entity_type") {
      if (v.empty() || v.size() > 32) return Error::Invalid("entity_type is invalid", "entity_type");
      q->Where("entity_type = ?", {v});
    } else if (k == "entity_id" || k == "user_id") {
      auto id = ParseId(v, k);
      if (!id) return id.error();
      q->Where(fmt::format("{} = ?", k), {*id});
    } else if (k == "since" || k == "until") {
      auto ms = ParseIso(v, k);
      if (!ms) return ms.error();
      q->Where(k == "since" ? "created_at >= ?" : "created_at < ?", {*ms});
    } else {
      return Error::Invalid(fmt::format("unknown query parameter '{}'", k), k);
    }
  }
  Page page;
  auto st = db.Read([&](store::Connection& c) -> Status {
    auto [sql, sql_params] = q->Build(
        "SELECT id, user_id, action, entity_type, entity_id, metadata, created_at, id FROM events");
    auto rows = c.Query(sql, sql_params);
    if (!rows) return rows.error();
    page.next_cursor = q->TakePage(*rows, 7, 0);
    for (const auto& r : *rows) {
      auto meta = ParseJson(r.Str(5));
      json::object o{{"id", r.Int(0)},
                     {"user_id", r.IsNull(1) ? json::value(nullptr) : json::value(r.Int(1))},
                     {"action", r.Str(2)},
                     {"entity_type", r.Str(3)},
                     {"entity_id", r.IsNull(4) ? json::value(nullptr) : json::value(r.Int(4))},
                     {"metadata", meta ? std::move(*meta) : json::value(json::object())},
                     {"created_at", FormatIso(r.Int(6))}};
      page.Add(o);
    }
    return {};
  });
  if (!st) return st.error();
  return page;
}

}  // namespace chosen::crm
