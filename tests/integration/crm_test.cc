// Contacts, deals, tasks, activities and the event log over real HTTP:
// CRUD, derived fields, events, access control, bulk writes, lists and the
// contact rules, as a user of the API would notice them.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

std::string Iso(TimestampMs ms) { return FormatIso(ms); }

// Percent-encodes a query parameter value.
std::string Enc(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                 c == '.' || c == '~';
    if (plain)
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

json::object Obj(const HttpResult& r) { return r.json.is_object() ? r.json.as_object() : json::object(); }

std::int64_t IdOf(const json::object& o) {
  auto it = o.find("id");
  return it != o.end() && it->value().is_int64() ? it->value().as_int64() : 0;
}

std::string Path(const std::string& base, std::int64_t id) { return base + "/" + std::to_string(id); }

// POSTs `body` and expects 201; returns the record (empty on failure).
json::object MustCreate(Client& c, const std::string& path, const json::value& body) {
  auto r = c.Post(path, body);
  EXPECT_EQ(r.status, 201) << "POST " << path << " " << ToJson(body) << " -> " << r.body;
  return r.status == 201 ? Obj(r) : json::object();
}

std::int64_t MustCreateId(Client& c, const std::string& path, const json::value& body) {
  return IdOf(MustCreate(c, path, body));
}

json::object MustGet(Client& c, const std::string& path) {
  auto r = c.Get(path);
  EXPECT_EQ(r.status, 200) << "GET " << path << " -> " << r.body;
  return Obj(r);
}

// Every item of a list, following next_cursor 200 at a time.
json::array ListAll(Client& c, const std::string& path) {
  json::array all;
  std::string sep = path.find('?') == std::string::npos ? "?" : "&";
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    std::string target = path + sep + "limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto r = c.Get(target);
    EXPECT_EQ(r.status, 200) << "GET " << target << " -> " << r.body;
    if (r.status != 200) break;
    for (const auto& v : r.json.at("items").as_array()) all.push_back(v);
    const auto& next = r.json.at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  return all;
}

std::vector<std::int64_t> Ids(const json::array& items) {
  std::vector<std::int64_t> out;
  for (const auto& v : items) out.push_back(v.at("id").as_int64());
  return out;
}

bool HasId(const json::array& items, std::int64_t id) {
  auto ids = Ids(items);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<std::string> Strings(const json::array& items, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : items) out.emplace_back(v.at(key).as_string());
  return out;
}

// Events about one record, newest first.
json::array EntityEvents(Client& c, std::string_view type, std::int64_t id) {
  return ListAll(c, fmt::format("/api/events?entity_type={}&entity_id={}", type, id));
}

// The actions of the newest `n` events.
std::vector<std::string> NewestActions(const json::array& events, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n && i < events.size(); ++i) out.emplace_back(events[i].at("action").as_string());
  return out;
}

// The newest event with `action` in `events` (empty if none).
json::object Find(const json::array& events, std::string_view action) {
  for (const auto& e : events)
    if (e.at("action").as_string() == action) return e.as_object();
  ADD_FAILURE() << "no " << action << " event";
  return {};
}

const json::value& Meta(const json::object& event, std::string_view key) {
  static const json::value kMissing = "<missing>";
  if (!event.contains("metadata")) return kMissing;
  const auto& m = event.at("metadata").as_object();
  auto it = m.find(key);
  return it == m.end() ? kMissing : it->value();
}

bool Contains(const json::value& arr, std::string_view s) {
  if (!arr.is_array()) return false;
  for (const auto& v : arr.as_array())
    if (v.is_string() && v.as_string() == s) return true;
  return false;
}

class CrmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  TimestampMs Now() { return server_.clock().Now(); }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()};
};

// ------------------------------------------------------------------ CRUD

struct CrudCase {
  std::string path;
  std::string create;         // every field given is returned as given
  std::string patch;          // one field
  std::string put;            // required fields only
  std::string reset_field;    // set by `create`, absent from `put`: reset
  std::string default_field;  // an enum set by `create` that PUT resets to its default
  std::string default_value;
  std::string required;
};

const CrudCase kCrudCases[] = {
    {"/api/contacts",
     R"({"name":"Ann Lee","email":"ann@example.com","phone":"(312) 555-0100","timezone":"America/Chicago",
         "status":"PROSPECT","source":"Zillow","tags":["first-time buyer"],"notes":"prefers texts\nafter 5pm"})",
     R"({"status":"CLIENT"})", R"({"name":"Ann Lee-Smith"})", "email", "status", "LEAD", "name"},
    {"/api/deals",
     R"({"title":"Lee purchase","value":350000,"loan_type":"FHA","purpose":"Purchase","stage":"Application",
         "expected_close_date":"2026-12-15"})",
     R"({"value":360000.5})", R"({"title":"Lee refinance"})", "loan_type", "stage", "Lead", "title"},
    {"/api/tasks",
     R"({"title":"Call Ann","notes":"rate lock","priority":"high","status":"in_progress","due_date":"2026-11-25",
         "due_time":"10:30"})",
     R"({"priority":"urgent"})", R"({"title":"Email Ann"})", "due_date", "priority", "medium", "title"},
};

TEST_F(CrmTest, CrudRoundTripsForContactsDealsAndTasks) {
  for (const auto& tc : kCrudCases) {
    SCOPED_TRACE(tc.path);
    json::object body = json::parse(tc.create).as_object();

    // POST: 201, Location, the stored record.
    auto post = alice_.Post(tc.path, body);
    ASSERT_EQ(post.status, 201) << post.body;
    json::object created = Obj(post);
    std::int64_t id = IdOf(created);
    ASSERT_GT(id, 0);
    EXPECT_EQ(post.headers["location"], Path(tc.path, id));
    for (const auto& kv : body) EXPECT_EQ(created.at(kv.key()), kv.value()) << kv.key();
    EXPECT_EQ(created.at("owner_id").as_int64(), alice_id_);
    const TimestampMs created_at = Now();
    EXPECT_EQ(created.at("created_at").as_string(), Iso(created_at));
    EXPECT_EQ(created.at("updated_at").as_string(), Iso(created_at));
    EXPECT_FALSE(created.contains("org_id"));

    // GET by id and in the list: the same record.
    EXPECT_EQ(MustGet(alice_, Path(tc.path, id)), created);
    auto list = alice_.Get(tc.path);
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
    EXPECT_EQ(list.json.at("items").at(0).as_object(), created);
    EXPECT_TRUE(list.json.at("next_cursor").is_null());

    // PATCH changes only the given field (and updated_at).
    server_.clock().Advance(60'000);
    json::object patch = json::parse(tc.patch).as_object();
    auto patched = alice_.Patch(Path(tc.path, id), patch);
    ASSERT_EQ(patched.status, 200) << patched.body;
    json::object expected = created;
    for (const auto& kv : patch) expected[kv.key()] = kv.value();
    expected["updated_at"] = Iso(created_at + 60'000);
    EXPECT_EQ(Obj(patched), expected);
    EXPECT_EQ(MustGet(alice_, Path(tc.path, id)), expected);

    // PUT replaces: absent optional fields reset, enums to their default.
    json::object put_body = json::parse(tc.put).as_object();
    auto put = alice_.Put(Path(tc.path, id), put_body);
    ASSERT_EQ(put.status, 200) << put.body;
    json::object replaced = Obj(put);
    EXPECT_EQ(replaced.at(tc.required), put_body.at(tc.required));
    EXPECT_TRUE(replaced.at(tc.reset_field).is_null()) << replaced.at(tc.reset_field);
    EXPECT_EQ(replaced.at(tc.default_field).as_string(), tc.default_value);
    EXPECT_EQ(replaced.at("id").as_int64(), id);
    EXPECT_EQ(replaced.at("owner_id").as_int64(), alice_id_);
    EXPECT_EQ(replaced.at("created_at"), created.at("created_at"));
    if (tc.path == "/api/contacts") {
      EXPECT_TRUE(replaced.at("tags").as_array().empty());
      EXPECT_TRUE(replaced.at("notes").is_null());
    }

    // PUT without a required field is a 400 naming it, and changes nothing.
    for (bool explicit_null : {false, true}) {
      json::object b;
      if (explicit_null) b[tc.required] = nullptr;
      auto missing = alice_.Put(Path(tc.path, id), b);
      EXPECT_EQ(missing.status, 400) << missing.body;
      EXPECT_EQ(missing.ErrorCode(), "INVALID_ARGUMENT");
      EXPECT_EQ(missing.ErrorField(), tc.required);
    }
    EXPECT_EQ(MustGet(alice_, Path(tc.path, id)), replaced);

    // A fetched record can be PUT back unchanged (read-only fields ignored).
    auto round = alice_.Put(Path(tc.path, id), replaced);
    ASSERT_EQ(round.status, 200) << round.body;
    EXPECT_EQ(Obj(round), replaced);

    // DELETE: 204, then 404.
    auto del = alice_.Delete(Path(tc.path, id));
    EXPECT_EQ(del.status, 204) << del.body;
    EXPECT_TRUE(del.body.empty());
    auto gone = alice_.Get(Path(tc.path, id));
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.ErrorCode(), "NOT_FOUND");
    EXPECT_EQ(alice_.Delete(Path(tc.path, id)).status, 404);
    EXPECT_EQ(alice_.Patch(Path(tc.path, id), patch).status, 404);
    EXPECT_TRUE(alice_.Get(tc.path).json.at("items").as_array().empty());
  }
}

// A manager's and an admin's task lists read the org's tasks in order from
// an index (tasks_org_due_list) rather than sorting them all (SQLite's plan;
// PostgreSQL plans by its statistics). And the order is the list's.
TEST_F(CrmTest, ManagersTaskListIsReadInOrderFromAnIndex) {
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  for (const char* due : {"2026-12-03", "", "2026-12-01", "2026-12-02"}) {
    json::object t{{"title", fmt::format("Due {}", due)}};
    if (*due) t["due_date"] = due;
    MustCreateId(alice_, "/api/tasks", t);
  }
  auto list = mia.Get("/api/tasks");
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> dues;
  for (const auto& t : list.json.at("items").as_array())
    dues.push_back(t.at("due_date").is_null() ? "none" : std::string(t.at("due_date").as_string()));
  EXPECT_EQ(dues, (std::vector<std::string>{"2026-12-01", "2026-12-02", "2026-12-03", "none"}));
  if (server_.dialect() != store::Dialect::kSqlite) return;
  std::string plan;
  auto st = server_.db().Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE org_id = ? AND owner_id IN (SELECT id FROM users WHERE "
        "team_id = ?) ORDER BY COALESCE(due_date, '9999-12-31'), id LIMIT 51",
        {std::int64_t{1}, std::int64_t{1}});
    if (!rows) return rows.error();
    for (const auto& r : *rows) plan += r.Str(3) + "\n";
    return {};
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_TRUE(plan.find("tasks_org_due_list") != std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST_F(CrmTest, CreateAppliesDefaultsAndMoneyKeepsCents) {
  auto contact = MustCreate(alice_, "/api/contacts", json::object{{"name", "  Bo Diaz  "}});
  EXPECT_EQ(contact.at("name").as_string(), "Bo Diaz") << "names are trimmed";
  EXPECT_EQ(contact.at("status").as_string(), "LEAD");
  EXPECT_TRUE(contact.at("tags").as_array().empty());
  EXPECT_TRUE(contact.at("last_contacted_at").is_null());
  auto upper = MustCreate(alice_, "/api/contacts", json::object{{"name", "Cy"}, {"email", " Cy@Example.COM "}});
  EXPECT_EQ(upper.at("email").as_string(), "cy@example.com");

  auto deal = MustCreate(alice_, "/api/deals", json::object{{"title", "Diaz refi"}});
  EXPECT_EQ(deal.at("stage").as_string(), "Lead");
  EXPECT_EQ(deal.at("value"), json::value(0));
  EXPECT_EQ(deal.at("stage_changed_at").as_string(), Iso(kTestNow));
  EXPECT_TRUE(deal.at("closed_at").is_null());
  auto cents = MustCreate(alice_, "/api/deals", json::parse(R"({"title":"Cents","value":1234.567})"));
  EXPECT_EQ(cents.at("value"), json::value(1234.57));

  auto task = MustCreate(alice_, "/api/tasks", json::object{{"title", "Follow up"}});
  EXPECT_EQ(task.at("priority").as_string(), "medium");
  EXPECT_EQ(task.at("status").as_string(), "pending");
  EXPECT_TRUE(task.at("completed_at").is_null());

  auto activity = MustCreate(alice_, "/api/activities", json::object{{"type", "call"}});
  EXPECT_EQ(activity.at("occurred_at").as_string(), Iso(kTestNow)) << "occurred_at defaults to now";
  EXPECT_FALSE(activity.contains("updated_at"));
  auto offset = MustCreate(alice_, "/api/activities",
                           json::object{{"type", "note"}, {"occurred_at", "2026-11-20T08:30:00-06:00"}});
  EXPECT_EQ(offset.at("occurred_at").as_string(), "2026-11-20T14:30:00.000Z");
}

TEST_F(CrmTest, ReadOnlyFieldsAreIgnoredOnInput) {
  auto c = MustCreate(alice_, "/api/contacts",
                      json::parse(R"({"name":"Ro","last_contacted_at":"2026-01-01T00:00:00Z","id":777,
                                      "created_at":"2020-01-01T00:00:00Z"})"));
  EXPECT_TRUE(c.at("last_contacted_at").is_null());
  EXPECT_NE(IdOf(c), 777);
  EXPECT_EQ(c.at("created_at").as_string(), Iso(kTestNow));
  auto t = MustCreate(alice_, "/api/tasks", json::parse(R"({"title":"T","completed_at":"2026-01-01T00:00:00Z"})"));
  EXPECT_TRUE(t.at("completed_at").is_null());
}

// -------------------------------------------------------- derived fields

TEST_F(CrmTest, DealStageChangesStampStageChangedAtAndClosedAt) {
  std::int64_t id = MustCreateId(alice_, "/api/deals", json::object{{"title", "Gomez purchase"}});
  std::string path = Path("/api/deals", id);

  server_.clock().Advance(kMsPerDay);
  auto processing = Obj(alice_.Patch(path, json::object{{"stage", "Processing"}}));
  EXPECT_EQ(processing.at("stage_changed_at").as_string(), Iso(Now()));
  EXPECT_TRUE(processing.at("closed_at").is_null());

  server_.clock().Advance(kMsPerDay);
  auto retitled = Obj(alice_.Patch(path, json::object{{"title", "Gomez purchase (FHA)"}, {"stage", "Processing"}}));
  EXPECT_EQ(retitled.at("stage_changed_at"), processing.at("stage_changed_at")) << "same stage: no stamp";

  server_.clock().Advance(kMsPerDay);
  TimestampMs won_at = Now();
  auto won = Obj(alice_.Patch(path, json::object{{"stage", "Closed Won"}}));
  EXPECT_EQ(won.at("stage_changed_at").as_string(), Iso(won_at));
  EXPECT_EQ(won.at("closed_at"), json::value(Iso(won_at))) << "closing stamps closed_at";

  server_.clock().Advance(kMsPerDay);
  auto still = Obj(alice_.Patch(path, json::object{{"value", 1000}}));
  EXPECT_EQ(still.at("closed_at"), json::value(Iso(won_at))) << "other edits keep closed_at";

  auto reopened = Obj(alice_.Patch(path, json::object{{"stage", "Underwriting"}}));
  EXPECT_TRUE(reopened.at("closed_at").is_null());
  EXPECT_EQ(reopened.at("stage_changed_at").as_string(), Iso(Now()));

  server_.clock().Advance(kMsPerDay);
  auto lost = Obj(alice_.Patch(path, json::object{{"stage", "Closed Lost"}}));
  EXPECT_EQ(lost.at("closed_at"), json::value(Iso(Now())));
  EXPECT_EQ(MustGet(alice_, path), lost);

  auto born_closed = MustCreate(alice_, "/api/deals", json::object{{"title", "Done"}, {"stage", "Closed Won"}});
  EXPECT_EQ(born_closed.at("closed_at"), json::value(Iso(Now())));
}

TEST_F(CrmTest, TaskCompletionStampsAndReopeningClearsCompletedAt) {
  std::int64_t id = MustCreateId(alice_, "/api/tasks", json::object{{"title", "Send disclosures"}});
  std::string path = Path("/api/tasks", id);

  server_.clock().Advance(kMsPerHour);
  TimestampMs done_at = Now();
  auto done = Obj(alice_.Patch(path, json::object{{"status", "completed"}}));
  EXPECT_EQ(done.at("completed_at").as_string(), Iso(done_at));

  server_.clock().Advance(kMsPerHour);
  auto again = Obj(alice_.Patch(path, json::object{{"status", "completed"}, {"notes", "sent"}}));
  EXPECT_EQ(again.at("completed_at").as_string(), Iso(done_at)) << "completing twice keeps the first stamp";

  auto reopened = Obj(alice_.Patch(path, json::object{{"status", "in_progress"}}));
  EXPECT_TRUE(reopened.at("completed_at").is_null());
  EXPECT_TRUE(MustGet(alice_, path).at("completed_at").is_null());

  auto born_done = MustCreate(alice_, "/api/tasks", json::object{{"title", "Done"}, {"status", "completed"}});
  EXPECT_EQ(born_done.at("completed_at").as_string(), Iso(Now()));
}

TEST_F(CrmTest, ContactActivityUpdatesLastContactedAt) {
  struct Case {
    const char* type;
    bool counts;
  };
  const Case cases[] = {{"call", true},        {"text", true},         {"email", true}, {"meeting", true},
                        {"video_post", false}, {"social_post", false}, {"note", false}};
  TimestampMs at = Now() - 3 * kMsPerHour;
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.type);
    std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Pat"}});
    MustCreate(alice_, "/api/activities",
               json::object{{"type", tc.type}, {"contact_id", contact}, {"occurred_at", Iso(at)}});
    auto c = MustGet(alice_, Path("/api/contacts", contact));
    if (tc.counts)
      EXPECT_EQ(c.at("last_contacted_at").as_string(), Iso(at));
    else
      EXPECT_TRUE(c.at("last_contacted_at").is_null());
  }
}

TEST_F(CrmTest, LastContactedAtOnlyMovesForward) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Quinn"}});
  std::string path = Path("/api/contacts", contact);
  TimestampMs two_hours_ago = Now() - 2 * kMsPerHour;
  MustCreate(alice_, "/api/activities",
             json::object{{"type", "call"}, {"contact_id", contact}, {"occurred_at", Iso(two_hours_ago)}});
  EXPECT_EQ(MustGet(alice_, path).at("last_contacted_at").as_string(), Iso(two_hours_ago));

  // Back-filling an older call does not move it back.
  MustCreate(alice_, "/api/activities",
             json::object{{"type", "text"}, {"contact_id", contact}, {"occurred_at", Iso(Now() - 3 * kMsPerDay)}});
  EXPECT_EQ(MustGet(alice_, path).at("last_contacted_at").as_string(), Iso(two_hours_ago));

  MustCreate(alice_, "/api/activities", json::object{{"type", "email"}, {"contact_id", contact}});
  EXPECT_EQ(MustGet(alice_, path).at("last_contacted_at").as_string(), Iso(Now()));

  // Editing the contact does not touch it either.
  auto edited = Obj(alice_.Put(path, json::object{{"name", "Quinn R"}}));
  EXPECT_EQ(edited.at("last_contacted_at").as_string(), Iso(Now()));
}

TEST_F(CrmTest, ActivityOnADealGetsTheDealsContact) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Rosa"}});
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Rosa VA"}, {"contact_id", contact}});
  auto act = MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"deal_id", deal}});
  EXPECT_EQ(act.at("deal_id").as_int64(), deal);
  EXPECT_EQ(act.at("contact_id"), json::value(contact));
  EXPECT_EQ(MustGet(alice_, Path("/api/contacts", contact)).at("last_contacted_at").as_string(), Iso(Now()));

  // An explicit contact wins; a deal without a contact leaves it empty.
  std::int64_t other = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Sam"}});
  auto explicit_contact =
      MustCreate(alice_, "/api/activities", json::object{{"type", "text"}, {"deal_id", deal}, {"contact_id", other}});
  EXPECT_EQ(explicit_contact.at("contact_id"), json::value(other));
  std::int64_t bare = MustCreateId(alice_, "/api/deals", json::object{{"title", "No contact"}});
  auto none = MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"deal_id", bare}});
  EXPECT_TRUE(none.at("contact_id").is_null());
}

// ------------------------------------------------------------- event log

TEST_F(CrmTest, EventsAreNewestFirstAndSortIdIsOldestFirst) {
  for (int i = 0; i < 3; ++i) MustCreate(alice_, "/api/contacts", json::object{{"name", fmt::format("E{}", i)}});
  auto events = ListAll(alice_, "/api/events");
  ASSERT_EQ(events.size(), 4u) << "user_created + 3 contact_created";
  auto ids = Ids(events);
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), ids.size());
  auto oldest_first = ListAll(alice_, "/api/events?sort=id");
  auto asc = Ids(oldest_first);
  EXPECT_TRUE(std::is_sorted(asc.begin(), asc.end()));
  EXPECT_EQ(oldest_first.at(0).at("action").as_string(), "user_created");
  for (const auto& e : events) {
    EXPECT_EQ(e.at("user_id").as_int64(), alice_id_);
    EXPECT_EQ(e.at("created_at").as_string(), Iso(kTestNow));
  }
}

// One officer's log, filtered by action or not, is theirs alone, newest
// first, and (SQLite's plan; PostgreSQL plans by its statistics) read from
// events_user, not by walking the whole org's log and reading each row; the
// daily view's count of stage moves reads its partial index.
TEST_F(CrmTest, AnOfficersLogIsReadFromTheirOwnIndex) {
  const std::int64_t bob_id = server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("ada@acme.test", "admin", "Acme Lending");
  Client bob = As("bob@acme.test");
  for (int i = 0; i < 3; ++i) {
    MustCreate(alice_, "/api/contacts", json::object{{"name", fmt::format("A{}", i)}});
    MustCreate(bob, "/api/contacts", json::object{{"name", fmt::format("B{}", i)}});
  }
  for (const char* target : {"/api/events?action=contact_created", "/api/events?action=contact_created,user_created"}) {
    auto mine = ListAll(alice_, target);
    ASSERT_EQ(mine.size(), std::string_view(target).ends_with("user_created") ? 4u : 3u) << target;
    auto ids = Ids(mine);
    EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));
    for (const auto& e : mine) EXPECT_EQ(e.at("user_id").as_int64(), alice_id_);
  }
  auto ada = As("ada@acme.test");
  auto bobs = ListAll(ada, fmt::format("/api/events?user_id={}&action=contact_created", bob_id));
  ASSERT_EQ(bobs.size(), 3u);
  for (const auto& e : bobs) EXPECT_EQ(e.at("user_id").as_int64(), bob_id);
  EXPECT_EQ(ListAll(ada, "/api/events?action=contact_created").size(), 6u) << "an admin's whole org";
  if (server_.dialect() != store::Dialect::kSqlite) return;
  auto plan_of = [&](const std::string& sql, std::vector<store::Value> params) {
    std::string plan;
    auto st = server_.db().Read([&](store::Connection& c) -> Status {
      auto rows = c.Query("EXPLAIN QUERY PLAN " + sql, params);
      if (!rows) return rows.error();
      for (const auto& r : *rows) plan += r.Str(3) + "\n";
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return plan;
  };
  const std::string log = plan_of(
      "SELECT id FROM events WHERE +org_id = ? AND user_id = ? AND action IN (?) ORDER BY id DESC, id DESC LIMIT 51",
      {std::int64_t{1}, alice_id_, std::string("contact_created")});
  EXPECT_NE(log.find("events_user "), std::string::npos) << log;
  EXPECT_EQ(log.find("TEMP B-TREE"), std::string::npos) << log;
  const std::string moves = plan_of(
      "SELECT COUNT(*) FROM events WHERE user_id = ? AND action = 'deal_stage_changed' AND created_at >= ? AND "
      "created_at < ?",
      {alice_id_, std::int64_t{0}, std::int64_t{1}});
  EXPECT_NE(moves.find("events_stage_moves"), std::string::npos) << moves;
}

TEST_F(CrmTest, ContactMutationsWriteEvents) {
  auto created =
      MustCreate(alice_, "/api/contacts", json::parse(R"({"name":"Tia","source":"Zillow","tags":["VA loan"]})"));
  std::int64_t id = IdOf(created);
  auto ev = EntityEvents(alice_, "contact", id);
  ASSERT_EQ(NewestActions(ev, 9), (std::vector<std::string>{"contact_created"}));
  EXPECT_EQ(ev[0].at("entity_type").as_string(), "contact");
  EXPECT_EQ(ev[0].at("user_id").as_int64(), alice_id_);
  EXPECT_EQ(Meta(ev[0].as_object(), "status"), json::value("LEAD"));
  EXPECT_EQ(Meta(ev[0].as_object(), "source"), json::value("Zillow"));
  EXPECT_EQ(Meta(ev[0].as_object(), "tags"), json::parse(R"(["VA loan"])"));
  EXPECT_EQ(Meta(ev[0].as_object(), "actor_id"), json::value("<missing>")) << "the owner acted";

  std::string path = Path("/api/contacts", id);
  ASSERT_EQ(alice_.Patch(path, json::object{{"name", "Tia Moss"}}).status, 200);
  ev = EntityEvents(alice_, "contact", id);
  ASSERT_EQ(NewestActions(ev, 9), (std::vector<std::string>{"contact_updated", "contact_created"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "fields"), json::parse(R"(["name"])"));

  ASSERT_EQ(alice_.Patch(path, json::object{{"status", "APPLICANT"}}).status, 200);
  ev = EntityEvents(alice_, "contact", id);
  ASSERT_EQ(NewestActions(ev, 2), (std::vector<std::string>{"contact_updated", "contact_status_changed"}));
  EXPECT_EQ(Meta(ev[1].as_object(), "old_status"), json::value("LEAD"));
  EXPECT_EQ(Meta(ev[1].as_object(), "new_status"), json::value("APPLICANT"));
  EXPECT_EQ(Meta(ev[0].as_object(), "fields"), json::parse(R"(["status"])"));

  // No-op PATCHes write nothing.
  std::size_t before = ListAll(alice_, "/api/events").size();
  EXPECT_EQ(alice_.Patch(path, json::object{}).status, 200);
  EXPECT_EQ(alice_.Patch(path, json::object{{"name", "Tia Moss"}, {"status", "APPLICANT"}}).status, 200);
  EXPECT_EQ(alice_.Patch(path, json::parse(R"({"tags":["va LOAN"]})")).status, 200);
  EXPECT_EQ(ListAll(alice_, "/api/events").size(), before + 1) << "only the tag edit (case) counts";
  EXPECT_EQ(alice_.Patch(path, json::parse(R"({"tags":["va LOAN"]})")).status, 200);
  EXPECT_EQ(ListAll(alice_, "/api/events").size(), before + 1);

  ASSERT_EQ(alice_.Delete(path).status, 204);
  ev = EntityEvents(alice_, "contact", id);
  ASSERT_EQ(NewestActions(ev, 1), (std::vector<std::string>{"contact_deleted"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "name"), json::value("Tia Moss"));
  EXPECT_EQ(Meta(ev[0].as_object(), "status"), json::value("APPLICANT"));
}

TEST_F(CrmTest, DealLifecycleEventsCarryDaysToClose) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Uma"}});
  std::int64_t id = MustCreateId(
      alice_, "/api/deals",
      json::object{{"title", "Uma purchase"}, {"value", 250000}, {"loan_type", "FHA"}, {"contact_id", contact}});
  std::string path = Path("/api/deals", id);
  auto ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 9), (std::vector<std::string>{"deal_created"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "value"), json::value(250000));
  EXPECT_EQ(Meta(ev[0].as_object(), "stage"), json::value("Lead"));
  EXPECT_EQ(Meta(ev[0].as_object(), "contact_id"), json::value(contact));

  server_.clock().Advance(12 * kMsPerDay + 3 * kMsPerHour);
  ASSERT_EQ(alice_.Patch(path, json::object{{"stage", "Closed Won"}}).status, 200);
  ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 4),
            (std::vector<std::string>{"deal_updated", "deal_closed", "deal_stage_changed", "deal_created"}));
  const json::object& closed = ev[1].as_object();
  EXPECT_EQ(Meta(closed, "won"), json::value(true));
  EXPECT_EQ(Meta(closed, "value"), json::value(250000));
  EXPECT_EQ(Meta(closed, "contact_id"), json::value(contact));
  EXPECT_EQ(Meta(closed, "loan_type"), json::value("FHA"));
  EXPECT_EQ(Meta(closed, "days_to_close"), json::value(12));
  EXPECT_EQ(closed.at("created_at").as_string(), Iso(Now()));
  const json::object& changed = ev[2].as_object();
  EXPECT_EQ(Meta(changed, "old_stage"), json::value("Lead"));
  EXPECT_EQ(Meta(changed, "new_stage"), json::value("Closed Won"));
  EXPECT_EQ(Meta(changed, "days_in_stage"), json::value(12));
  EXPECT_TRUE(Contains(Meta(ev[0].as_object(), "fields"), "stage"));

  server_.clock().Advance(kMsPerDay);
  ASSERT_EQ(alice_.Patch(path, json::object{{"stage", "Underwriting"}}).status, 200);
  ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 3), (std::vector<std::string>{"deal_updated", "deal_reopened", "deal_stage_changed"}));
  EXPECT_EQ(Meta(ev[1].as_object(), "old_stage"), json::value("Closed Won"));

  server_.clock().Advance(2 * kMsPerDay);
  ASSERT_EQ(alice_.Patch(path, json::object{{"stage", "Closed Lost"}}).status, 200);
  ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 2), (std::vector<std::string>{"deal_updated", "deal_closed"}));
  EXPECT_EQ(Meta(ev[1].as_object(), "won"), json::value(false));
  EXPECT_EQ(Meta(ev[1].as_object(), "days_to_close"), json::value(15));

  ASSERT_EQ(alice_.Patch(path, json::object{{"title", "Uma purchase (lost)"}}).status, 200);
  ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 2), (std::vector<std::string>{"deal_updated", "deal_updated"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "fields"), json::parse(R"(["title"])"));

  std::size_t before = ev.size();
  EXPECT_EQ(alice_.Patch(path, json::object{}).status, 200);
  EXPECT_EQ(alice_.Patch(path, json::object{{"title", "Uma purchase (lost)"}, {"stage", "Closed Lost"}}).status, 200);
  EXPECT_EQ(EntityEvents(alice_, "deal", id).size(), before) << "no-op PATCH writes no event";

  ASSERT_EQ(alice_.Delete(path).status, 204);
  ev = EntityEvents(alice_, "deal", id);
  ASSERT_EQ(NewestActions(ev, 1), (std::vector<std::string>{"deal_deleted"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "title"), json::value("Uma purchase (lost)"));
  EXPECT_EQ(Meta(ev[0].as_object(), "stage"), json::value("Closed Lost"));
}

TEST_F(CrmTest, TaskLifecycleEvents) {
  std::int64_t id =
      MustCreateId(alice_, "/api/tasks",
                   json::object{{"title", "Order appraisal"}, {"priority", "high"}, {"due_date", "2026-11-18"}});
  std::string path = Path("/api/tasks", id);
  auto ev = EntityEvents(alice_, "task", id);
  ASSERT_EQ(NewestActions(ev, 9), (std::vector<std::string>{"task_created"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "priority"), json::value("high"));
  EXPECT_EQ(Meta(ev[0].as_object(), "has_due_date"), json::value(true));
  EXPECT_EQ(Meta(ev[0].as_object(), "due_date"), json::value("2026-11-18"));

  server_.clock().Advance(3 * kMsPerDay + kMsPerHour);
  ASSERT_EQ(alice_.Patch(path, json::object{{"status", "completed"}}).status, 200);
  ev = EntityEvents(alice_, "task", id);
  ASSERT_EQ(NewestActions(ev, 3), (std::vector<std::string>{"task_updated", "task_completed", "task_created"}));
  EXPECT_EQ(Meta(ev[1].as_object(), "priority"), json::value("high"));
  EXPECT_EQ(Meta(ev[1].as_object(), "days_to_complete"), json::value(3));
  EXPECT_EQ(Meta(ev[1].as_object(), "was_overdue"), json::value(true));

  ASSERT_EQ(alice_.Patch(path, json::object{{"status", "pending"}}).status, 200);
  ev = EntityEvents(alice_, "task", id);
  ASSERT_EQ(NewestActions(ev, 2), (std::vector<std::string>{"task_updated", "task_reopened"}));

  ASSERT_EQ(alice_.Patch(path, json::object{{"notes", "called AMC"}}).status, 200);
  ev = EntityEvents(alice_, "task", id);
  ASSERT_EQ(NewestActions(ev, 2), (std::vector<std::string>{"task_updated", "task_updated"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "fields"), json::parse(R"(["notes"])"));

  std::size_t before = ev.size();
  EXPECT_EQ(alice_.Patch(path, json::object{{"notes", "called AMC"}}).status, 200);
  EXPECT_EQ(EntityEvents(alice_, "task", id).size(), before);

  ASSERT_EQ(alice_.Delete(path).status, 204);
  ev = EntityEvents(alice_, "task", id);
  ASSERT_EQ(NewestActions(ev, 1), (std::vector<std::string>{"task_deleted"}));
  EXPECT_EQ(Meta(ev[0].as_object(), "title"), json::value("Order appraisal"));

  // A task completed on time, and one created completed.
  std::int64_t on_time =
      MustCreateId(alice_, "/api/tasks", json::object{{"title", "Later"}, {"due_date", "2026-12-31"}});
  server_.clock().Advance(kMsPerDay);
  ASSERT_EQ(alice_.Patch(Path("/api/tasks", on_time), json::object{{"status", "completed"}}).status, 200);
  auto done = Find(EntityEvents(alice_, "task", on_time), "task_completed");
  EXPECT_EQ(Meta(done, "was_overdue"), json::value(false));
  EXPECT_EQ(Meta(done, "days_to_complete"), json::value(1));
  std::int64_t born = MustCreateId(alice_, "/api/tasks", json::object{{"title", "Done"}, {"status", "completed"}});
  EXPECT_EQ(NewestActions(EntityEvents(alice_, "task", born), 9),
            (std::vector<std::string>{"task_completed", "task_created"}));
}

TEST_F(CrmTest, EveryActivityTypeLogsItsEvent) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Vic"}});
  for (const char* type : {"call", "text", "email", "meeting", "video_post", "social_post", "note"}) {
    SCOPED_TRACE(type);
    std::int64_t id = MustCreateId(
        alice_, "/api/activities",
        json::object{{"type", type}, {"contact_id", contact}, {"topic", "VA loans"}, {"duration_seconds", 90}});
    auto ev = EntityEvents(alice_, "activity", id);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].at("action").as_string(), std::string(type) + "_logged");
    EXPECT_EQ(ev[0].at("user_id").as_int64(), alice_id_);
    EXPECT_EQ(Meta(ev[0].as_object(), "contact_id"), json::value(contact));
    EXPECT_EQ(Meta(ev[0].as_object(), "topic"), json::value("VA loans"));
    EXPECT_EQ(Meta(ev[0].as_object(), "duration_seconds"), json::value(90));
    EXPECT_EQ(Meta(ev[0].as_object(), "occurred_at"), json::value(Iso(Now())));
  }
  EXPECT_EQ(ListAll(alice_, "/api/events?action=video_post_logged,social_post_logged").size(), 2u);
}

// --------------------------------------------------------- access control

class CrmAccessTest : public CrmTest {
 protected:
  void SetUp() override {
    CrmTest::SetUp();
    bob_id_ = server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
    bob_ = As("bob@acme.test");
    // Alice's book: a contact, a deal on it, a task and an activity.
    contact_ = MustCreate(alice_, "/api/contacts",
                          json::object{{"name", "Secret Sarah"}, {"email", "sarah@secret.test"}, {"status", "CLIENT"}});
    deal_ = MustCreate(alice_, "/api/deals",
                       json::object{{"title", "Secret purchase"}, {"value", 410000}, {"contact_id", IdOf(contact_)}});
    task_ = MustCreate(alice_, "/api/tasks", json::object{{"title", "Secret task"}, {"contact_id", IdOf(contact_)}});
    activity_ = MustCreate(alice_, "/api/activities",
                           json::object{{"type", "call"}, {"contact_id", IdOf(contact_)}, {"notes", "Secret notes"}});
    contact_ = MustGet(alice_, Path("/api/contacts", IdOf(contact_)));  // now with last_contacted_at
    ASSERT_FALSE(contact_.at("last_contacted_at").is_null());
  }

  struct Record {
    std::string base;
    const json::object* record;
    json::object patch;
  };
  std::vector<Record> Editable() {
    return {{"/api/contacts", &contact_, json::object{{"name", "Changed"}}},
            {"/api/deals", &deal_, json::object{{"title", "Changed"}}},
            {"/api/tasks", &task_, json::object{{"title", "Changed"}}}};
  }

  // Every one of Alice's records answers 404 to `c` and stays unchanged.
  void ExpectInvisible(Client& c) {
    for (const auto& rec : Editable()) {
      std::string path = Path(rec.base, IdOf(*rec.record));
      SCOPED_TRACE(path);
      for (const char* method : {"GET", "PATCH", "PUT", "DELETE"}) {
        SCOPED_TRACE(method);
        std::string body = std::string(method) == "PATCH" || std::string(method) == "PUT" ? ToJson(rec.patch) : "";
        auto r = c.Send(method, path, body);
        EXPECT_EQ(r.status, 404) << r.body;
        EXPECT_EQ(r.ErrorCode(), "NOT_FOUND");
        EXPECT_EQ(r.body.find("Secret"), std::string::npos) << r.body;
      }
      EXPECT_EQ(MustGet(alice_, path), *rec.record) << "unchanged";
    }
    auto act = c.Get(Path("/api/activities", IdOf(activity_)));
    EXPECT_EQ(act.status, 404);
    EXPECT_EQ(act.ErrorCode(), "NOT_FOUND");
    EXPECT_EQ(act.body.find("Secret"), std::string::npos);
    // Activities cannot be changed by anyone: the same 405 as for a missing id.
    for (const char* method : {"PATCH", "PUT", "DELETE"}) {
      auto theirs = c.Send(method, Path("/api/activities", IdOf(activity_)), "{}");
      auto missing = c.Send(method, "/api/activities/99999999", "{}");
      EXPECT_EQ(theirs.status, 405) << method;
      EXPECT_EQ(missing.status, 405) << method;
      EXPECT_EQ(theirs.ErrorCode(), "METHOD_NOT_ALLOWED");
      EXPECT_EQ(theirs.body.find("Secret"), std::string::npos);
    }
    const std::pair<const char*, const json::object*> lists[] = {
        {"/api/contacts", &contact_}, {"/api/deals", &deal_}, {"/api/tasks", &task_}, {"/api/activities", &activity_}};
    for (const auto& [list, rec] : lists) {
      auto items = ListAll(c, list);
      EXPECT_FALSE(HasId(items, IdOf(*rec))) << list;
      EXPECT_EQ(ToJson(items).find("Secret"), std::string::npos) << list;
    }
    for (const auto& e : ListAll(c, "/api/events")) EXPECT_NE(e.at("user_id"), json::value(alice_id_)) << e;
  }

  std::int64_t bob_id_ = 0;
  Client bob_{server_.port()};
  json::object contact_, deal_, task_, activity_;
};

TEST_F(CrmAccessTest, OfficerGets404ForAnotherOfficersRecords) {
  ExpectInvisible(bob_);
  // Bob's own lists hold only his own records.
  std::int64_t mine = MustCreateId(bob_, "/api/contacts", json::object{{"name", "Bob's lead"}});
  auto list = ListAll(bob_, "/api/contacts");
  EXPECT_EQ(Ids(list), std::vector<std::int64_t>{mine});
  for (const auto& e : ListAll(bob_, "/api/events")) EXPECT_EQ(e.at("user_id").as_int64(), bob_id_);
  // Filtering by Alice's id does not widen the scope.
  EXPECT_TRUE(ListAll(bob_, fmt::format("/api/contacts?owner_id={}", alice_id_)).empty());
  EXPECT_TRUE(ListAll(bob_, fmt::format("/api/events?user_id={}", alice_id_)).empty());
  // And Alice never sees Bob's.
  EXPECT_EQ(alice_.Get(Path("/api/contacts", mine)).status, 404);
}

TEST_F(CrmAccessTest, AdminOfAnotherOrgSeesNothing) {
  server_.AddUser("zed@zenith.test", "admin", "Zenith Mortgage");
  Client zed = As("zed@zenith.test");
  ExpectInvisible(zed);
  for (const char* list : {"/api/contacts", "/api/deals", "/api/tasks", "/api/activities"})
    EXPECT_TRUE(ListAll(zed, list).empty()) << list;
  for (const auto& e : ListAll(zed, "/api/events")) EXPECT_EQ(e.at("action").as_string(), "user_created");
  // Nor can it reference org 1 records or assign to org 1 users.
  auto link = zed.Post("/api/deals", json::object{{"title", "X"}, {"contact_id", IdOf(contact_)}});
  EXPECT_EQ(link.status, 400);
  EXPECT_EQ(link.ErrorField(), "contact_id");
  auto assign = zed.Post("/api/contacts", json::object{{"name", "X"}, {"owner_id", alice_id_}});
  EXPECT_EQ(assign.status, 400) << assign.body;
  EXPECT_EQ(assign.ErrorField(), "owner_id");
  EXPECT_TRUE(ListAll(zed, "/api/contacts").empty());
}

TEST_F(CrmAccessTest, ManagerReadsTeamButCannotWrite) {
  server_.AddUser("mary@acme.test", "manager", "Acme Lending", "East");
  Client mary = As("mary@acme.test");
  for (const auto& [base, rec] :
       std::vector<std::pair<std::string, const json::object*>>{{"/api/contacts", &contact_},
                                                                {"/api/deals", &deal_},
                                                                {"/api/tasks", &task_},
                                                                {"/api/activities", &activity_}}) {
    SCOPED_TRACE(base);
    EXPECT_EQ(MustGet(mary, Path(base, IdOf(*rec))), *rec);
    auto list = ListAll(mary, base);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].as_object(), *rec);
  }
  EXPECT_EQ(ListAll(mary, fmt::format("/api/contacts?owner_id={}", alice_id_)).size(), 1u);
  EXPECT_EQ(ListAll(mary, "/api/events?action=contact_created").size(), 1u);
  std::size_t events_before = ListAll(alice_, "/api/events").size();

  for (const auto& rec : Editable()) {
    std::string path = Path(rec.base, IdOf(*rec.record));
    SCOPED_TRACE(path);
    for (const char* method : {"PATCH", "PUT", "DELETE"}) {
      SCOPED_TRACE(method);
      auto r = mary.Send(method, path, std::string(method) == "DELETE" ? "" : ToJson(rec.patch));
      EXPECT_EQ(r.status, 403) << r.body;
      EXPECT_EQ(r.ErrorCode(), "PERMISSION_DENIED");
    }
    EXPECT_EQ(MustGet(alice_, path), *rec.record);
  }
  EXPECT_EQ(ListAll(alice_, "/api/events").size(), events_before) << "refused writes log nothing";

  // A manager of another team does not see East's records at all.
  server_.AddUser("walt@acme.test", "manager", "Acme Lending", "West");
  Client walt = As("walt@acme.test");
  ExpectInvisible(walt);
}

TEST_F(CrmAccessTest, AdminReadsAndChangesEverythingInTheOrg) {
  std::int64_t ada_id = server_.AddUser("ada@acme.test", "admin", "Acme Lending");
  Client ada = As("ada@acme.test");
  EXPECT_EQ(MustGet(ada, Path("/api/activities", IdOf(activity_))), activity_);
  EXPECT_TRUE(HasId(ListAll(ada, "/api/contacts"), IdOf(contact_)));

  auto patched = ada.Patch(Path("/api/contacts", IdOf(contact_)), json::object{{"status", "PAST_CLIENT"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json.at("status").as_string(), "PAST_CLIENT");
  EXPECT_EQ(patched.json.at("owner_id").as_int64(), alice_id_) << "editing does not take ownership";
  auto ev = EntityEvents(alice_, "contact", IdOf(contact_));
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev[0].at("action").as_string(), "contact_updated");
  EXPECT_EQ(ev[0].at("user_id").as_int64(), alice_id_) << "the owner's business";
  EXPECT_EQ(Meta(ev[0].as_object(), "actor_id"), json::value(ada_id));

  auto put = ada.Put(Path("/api/deals", IdOf(deal_)), json::object{{"title", "Renamed by admin"}});
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(ada.Delete(Path("/api/tasks", IdOf(task_))).status, 204);
  EXPECT_EQ(alice_.Get(Path("/api/tasks", IdOf(task_))).status, 404);

  // Reassigning a contact moves it to the new owner.
  auto moved = ada.Patch(Path("/api/contacts", IdOf(contact_)), json::object{{"owner_id", bob_id_}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(bob_.Get(Path("/api/contacts", IdOf(contact_))).status, 200);
  EXPECT_EQ(alice_.Get(Path("/api/contacts", IdOf(contact_))).status, 404);
  auto assigned = Find(EntityEvents(bob_, "contact", IdOf(contact_)), "contact_assigned");
  EXPECT_EQ(Meta(assigned, "from_owner_id"), json::value(alice_id_));
  EXPECT_EQ(Meta(assigned, "to_owner_id"), json::value(bob_id_));
}

TEST_F(CrmAccessTest, OwnerAssignmentRules) {
  // An officer cannot give a record to someone else.
  auto refused = alice_.Post("/api/contacts", json::object{{"name", "Gift"}, {"owner_id", bob_id_}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "PERMISSION_DENIED");
  EXPECT_EQ(refused.ErrorField(), "owner_id");
  auto own_patch = alice_.Patch(Path("/api/contacts", IdOf(contact_)), json::object{{"owner_id", bob_id_}});
  EXPECT_EQ(own_patch.status, 403);
  EXPECT_TRUE(ListAll(bob_, "/api/contacts").empty());
  EXPECT_EQ(alice_.Post("/api/tasks", json::object{{"title", "Mine"}, {"owner_id", alice_id_}}).status, 201);

  // A manager assigns leads within the team only.
  std::int64_t mary_id = server_.AddUser("mary@acme.test", "manager", "Acme Lending", "East");
  std::int64_t wendy_id = server_.AddUser("wendy@acme.test", "officer", "Acme Lending", "West");
  Client mary = As("mary@acme.test");
  auto lead = mary.Post("/api/contacts", json::object{{"name", "Assigned lead"}, {"owner_id", alice_id_}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  EXPECT_EQ(lead.json.at("owner_id").as_int64(), alice_id_);
  std::int64_t lead_id = IdOf(Obj(lead));
  EXPECT_EQ(alice_.Get(Path("/api/contacts", lead_id)).status, 200);
  auto created = Find(EntityEvents(alice_, "contact", lead_id), "contact_created");
  EXPECT_EQ(created.at("user_id").as_int64(), alice_id_);
  EXPECT_EQ(Meta(created, "actor_id"), json::value(mary_id));
  auto cross = mary.Post("/api/contacts", json::object{{"name", "Wrong team"}, {"owner_id", wendy_id}});
  EXPECT_EQ(cross.status, 403) << cross.body;
  EXPECT_EQ(cross.ErrorField(), "owner_id");
  Client wendy = As("wendy@acme.test");
  EXPECT_TRUE(ListAll(wendy, "/api/contacts").empty());

  // References must point at records the caller can read.
  std::int64_t bobs_contact = MustCreateId(bob_, "/api/contacts", json::object{{"name", "Bob's"}});
  std::int64_t bobs_deal = MustCreateId(bob_, "/api/deals", json::object{{"title", "Bob's deal"}});
  struct Ref {
    std::string path;
    json::object body;
    std::string field;
  };
  const Ref refs[] = {
      {"/api/deals", {{"title", "Linked"}, {"contact_id", bobs_contact}}, "contact_id"},
      {"/api/tasks", {{"title", "Linked"}, {"contact_id", bobs_contact}}, "contact_id"},
      {"/api/tasks", {{"title", "Linked"}, {"deal_id", bobs_deal}}, "deal_id"},
      {"/api/activities", {{"type", "call"}, {"deal_id", bobs_deal}}, "deal_id"},
      {"/api/contacts", {{"name", "Linked"}, {"referred_by", bobs_contact}}, "referred_by"},
      {"/api/deals", {{"title", "Linked"}, {"contact_id", 99999999}}, "contact_id"},
  };
  for (const auto& ref : refs) {
    SCOPED_TRACE(ToJson(ref.body));
    auto r = alice_.Post(ref.path, ref.body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorField(), ref.field);
    EXPECT_EQ(r.body.find("Bob's"), std::string::npos);
  }
  auto relink = alice_.Patch(Path("/api/deals", IdOf(deal_)), json::object{{"contact_id", bobs_contact}});
  EXPECT_EQ(relink.status, 400);
  EXPECT_EQ(relink.ErrorField(), "contact_id");
  EXPECT_EQ(MustGet(alice_, Path("/api/deals", IdOf(deal_))), deal_);
}

// ------------------------------------------------------ bulk activities

json::array ValidActivities(int n, std::int64_t contact, TimestampMs now) {
  static const char* kTypes[] = {"call", "text", "email", "meeting", "note"};
  json::array rows;
  for (int i = 0; i < n; ++i)
    rows.push_back(json::object{{"type", kTypes[i % 5]},
                                {"contact_id", contact},
                                {"occurred_at", FormatIso(now - (n - i) * kMsPerMinute)},
                                {"notes", fmt::format("row {}", i)}});
  return rows;
}

TEST_F(CrmTest, BulkActivitiesCreatesEveryRow) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Wes"}});
  json::array rows = ValidActivities(500, contact, Now());
  auto r = alice_.Post("/api/activities/bulk", rows);
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 500);
  EXPECT_EQ(r.json.at("created"), json::value(500));
  auto ids = r.json.at("ids").as_array();
  ASSERT_EQ(ids.size(), 500u);
  std::set<std::int64_t> id_set;
  for (const auto& v : ids) id_set.insert(v.as_int64());
  EXPECT_EQ(id_set.size(), 500u);

  auto listed = ListAll(alice_, "/api/activities");
  ASSERT_EQ(listed.size(), 500u);
  auto listed_ids = Ids(listed);
  EXPECT_EQ(std::set<std::int64_t>(listed_ids.begin(), listed_ids.end()), id_set);
  // Row i is returned with row i's id.
  auto first = MustGet(alice_, Path("/api/activities", ids[0].as_int64()));
  EXPECT_EQ(first.at("notes").as_string(), "row 0");
  auto last = MustGet(alice_, Path("/api/activities", ids[499].as_int64()));
  EXPECT_EQ(last.at("notes").as_string(), "row 499");
  EXPECT_EQ(last.at("type").as_string(), "note");

  auto events = ListAll(alice_, "/api/events?entity_type=activity");
  ASSERT_EQ(events.size(), 500u);
  std::map<std::string, int> per_action;
  for (const auto& e : events) ++per_action[std::string(e.at("action").as_string())];
  EXPECT_EQ(per_action, (std::map<std::string, int>{{"call_logged", 100},
                                                    {"text_logged", 100},
                                                    {"email_logged", 100},
                                                    {"meeting_logged", 100},
                                                    {"note_logged", 100}}));
  // The newest call/text/email/meeting row (row 498, a meeting) sets last_contacted_at.
  EXPECT_EQ(MustGet(alice_, Path("/api/contacts", contact)).at("last_contacted_at").as_string(),
            Iso(Now() - 2 * kMsPerMinute));
}

TEST_F(CrmTest, BulkActivitiesWithOneBadRowWriteNothing) {
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  std::int64_t bobs_contact = MustCreateId(bob, "/api/contacts", json::object{{"name", "Bob's"}});
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Xia"}});
  auto contact_before = MustGet(alice_, Path("/api/contacts", contact));
  std::size_t events_before = ListAll(alice_, "/api/events").size();

  struct Case {
    json::value row37;
    int status;
    std::string field;
  };
  const Case cases[] = {
      {json::object{{"type", "fax"}}, 400, "[37].type"},
      {json::object{{"notes", "no type"}}, 400, "[37].type"},
      {json::object{{"type", "call"}, {"favourite", 1}}, 400, "[37].favourite"},
      {json::object{{"type", "call"}, {"duration_seconds", -1}}, 400, "[37].duration_seconds"},
      {json::value(42), 400, "[37]"},
      // These fail inside the transaction, after rows 0-36 were inserted.
      {json::object{{"type", "call"}, {"contact_id", bobs_contact}}, 400, "[37].contact_id"},
      {json::object{{"type", "call"}, {"occurred_at", FormatIso(Now() + kMsPerHour)}}, 400, "[37].occurred_at"},
      {json::object{{"type", "text"}, {"outcome", "answered"}}, 400, "[37].outcome"},
      {json::object{{"type", "call"}, {"owner_id", 999}}, 403, "[37].owner_id"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(ToJson(tc.row37));
    json::array rows = ValidActivities(100, contact, Now());
    rows[37] = tc.row37;
    auto r = alice_.Post("/api/activities/bulk", rows);
    EXPECT_EQ(r.status, tc.status) << r.body;
    EXPECT_EQ(r.ErrorField(), tc.field);
    EXPECT_EQ(r.ErrorCode(), tc.status == 400 ? "INVALID_ARGUMENT" : "PERMISSION_DENIED");
    EXPECT_TRUE(ListAll(alice_, "/api/activities").empty());
    EXPECT_EQ(ListAll(alice_, "/api/events").size(), events_before);
    EXPECT_EQ(MustGet(alice_, Path("/api/contacts", contact)), contact_before) << "last_contacted_at rolled back";
  }
}

TEST_F(CrmTest, BulkActivitiesRejectsBadEnvelopes) {
  json::array too_many;
  for (int i = 0; i < 10001; ++i) too_many.push_back(json::object{{"type", "note"}});
  const std::pair<std::string, std::string> cases[] = {
      {"empty array", "[]"},
      {"over 10000 rows", ToJson(too_many)},
      {"an object", R"({"type":"call"})"},
      {"a string", R"("call")"},
      {"null", "null"},
  };
  for (const auto& [name, body] : cases) {
    SCOPED_TRACE(name);
    auto r = alice_.Send("POST", "/api/activities/bulk", body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorCode(), "INVALID_ARGUMENT");
  }
  EXPECT_TRUE(ListAll(alice_, "/api/activities").empty());
}

TEST_F(CrmTest, ActivityOutcomeAndTimeRules) {
  auto answered_text = alice_.Post("/api/activities", json::object{{"type", "text"}, {"outcome", "answered"}});
  EXPECT_EQ(answered_text.status, 400);
  EXPECT_EQ(answered_text.ErrorField(), "outcome");
  for (const char* outcome : {"answered", "no_answer", "voicemail", "appointment_set", "application_taken"})
    EXPECT_EQ(alice_.Post("/api/activities", json::object{{"type", "call"}, {"outcome", outcome}}).status, 201)
        << outcome;
  EXPECT_EQ(alice_.Post("/api/activities", json::object{{"type", "meeting"}, {"outcome", "application_taken"}}).status,
            201);

  auto future =
      alice_.Post("/api/activities", json::object{{"type", "call"}, {"occurred_at", Iso(Now() + kMsPerHour)}});
  EXPECT_EQ(future.status, 400);
  EXPECT_EQ(future.ErrorField(), "occurred_at");

  TimestampMs month_ago = Now() - 30 * kMsPerDay;
  auto backfilled =
      MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"occurred_at", Iso(month_ago)}});
  EXPECT_EQ(backfilled.at("occurred_at").as_string(), Iso(month_ago));
  EXPECT_EQ(backfilled.at("created_at").as_string(), Iso(Now()));
  EXPECT_EQ(ListAll(alice_, "/api/activities").size(), 7u) << "the two rejected ones were not written";
}

// ------------------------------------------------------------------ lists

TEST_F(CrmTest, CursorPaginationVisitsEveryRecordOnceInOrder) {
  std::set<std::int64_t> all;
  for (int i = 0; i < 120; ++i)
    all.insert(MustCreateId(alice_, "/api/contacts", json::object{{"name", fmt::format("Person {:03}", i % 40)}}));
  ASSERT_EQ(all.size(), 120u);

  for (const char* sort : {"", "name", "-name", "created_at"}) {
    SCOPED_TRACE(sort);
    std::string base = std::string("/api/contacts?limit=50") + (*sort ? std::string("&sort=") + sort : "");
    std::vector<std::size_t> sizes;
    json::array seen;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
      auto r = alice_.Get(base + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(r.status, 200) << r.body;
      const auto& items = r.json.at("items").as_array();
      sizes.push_back(items.size());
      for (const auto& v : items) seen.push_back(v);
      if (r.json.at("next_cursor").is_null()) break;
      cursor = std::string(r.json.at("next_cursor").as_string());
      if (page == 0) MustCreate(alice_, "/api/contacts", json::object{{"name", "Zz late arrival"}});
    }
    EXPECT_GE(sizes.size(), 3u);
    EXPECT_EQ(sizes[0], 50u);
    EXPECT_EQ(sizes[1], 50u);
    auto ids = Ids(seen);
    std::set<std::int64_t> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "no duplicates";
    for (auto id : all) EXPECT_TRUE(unique.contains(id)) << "missing " << id;
    // Ordered by the sort key, then by id in the same direction.
    for (std::size_t i = 1; i < seen.size(); ++i) {
      const auto& a = seen[i - 1].as_object();
      const auto& b = seen[i].as_object();
      std::string sa(a.at("name").as_string()), sb(b.at("name").as_string());
      std::int64_t ia = IdOf(a), ib = IdOf(b);
      if (std::string_view(sort) == "name")
        EXPECT_TRUE(sa < sb || (sa == sb && ia < ib)) << sa << " " << sb;
      else if (std::string_view(sort) == "-name")
        EXPECT_TRUE(sa > sb || (sa == sb && ia > ib)) << sa << " " << sb;
      else if (std::string_view(sort) == "created_at")
        EXPECT_LT(ia, ib);
      else
        EXPECT_GT(ia, ib);
    }
  }
  // Exactly 120: 50, 50, 20 and then the end.
  std::string cursor;
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 5; ++page) {
    auto r = alice_.Get("/api/contacts?limit=50&q=person" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200);
    sizes.push_back(r.json.at("items").as_array().size());
    if (r.json.at("next_cursor").is_null()) break;
    cursor = std::string(r.json.at("next_cursor").as_string());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{50, 50, 20}));
}

TEST_F(CrmTest, ListParametersAreValidated) {
  MustCreate(alice_, "/api/contacts", json::object{{"name", "Only"}});
  auto sorted_page = alice_.Get("/api/contacts?limit=1&sort=name");
  ASSERT_EQ(sorted_page.status, 200);
  EXPECT_TRUE(sorted_page.json.at("next_cursor").is_null());
  MustCreate(alice_, "/api/contacts", json::object{{"name", "Other"}});
  auto name_page = alice_.Get("/api/contacts?limit=1&sort=name");
  ASSERT_FALSE(name_page.json.at("next_cursor").is_null());
  std::string name_cursor(name_page.json.at("next_cursor").as_string());

  struct Case {
    std::string target;
    std::string field;
  };
  const Case cases[] = {
      {"/api/contacts?limit=0", "limit"},
      {"/api/contacts?limit=201", "limit"},
      {"/api/contacts?limit=-5", "limit"},
      {"/api/contacts?limit=ten", "limit"},
      {"/api/contacts?sort=color", "sort"},
      {"/api/contacts?sort=-notes", "sort"},
      {"/api/contacts?cursor=zz", "cursor"},
      {"/api/contacts?cursor=abc", "cursor"},
      {"/api/contacts?cursor=" + name_cursor, "cursor"},  // a cursor of another sort
      {"/api/contacts?sort=-name&cursor=" + name_cursor, "cursor"},
      {"/api/contacts?colour=red", "colour"},
      {"/api/contacts?status=WON", "status"},
      {"/api/contacts?owner_id=abc", "owner_id"},
      {"/api/contacts?created_since=yesterday", "created_since"},
      {"/api/deals?open=maybe", "open"},
      {"/api/deals?min_value=abc", "min_value"},
      {"/api/deals?stage=Closed", "stage"},
      {"/api/deals?flavor=1", "flavor"},
      {"/api/tasks?overdue=yes", "overdue"},
      {"/api/tasks?due_from=2026-02-30", "due_from"},
      {"/api/tasks?assignee=1", "assignee"},
      {"/api/activities?type=fax", "type"},
      {"/api/activities?since=now", "since"},
      {"/api/activities?color=1", "color"},
      {"/api/events?limit=0", "limit"},
      {"/api/events?colour=1", "colour"},
      {"/api/events?cursor=xyz", "cursor"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.target);
    auto r = alice_.Get(tc.target);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorCode(), "INVALID_ARGUMENT");
    EXPECT_EQ(r.ErrorField(), tc.field);
  }
  auto unknown = alice_.Get("/api/contacts?colour=red");
  EXPECT_NE(unknown.json.at("error").at("message").as_string().find("colour"), std::string::npos);
  EXPECT_EQ(alice_.Get("/api/contacts?limit=200").status, 200);
  EXPECT_EQ(alice_.Get("/api/contacts?limit=1").status, 200);
}

TEST_F(CrmTest, ContactsSortByNameBothWays) {
  for (const char* name : {"Carla", "alvin", "Bea", "Dmitri", "Aaron"})
    MustCreate(alice_, "/api/contacts", json::object{{"name", name}});
  EXPECT_EQ(Strings(ListAll(alice_, "/api/contacts?sort=name"), "name"),
            (std::vector<std::string>{"Aaron", "Bea", "Carla", "Dmitri", "alvin"}));
  EXPECT_EQ(Strings(ListAll(alice_, "/api/contacts?sort=-name"), "name"),
            (std::vector<std::string>{"alvin", "Dmitri", "Carla", "Bea", "Aaron"}));
  EXPECT_EQ(Strings(ListAll(alice_, "/api/contacts"), "name"),
            (std::vector<std::string>{"Aaron", "Dmitri", "Bea", "alvin", "Carla"}))
      << "default: newest first";
}

TEST_F(CrmTest, ContactFilters) {
  auto make = [&](const char* name, const char* status, json::array tags, const char* email, const char* phone) {
    json::object b{{"name", name}, {"status", status}, {"tags", std::move(tags)}};
    if (email) b["email"] = email;
    if (phone) b["phone"] = phone;
    return MustCreateId(alice_, "/api/contacts", b);
  };
  std::int64_t lead = make("John Smith", "LEAD", {"VIP", "FHA"}, "jsmith@example.com", nullptr);
  std::int64_t prospect = make("Mary Jones", "PROSPECT", {"vip"}, "mj@example.com", "312-555-0199");
  std::int64_t client = make("Ann Smithers", "CLIENT", {"jumbo"}, nullptr, nullptr);
  std::int64_t partner = make("Pete Realtor", "REFERRAL_PARTNER", {}, "pete@smith-realty.test", nullptr);

  auto ids = [&](const std::string& q) {
    auto v = Ids(ListAll(alice_, "/api/contacts?" + q));
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(ids("status=LEAD,PROSPECT"), (V{lead, prospect}));
  EXPECT_EQ(ids("status=CLIENT"), (V{client}));
  EXPECT_EQ(ids("tag=VIP"), (V{lead, prospect}));
  EXPECT_EQ(ids("tag=vip"), (V{lead, prospect}));
  EXPECT_EQ(ids("tag=Jumbo"), (V{client}));
  EXPECT_EQ(ids("tag=va"), V{});
  EXPECT_EQ(ids("q=smith"), (V{lead, client, partner})) << "name or email";
  EXPECT_EQ(ids("q=SMITH"), (V{lead, client, partner}));
  EXPECT_EQ(ids("q=555-0199"), (V{prospect})) << "phone";
  EXPECT_EQ(ids("q=" + Enc("%")), V{}) << "LIKE wildcards are literal";
  EXPECT_EQ(ids("q=" + Enc("_")), V{});
  EXPECT_EQ(ids("status=LEAD,PROSPECT&tag=fha"), (V{lead})) << "filters AND";
  EXPECT_EQ(ids("q=smith&status=CLIENT,REFERRAL_PARTNER&sort=name"), (V{client, partner}));
}

TEST_F(CrmTest, NotContactedSinceIncludesNeverContacted) {
  std::int64_t never = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Never"}});
  std::int64_t old = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Old"}});
  std::int64_t recent = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Recent"}});
  MustCreate(alice_, "/api/activities",
             json::object{{"type", "call"}, {"contact_id", old}, {"occurred_at", Iso(Now() - 40 * kMsPerDay)}});
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", recent}});
  auto v = Ids(ListAll(alice_, "/api/contacts?not_contacted_since=" + Iso(Now() - 30 * kMsPerDay)));
  std::sort(v.begin(), v.end());
  EXPECT_EQ(v, (std::vector<std::int64_t>{never, old}));
  // Never-contacted sorts last both ways.
  EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?sort=last_contacted_at")),
            (std::vector<std::int64_t>{old, recent, never}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?sort=-last_contacted_at")),
            (std::vector<std::int64_t>{recent, old, never}));
}

TEST_F(CrmTest, DealFilters) {
  auto make = [&](const char* title, const char* stage, double value) {
    return MustCreateId(alice_, "/api/deals", json::object{{"title", title}, {"stage", stage}, {"value", value}});
  };
  std::int64_t lead = make("Lead deal", "Lead", 150000);
  std::int64_t uw = make("Underwriting deal", "Underwriting", 420000);
  std::int64_t won = make("Won deal", "Closed Won", 300000);
  std::int64_t lost = make("Lost deal", "Closed Lost", 800000);
  auto ids = [&](const std::string& q) {
    auto v = Ids(ListAll(alice_, "/api/deals?" + q));
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(ids("open=true"), (V{lead, uw}));
  EXPECT_EQ(ids("open=false"), (V{won, lost}));
  EXPECT_EQ(ids("min_value=300000"), (V{uw, won, lost}));
  EXPECT_EQ(ids("min_value=300000.01"), (V{uw, lost}));
  EXPECT_EQ(ids("max_value=300000"), (V{lead, won}));
  EXPECT_EQ(ids("open=true&min_value=200000"), (V{uw}));
  EXPECT_EQ(ids("stage=Closed%20Won,Lead"), (V{lead, won}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/deals?sort=-value")), (V{lost, uw, won, lead}));
}

TEST_F(CrmTest, TaskOverdueUsesTheCallersTimeZone) {
  auto make = [&](const char* title, const char* due, const char* status) {
    json::object b{{"title", title}, {"status", status}};
    if (due) b["due_date"] = due;
    return MustCreateId(alice_, "/api/tasks", b);
  };
  std::int64_t yesterday = make("yesterday", "2026-11-19", "pending");
  std::int64_t long_ago = make("long ago", "2026-11-01", "in_progress");
  std::int64_t today = make("today", "2026-11-20", "pending");
  std::int64_t done = make("done late", "2026-11-19", "completed");
  std::int64_t undated = make("undated", nullptr, "pending");
  auto ids = [&](const std::string& q) {
    auto v = Ids(ListAll(alice_, "/api/tasks?" + q));
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(ids("overdue=true"), (V{yesterday, long_ago}));
  EXPECT_EQ(ids("overdue=false"), (V{today, done, undated}));

  // 03:00 UTC on the 21st is still the evening of the 20th in Chicago.
  server_.clock().Set(kTestNow + 12 * kMsPerHour);
  EXPECT_EQ(ids("overdue=true"), (V{yesterday, long_ago}));
  // 06:30 UTC on the 21st is past midnight in Chicago.
  server_.clock().Set(kTestNow + 15 * kMsPerHour + 30 * kMsPerMinute);
  EXPECT_EQ(ids("overdue=true"), (V{yesterday, long_ago, today}));
}

TEST_F(CrmTest, TaskSortsKeepUndatedLastAndRankPriority) {
  auto make = [&](const char* title, const char* due, const char* priority) {
    json::object b{{"title", title}, {"priority", priority}};
    if (due) b["due_date"] = due;
    return MustCreateId(alice_, "/api/tasks", b);
  };
  std::int64_t a = make("a", "2026-11-22", "low");
  std::int64_t b = make("b", nullptr, "urgent");
  std::int64_t c = make("c", "2026-11-21", "high");
  std::int64_t d = make("d", nullptr, "medium");
  std::int64_t e = make("e", "2026-12-01", "urgent");
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(Ids(ListAll(alice_, "/api/tasks")), (V{c, a, e, b, d})) << "default: due_date, undated last";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/tasks?sort=-due_date")), (V{e, a, c, d, b})) << "undated last either way";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/tasks?sort=-priority")), (V{e, b, c, d, a}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/tasks?sort=priority")), (V{a, d, c, b, e}));
  // Paging one at a time across the undated boundary gives the same order.
  std::vector<std::int64_t> paged;
  std::string cursor;
  for (int i = 0; i < 10; ++i) {
    auto r = alice_.Get("/api/tasks?limit=1&sort=-due_date" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    for (auto id : Ids(r.json.at("items").as_array())) paged.push_back(id);
    if (r.json.at("next_cursor").is_null()) break;
    cursor = std::string(r.json.at("next_cursor").as_string());
  }
  EXPECT_EQ(paged, (V{e, a, c, d, b}));
}

TEST_F(CrmTest, ActivityFiltersByTimeAndType) {
  TimestampMs t0 = Now();
  auto log = [&](const char* type, TimestampMs at) {
    return MustCreateId(alice_, "/api/activities", json::object{{"type", type}, {"occurred_at", Iso(at)}});
  };
  std::int64_t call3 = log("call", t0 - 3 * kMsPerDay);
  std::int64_t email2 = log("email", t0 - 2 * kMsPerDay);
  std::int64_t call1 = log("call", t0 - 1 * kMsPerDay);
  std::int64_t note0 = log("note", t0);
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities")), (V{note0, call1, email2, call3})) << "newest first";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?since=" + Iso(t0 - 2 * kMsPerDay))), (V{note0, call1, email2}))
      << "since is inclusive";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?until=" + Iso(t0 - 1 * kMsPerDay))), (V{email2, call3}))
      << "until is exclusive";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?since=" + Iso(t0 - 2 * kMsPerDay) + "&until=" + Iso(t0))),
            (V{call1, email2}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?type=call")), (V{call1, call3}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?type=call,note")), (V{note0, call1, call3}));
  EXPECT_EQ(Ids(ListAll(alice_, "/api/activities?type=call&since=" + Iso(t0 - 2 * kMsPerDay))), (V{call1}));
}

// ----------------------------------------------------------- contact rules

TEST_F(CrmTest, ReferredByMustBeAReferralPartner) {
  std::int64_t partner =
      MustCreateId(alice_, "/api/contacts", json::object{{"name", "Rita Realtor"}, {"status", "REFERRAL_PARTNER"}});
  std::int64_t lead = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Larry Lead"}});

  auto referred = MustCreate(alice_, "/api/contacts", json::object{{"name", "Referred"}, {"referred_by", partner}});
  EXPECT_EQ(referred.at("referred_by"), json::value(partner));
  EXPECT_EQ(Ids(ListAll(alice_, fmt::format("/api/contacts?referred_by={}", partner))),
            std::vector<std::int64_t>{IdOf(referred)});

  struct Case {
    json::value ref;
    const char* why;
  };
  const Case cases[] = {{lead, "a LEAD"}, {99999999, "no such contact"}, {"abc", "not an id"}, {0, "zero"}};
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.why);
    auto r = alice_.Post("/api/contacts", json::object{{"name", "Bad ref"}, {"referred_by", tc.ref}});
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorField(), "referred_by");
  }
  auto self = alice_.Patch(Path("/api/contacts", partner), json::object{{"referred_by", partner}});
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(self.ErrorField(), "referred_by");
  auto to_lead = alice_.Patch(Path("/api/contacts", IdOf(referred)), json::object{{"referred_by", lead}});
  EXPECT_EQ(to_lead.status, 400);
  EXPECT_EQ(to_lead.ErrorField(), "referred_by");
  EXPECT_EQ(MustGet(alice_, Path("/api/contacts", IdOf(referred))).at("referred_by"), json::value(partner));
  EXPECT_EQ(ListAll(alice_, "/api/contacts").size(), 3u);
}

TEST_F(CrmTest, ContactWithDealsCannotBeDeleted) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Yara"}});
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Yara refi"}, {"contact_id", contact}});
  std::size_t events_before = ListAll(alice_, "/api/events").size();
  auto r = alice_.Delete(Path("/api/contacts", contact));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.ErrorCode(), "CONFLICT");
  EXPECT_EQ(alice_.Get(Path("/api/contacts", contact)).status, 200);
  EXPECT_EQ(ListAll(alice_, "/api/events").size(), events_before);
  ASSERT_EQ(alice_.Delete(Path("/api/deals", deal)).status, 204);
  EXPECT_EQ(alice_.Delete(Path("/api/contacts", contact)).status, 204);
  EXPECT_EQ(alice_.Get(Path("/api/contacts", contact)).status, 404);
}

TEST_F(CrmTest, DeletingAContactUnlinksTasksAndActivities) {
  std::int64_t contact = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Zane"}});
  std::int64_t task = MustCreateId(alice_, "/api/tasks", json::object{{"title", "Call Zane"}, {"contact_id", contact}});
  std::int64_t act = MustCreateId(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", contact}});
  ASSERT_EQ(alice_.Delete(Path("/api/contacts", contact)).status, 204);
  EXPECT_TRUE(MustGet(alice_, Path("/api/tasks", task)).at("contact_id").is_null());
  EXPECT_TRUE(MustGet(alice_, Path("/api/activities", act)).at("contact_id").is_null());
}

TEST_F(CrmTest, TagsAreDeduplicatedCaseInsensitively) {
  auto c = MustCreate(
      alice_, "/api/contacts",
      json::parse(R"({"name":"Tagged","tags":["VIP","vip"," Vip ","First-Time Buyer","first-time buyer"]})"));
  EXPECT_EQ(c.at("tags"), json::parse(R"(["VIP","First-Time Buyer"])"));
  std::int64_t id = IdOf(c);
  EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?tag=" + Enc("FIRST-TIME BUYER"))), std::vector<std::int64_t>{id});
  auto patched = alice_.Patch(Path("/api/contacts", id), json::parse(R"({"tags":["Jumbo","JUMBO"]})"));
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(patched.json.at("tags"), json::parse(R"(["Jumbo"])"));
  EXPECT_TRUE(ListAll(alice_, "/api/contacts?tag=vip").empty()) << "old tags no longer match";
  EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?tag=jumbo")), std::vector<std::int64_t>{id});
  auto cleared = alice_.Patch(Path("/api/contacts", id), json::parse(R"({"tags":null})"));
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(cleared.json.at("tags").as_array().empty());
  EXPECT_TRUE(ListAll(alice_, "/api/contacts?tag=jumbo").empty());
}

// ------------------------------------------------------------------ values

TEST_F(CrmTest, SqlLookingStringsAreStoredVerbatim) {
  const std::string nasty[] = {
      "Robert'); DROP TABLE contacts;--",
      "' OR '1'='1",
      "x\"; DELETE FROM events; --",
      "100% _legit_ \\ name",
  };
  std::vector<std::int64_t> ids;
  for (const auto& s : nasty) {
    auto c = MustCreate(alice_, "/api/contacts", json::object{{"name", s}, {"notes", s}, {"source", s}});
    EXPECT_EQ(c.at("name").as_string(), s);
    ids.push_back(IdOf(c));
    EXPECT_EQ(MustGet(alice_, Path("/api/contacts", IdOf(c))).at("notes").as_string(), s);
    auto found = ListAll(alice_, "/api/contacts?q=" + Enc(s));
    ASSERT_EQ(found.size(), 1u) << s;
    EXPECT_EQ(found[0].at("name").as_string(), s);
  }
  EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?source=" + Enc(nasty[0]))), std::vector<std::int64_t>{ids[0]});
  // The tables still work.
  EXPECT_EQ(ListAll(alice_, "/api/contacts").size(), 4u);
  EXPECT_EQ(alice_.Post("/api/contacts", json::object{{"name", "After"}}).status, 201);
  EXPECT_EQ(ListAll(alice_, "/api/events?action=contact_created").size(), 5u);
  EXPECT_EQ(alice_.Post("/api/deals", json::object{{"title", nasty[0]}}).json.at("title").as_string(), nasty[0]);
}

// List pages are written as text, not through the JSON DOM that single
// records use: byte for byte the same records.
TEST_F(CrmTest, ListPagesAreByteIdenticalToSingleRecords) {
  const std::string tricky = "Quote \" back\\slash / Zoë 😀 王";
  auto contact = MustCreateId(alice_, "/api/contacts",
                              json::object{{"name", tricky},
                                            {"email", "zoe@example.com"},
                                            {"notes", tricky + "\tand a tab\nsecond line\r\n"},
                                            {"tags", json::array{"first-time buyer", tricky.substr(0, 20)}}});
  MustCreateId(alice_, "/api/contacts", json::object{{"name", "Plain"}});
  MustCreateId(alice_, "/api/deals", json::object{{"title", tricky}, {"value", 1234.57}, {"contact_id", contact}});
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Whole"}, {"value", 350000}});
  MustCreateId(alice_, "/api/tasks", json::object{{"title", tricky},
                                                  {"notes", "line 1\nline 2 \"quoted\""},
                                                  {"due_date", "2026-11-25"},
                                                  {"due_time", "09:30"},
                                                  {"contact_id", contact}});
  MustCreateId(alice_, "/api/tasks", json::object{{"title", "Undated"}, {"status", "completed"}});
  MustCreateId(alice_, "/api/activities",
               json::object{{"type", "call"}, {"outcome", "answered"}, {"contact_id", contact}, {"notes", tricky}});
  for (std::string path : {"/api/contacts", "/api/deals", "/api/tasks", "/api/activities"}) {
    SCOPED_TRACE(path);
    auto list = alice_.Get(path);
    ASSERT_EQ(list.status, 200) << list.body;
    std::string expected = R"({"items":[)";
    bool first = true;
    for (const auto& item : list.json.at("items").as_array()) {
      auto one = alice_.Get(fmt::format("{}/{}", path, item.at("id").as_int64()));
      ASSERT_EQ(one.status, 200) << one.body;
      expected += first ? "" : ",";
      expected += one.body;
      first = false;
    }
    expected += R"(],"next_cursor":null})";
    EXPECT_FALSE(first) << "the list is not empty";
    EXPECT_EQ(list.body, expected);
  }
}

TEST_F(CrmTest, UnicodeRoundTrips) {
  const std::string names[] = {"José Núñez", "王小明", "Zoë 😀 Brontë", "Ольга Иванова", "محمد"};
  for (const auto& name : names) {
    auto c = MustCreate(alice_, "/api/contacts", json::object{{"name", name}, {"tags", json::array{name}}});
    EXPECT_EQ(c.at("name").as_string(), name);
    auto got = MustGet(alice_, Path("/api/contacts", IdOf(c)));
    EXPECT_EQ(got.at("name").as_string(), name);
    EXPECT_EQ(got.at("tags"), json::value(json::array{name}));
    EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?tag=" + Enc(name))), std::vector<std::int64_t>{IdOf(c)});
  }
  EXPECT_EQ(ListAll(alice_, "/api/contacts?q=" + Enc("小明")).size(), 1u);
}

TEST_F(CrmTest, LengthLimitsCountCharactersNotBytes) {
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  // name: at most 120 characters, whatever their UTF-8 length.
  for (std::string_view ch : {"a", "é", "王", "😀"}) {
    SCOPED_TRACE(ch);
    auto ok = alice_.Post("/api/contacts", json::object{{"name", repeat(ch, 120)}});
    EXPECT_EQ(ok.status, 201) << ok.body;
    auto too_long = alice_.Post("/api/contacts", json::object{{"name", repeat(ch, 121)}});
    EXPECT_EQ(too_long.status, 400) << too_long.body;
    EXPECT_EQ(too_long.ErrorField(), "name");
    // Tags: at most 40 characters each.
    auto tag_ok = alice_.Post("/api/contacts", json::object{{"name", "T"}, {"tags", json::array{repeat(ch, 40)}}});
    ASSERT_EQ(tag_ok.status, 201) << tag_ok.body;
    EXPECT_EQ(Ids(ListAll(alice_, "/api/contacts?tag=" + Enc(repeat(ch, 40)))),
              std::vector<std::int64_t>{IdOf(Obj(tag_ok))})
        << "a tag that can be stored can be filtered on";
    auto tag_long = alice_.Post("/api/contacts", json::object{{"name", "T"}, {"tags", json::array{repeat(ch, 41)}}});
    EXPECT_EQ(tag_long.status, 400) << tag_long.body;
    EXPECT_EQ(tag_long.ErrorField(), "tags");
  }
}

// Lists, pending insights and the today dashboard are answered from a memo
// while nothing has committed (api/response_memo.h). Every commit, by anyone
// and from any process, shows at once; so does time with no commit at all:
// local midnight (the overdue filter, the dashboard's date) and an
// insight's expiry.
TEST_F(CrmTest, MemoisedReadsFollowEveryCommitAndTheClock) {
  auto& clock = server_.clock();
  clock.Set(ParseIso("2026-11-21T05:59:40Z", "now").value());  // 23:59:40 in Chicago
  auto made = alice_.Post("/api/tasks", json::object{{"title", "Send disclosures"}, {"due_date", "2026-11-20"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::int64_t task = made.json.at("id").as_int64();
  auto titles = [&](const std::string& target) {
    auto r = alice_.Get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    std::set<std::string> out;
    if (r.status == 200)
      for (const auto& t : r.json.at("items").as_array()) out.insert(std::string(t.at("title").as_string()));
    return out;
  };
  using Titles = std::set<std::string>;
  EXPECT_EQ(titles("/api/tasks"), Titles{"Send disclosures"});
  EXPECT_EQ(titles("/api/tasks"), Titles{"Send disclosures"});
  // Another process changes the row behind the server's back.
  auto other = store::OpenDatabase(server_.database_url());
  ASSERT_TRUE(other) << other.error().message;
  auto write = [&](std::string_view sql, std::vector<store::Value> params) {
    return (*other)->Write([&](store::Connection& c) -> Status {
      auto r = c.Exec(sql, params);
      if (!r) return r.error();
      return {};
    });
  };
  ASSERT_TRUE(write("UPDATE tasks SET title = ? WHERE id = ?", {std::string("Send the disclosures"), task}));
  EXPECT_EQ(titles("/api/tasks"), Titles{"Send the disclosures"});
  // Her manager gives her another.
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  auto mia = As("mia@acme.test");
  ASSERT_EQ(mia.Post("/api/tasks", json::object{{"title", "Call the underwriter"}, {"owner_id", alice_id_}}).status, 201);
  EXPECT_EQ(titles("/api/tasks"), (Titles{"Send the disclosures", "Call the underwriter"}));
  // An insight that expires at 00:00:30, written by another process.
  const auto midnight = ParseIso("2026-11-21T06:00:00Z", "now").value();
  ASSERT_TRUE(write(
      "INSERT INTO coach_insights (org_id, user_id, rule, dedupe_key, fingerprint, type, priority, rank, message, "
      "created_at, expires_at) SELECT org_id, id, 'test', 'test', 'test', 'action', 'high', 100, 'Lock the rate today', "
      "?, ? FROM users WHERE id = ?",
      {clock.Now(), midnight + 30'000, alice_id_}));
  auto insights = [&] {
    auto r = alice_.Get("/api/coach/insights");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body.find("Lock the rate today") != std::string::npos;
  };
  auto date = [&] { return alice_.Get("/api/hub/today").json.at("date"); };
  // Read (and memoised) just before midnight, with nothing committing after
  // (the first dashboard may train the org's lead model: a commit).
  EXPECT_EQ(date(), json::value("2026-11-20"));
  EXPECT_EQ(titles("/api/tasks?overdue=true"), Titles{});
  EXPECT_EQ(date(), json::value("2026-11-20"));
  EXPECT_TRUE(insights());
  clock.Set(midnight + 5'000);
  EXPECT_EQ(titles("/api/tasks?overdue=true"), Titles{"Send the disclosures"});
  EXPECT_EQ(date(), json::value("2026-11-21"));
  EXPECT_TRUE(insights());
  clock.Set(midnight + 31'000);
  EXPECT_FALSE(insights());
}

}  // namespace
}  // namespace chosen::testing
