// The coach over real HTTP: settings, the check endpoint, action insights
// from the event log, time insights from sweeps, ordering, levels, dedupe
// (windows, restarts, concurrency), lasting dismissals, privacy and writes
// under load, as an officer using the API would notice them. Each test also
// pins one of the seed plan's defects that must not come back.
#include <algorithm>
#include <chrono>
#include <latch>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "coach/scheduler.h"
#include "common/time_util.h"
#include "integration/harness.h"
#include "pattern/leads.h"
#include "pattern/patterns.h"
#include "transfer/transfer.h"

namespace chosen::testing {
namespace {

std::string Iso(TimestampMs ms) { return FormatIso(ms); }

json::object Obj(const HttpResult& r) { return r.json.is_object() ? r.json.as_object() : json::object(); }

std::int64_t IdOf(const json::value& v) {
  if (!v.is_object()) return 0;
  auto it = v.as_object().find("id");
  return it != v.as_object().end() && it->value().is_int64() ? it->value().as_int64() : 0;
}

std::string Path(const std::string& base, std::int64_t id) { return base + "/" + std::to_string(id); }

json::object MustCreate(Client& c, const std::string& path, const json::value& body) {
  auto r = c.Post(path, body);
  EXPECT_EQ(r.status, 201) << "POST " << path << " " << ToJson(body) << " -> " << r.body;
  return r.status == 201 ? Obj(r) : json::object();
}

std::int64_t MustCreateId(Client& c, const std::string& path, const json::value& body) {
  return IdOf(MustCreate(c, path, body));
}

void MustPatch(Client& c, const std::string& path, const json::value& body) {
  auto r = c.Patch(path, body);
  EXPECT_EQ(r.status, 200) << "PATCH " << path << " " << ToJson(body) << " -> " << r.body;
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

// How many events with `action` were logged about one record.
std::size_t EventCount(Client& c, std::string_view action, std::string_view type, std::int64_t id) {
  return ListAll(c, fmt::format("/api/events?action={}&entity_type={}&entity_id={}", action, type, id)).size();
}

// GET /api/coach/insights[?query]; expects 200 and a JSON array.
json::array Insights(Client& c, const std::string& query = "") {
  std::string target = "/api/coach/insights" + (query.empty() ? "" : "?" + query);
  auto r = c.Get(target);
  EXPECT_EQ(r.status, 200) << "GET " << target << " -> " << r.body;
  EXPECT_TRUE(r.json.is_array()) << r.body;
  return r.status == 200 && r.json.is_array() ? r.json.as_array() : json::array();
}

std::string Str(const json::value& insight, std::string_view key) {
  if (!insight.is_object()) return "<not an object>";
  auto it = insight.as_object().find(key);
  if (it == insight.as_object().end() || !it->value().is_string()) return "<missing>";
  return std::string(it->value().as_string());
}

std::string Msg(const json::value& insight) { return Str(insight, "message"); }

// The front end's check after closing a deal won (the plan's Task 16): no contact_id.
json::value WonCheck(std::int64_t deal) {
  return json::object{{"action", "deal_closed"},
                      {"entity_type", "deal"},
                      {"entity_id", deal},
                      {"metadata", json::object{{"won", true}}}};
}

bool Has(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

json::array ByRule(const json::array& items, std::string_view rule) {
  json::array out;
  for (const auto& v : items)
    if (Str(v, "rule") == rule) out.push_back(v);
  return out;
}

// The one insight of `rule` in `items` (null, with a failure, otherwise).
json::value One(const json::array& items, std::string_view rule) {
  auto found = ByRule(items, rule);
  EXPECT_EQ(found.size(), 1u) << "insights of " << rule << " in " << ToJson(items);
  return found.size() == 1 ? found[0] : json::value(nullptr);
}

std::vector<std::int64_t> Ids(const json::array& items) {
  std::vector<std::int64_t> out;
  for (const auto& v : items) out.push_back(IdOf(v));
  return out;
}

bool HasId(const json::array& items, std::int64_t id) {
  auto ids = Ids(items);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::vector<std::string> Priorities(const json::array& items) {
  std::vector<std::string> out;
  for (const auto& v : items) out.push_back(Str(v, "priority"));
  return out;
}

std::vector<std::int64_t> IntArray(const json::value& v) {
  std::vector<std::int64_t> out;
  if (!v.is_array()) return out;
  for (const auto& x : v.as_array()) out.push_back(x.as_int64());
  std::sort(out.begin(), out.end());
  return out;
}

const json::value& Param(const json::value& insight, std::string_view key) {
  static const json::value kMissing = "<missing>";
  if (!insight.is_object() || !insight.as_object().contains("action_params")) return kMissing;
  const auto& p = insight.at("action_params");
  if (!p.is_object()) return kMissing;
  auto it = p.as_object().find(key);
  return it == p.as_object().end() ? kMissing : it->value();
}

class CoachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  TimestampMs Now() { return server_.clock().Now(); }
  void Advance(TimestampMs ms) { server_.clock().Advance(ms); }

  // The scheduler's job, run by hand after moving the clock.
  void SweepAll() {
    auto st = server_.api().coach().SweepAll();
    ASSERT_TRUE(st) << st.error().message;
  }

  void PutSettings(Client& c, const json::object& body) {
    auto r = c.Put("/api/coach/settings", body);
    ASSERT_EQ(r.status, 200) << ToJson(body) << " -> " << r.body;
  }

  HttpResult Check(Client& c, const json::value& body, const std::string& query = "") {
    return c.Post("/api/coach/check" + (query.empty() ? "" : "?" + query), body);
  }

  std::int64_t Contact(Client& c, const std::string& name, const std::string& status = "LEAD") {
    return MustCreateId(c, "/api/contacts", json::object{{"name", name}, {"status", status}});
  }

  std::int64_t Task(Client& c, const std::string& title, const char* priority, const char* due,
                    const char* status = "pending") {
    json::object b{{"title", title}, {"priority", priority}, {"status", status}};
    if (due) b["due_date"] = due;
    return MustCreateId(c, "/api/tasks", b);
  }

  // One integer from SQL run straight on the server's database.
  std::int64_t SqlInt(std::string_view sql, const std::vector<store::Value>& params = {}) {
    std::int64_t n = -1;
    auto st = server_.db().Read([&](store::Connection& c) -> Status {
      auto rows = c.Query(sql, params);
      if (!rows) return rows.error();
      if (!rows->empty()) n = rows->front().Int(0);
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return n;
  }

  // Stored insight rows (pending or not) of `rule` for `user`.
  std::int64_t Rows(std::int64_t user, std::string_view rule) {
    return SqlInt("SELECT COUNT(*) FROM coach_insights WHERE user_id = ? AND rule = ?", {user, std::string(rule)});
  }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()};
};

// ---------------------------------------------------------------- settings

TEST_F(CoachTest, SettingsDefaultRoundTripAndNameTheBadField) {
  auto defaults = alice_.Get("/api/coach/settings");
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  EXPECT_EQ(defaults.json,
            json::parse(R"({"coach_level":2,"coach_enabled":true,"stale_lead_days":7,"stuck_deal_days":14,)"
                        R"("morning_push_time":"06:00","pace_nudges":true,"daily_summary":true})"));

  json::value all = json::parse(
      R"({"coach_level":3,"coach_enabled":false,"stale_lead_days":30,"stuck_deal_days":60,"morning_push_time":"07:30",)"
      R"("pace_nudges":false,"daily_summary":false})");
  auto put = alice_.Put("/api/coach/settings", all);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json, all);
  EXPECT_EQ(alice_.Get("/api/coach/settings").json, all);

  // Only the level is required; the rest take the plan's defaults.
  auto minimal = alice_.Put("/api/coach/settings", json::object{{"coach_level", 1}});
  ASSERT_EQ(minimal.status, 200) << minimal.body;
  json::value expected =
      json::parse(R"({"coach_level":1,"coach_enabled":true,"stale_lead_days":7,"stuck_deal_days":14)"
                  R"(,"morning_push_time":"06:00","pace_nudges":true,"daily_summary":true})");
  EXPECT_EQ(minimal.json, expected);
  auto lows =
      alice_.Put("/api/coach/settings", json::parse(R"({"coach_level":2,"stale_lead_days":1,"stuck_deal_days":1})"));
  ASSERT_EQ(lows.status, 200) << lows.body;
  EXPECT_EQ(lows.json,
            json::parse(R"({"coach_level":2,"coach_enabled":true,"stale_lead_days":1,"stuck_deal_days":1)"
                        R"(,"morning_push_time":"06:00","pace_nudges":true,"daily_summary":true})"));
  ASSERT_EQ(alice_.Put("/api/coach/settings", expected).status, 200);

  struct Case {
    const char* body;
    const char* field;
  };
  const Case cases[] = {
      {R"({})", "coach_level"},
      {R"({"coach_level":null})", "coach_level"},
      {R"({"coach_level":0})", "coach_level"},
      {R"({"coach_level":4})", "coach_level"},
      {R"({"coach_level":"2"})", "coach_level"},
      {R"({"coach_level":2.5})", "coach_level"},
      {R"({"coach_level":2,"coach_enabled":"yes"})", "coach_enabled"},
      {R"({"coach_level":2,"coach_enabled":1})", "coach_enabled"},
      {R"({"coach_level":2,"stale_lead_days":0})", "stale_lead_days"},
      {R"({"coach_level":2,"stale_lead_days":31})", "stale_lead_days"},
      {R"({"coach_level":2,"stale_lead_days":"7"})", "stale_lead_days"},
      {R"({"coach_level":2,"stuck_deal_days":0})", "stuck_deal_days"},
      {R"({"coach_level":2,"stuck_deal_days":61})", "stuck_deal_days"},
      {R"({"coach_level":2,"stuck_deal_days":-5})", "stuck_deal_days"},
      {R"({"coach_level":2,"morning_push_time":"03:59"})", "morning_push_time"},
      {R"({"coach_level":2,"morning_push_time":"11:01"})", "morning_push_time"},
      {R"({"coach_level":2,"morning_push_time":"7:00"})", "morning_push_time"},
      {R"({"coach_level":2,"morning_push_time":"07:60"})", "morning_push_time"},
      {R"({"coach_level":2,"morning_push_time":420})", "morning_push_time"},
      {R"({"coach_level":2,"pace_nudges":"no"})", "pace_nudges"},
      {R"({"coach_level":2,"daily_summary":0})", "daily_summary"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.body);
    auto r = alice_.Put("/api/coach/settings", json::parse(tc.body));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorCode(), "INVALID_ARGUMENT");
    EXPECT_EQ(r.ErrorField(), tc.field);
  }
  EXPECT_EQ(alice_.Put("/api/coach/settings", json::array{1}).status, 400);
  EXPECT_EQ(alice_.Get("/api/coach/settings").json, expected) << "rejected PUTs change nothing";
}

TEST_F(CoachTest, QueryParametersAndCheckBodiesAreValidated) {
  const std::pair<const char*, const char*> bad_queries[] = {
      {"limit=0", "limit"},
      {"limit=51", "limit"},
      {"limit=ten", "limit"},
      {"coach_level=0", "coach_level"},
      {"coach_level=4", "coach_level"},
      {"stale_lead_days=0", "stale_lead_days"},
      {"stale_lead_days=31", "stale_lead_days"},
      {"stuck_deal_days=0", "stuck_deal_days"},
      {"stuck_deal_days=61", "stuck_deal_days"},
      {"include_seen=maybe", "include_seen"},
  };
  for (const auto& [q, field] : bad_queries) {
    SCOPED_TRACE(q);
    auto r = alice_.Get(std::string("/api/coach/insights?") + q);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorField(), field);
  }
  for (const char* q : {"limit=1", "limit=50", "coach_level=1", "coach_level=3", "stale_lead_days=1",
                        "stale_lead_days=30", "stuck_deal_days=1", "stuck_deal_days=60", "include_seen=true"}) {
    SCOPED_TRACE(q);
    EXPECT_EQ(alice_.Get(std::string("/api/coach/insights?") + q).status, 200);
  }

  json::object ok{{"action", "app_opened"}, {"entity_type", "app"}};
  for (const char* q : {"coach_level=0", "coach_level=4", "coach_level=x"}) {
    auto r = Check(alice_, ok, q);
    EXPECT_EQ(r.status, 400) << q << " " << r.body;
    EXPECT_EQ(r.ErrorField(), "coach_level");
  }
  const std::pair<const char*, const char*> bad_bodies[] = {
      {R"({"entity_type":"deal"})", "action"},
      {R"({"action":"","entity_type":"deal"})", "action"},
      {R"({"action":"deal_closed"})", "entity_type"},
      {R"({"action":"deal_closed","entity_type":"deal","entity_id":0})", "entity_id"},
      {R"({"action":"deal_closed","entity_type":"deal","entity_id":"7"})", "entity_id"},
      {R"({"action":"deal_closed","entity_type":"deal","metadata":[1]})", "metadata"},
      // A CRM action names the record it happened to.
      {R"({"action":"deal_closed","entity_type":"deal"})", "entity_id"},
  };
  for (const auto& [body, field] : bad_bodies) {
    SCOPED_TRACE(body);
    auto r = Check(alice_, json::parse(body));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorField(), field);
  }
  EXPECT_TRUE(ListAll(alice_, "/api/events?action=deal_closed").empty()) << "rejected checks log nothing";

  for (const char* verb : {"seen", "dismiss"}) {
    auto r = alice_.Post(fmt::format("/api/coach/insights/99999999/{}", verb), json::object{});
    EXPECT_EQ(r.status, 404) << verb << " " << r.body;
    EXPECT_EQ(r.ErrorCode(), "NOT_FOUND");
  }
}

// ---------------------------------------------------------- action insights

TEST_F(CoachTest, InsightJsonHasThePlansShape) {
  std::int64_t lead =
      MustCreateId(alice_, "/api/contacts",
                   json::object{{"name", "Dana Whitaker"}, {"phone", "(312) 555-0142"}, {"source", "Zillow"}});
  auto items = Insights(alice_);
  ASSERT_EQ(items.size(), 1u) << ToJson(items);
  const json::object& i = items[0].as_object();
  std::set<std::string> keys;
  for (const auto& kv : i) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "type", "priority", "message", "suggested_action", "action_params",
                                         "entity_type", "entity_id", "seen", "dismissed", "created_at", "expires_at",
                                         "rule"}));
  EXPECT_GT(IdOf(items[0]), 0);
  EXPECT_EQ(i.at("type"), json::value("action"));
  EXPECT_EQ(i.at("priority"), json::value("high"));
  EXPECT_EQ(i.at("rule"), json::value("new_lead_speed"));
  EXPECT_TRUE(Has(Msg(items[0]), "Dana Whitaker")) << Msg(items[0]);
  EXPECT_TRUE(Has(Msg(items[0]), "within the hour")) << Msg(items[0]);
  EXPECT_EQ(i.at("suggested_action"), json::value("call_contact"));
  EXPECT_EQ(Param(items[0], "contact_id"), json::value(lead));
  EXPECT_EQ(Param(items[0], "phone"), json::value("(312) 555-0142"));
  EXPECT_EQ(i.at("entity_type"), json::value("contact"));
  EXPECT_EQ(i.at("entity_id"), json::value(lead));
  EXPECT_EQ(i.at("seen"), json::value(false));
  EXPECT_EQ(i.at("dismissed"), json::value(false));
  EXPECT_EQ(i.at("created_at"), json::value(Iso(Now())));
  ASSERT_TRUE(i.at("expires_at").is_string()) << i.at("expires_at");
  EXPECT_GT(std::string(i.at("expires_at").as_string()), Iso(Now()));
}

TEST_F(CoachTest, NewLeadIsTheTopInsightUntilSomeoneReachesThem) {
  std::int64_t lead = Contact(alice_, "Lena Park");
  Contact(alice_, "Pat Prospect", "PROSPECT");  // not a new lead
  Contact(alice_, "Cliff Client", "CLIENT");
  auto items = Insights(alice_);
  ASSERT_EQ(items.size(), 1u) << ToJson(items);
  std::int64_t speed = IdOf(One(items, "new_lead_speed"));
  EXPECT_EQ(items[0].at("entity_id"), json::value(lead));

  // Newer high-priority insights still rank below speed to lead.
  Advance(kMsPerHour);
  std::int64_t buyer = Contact(alice_, "Omar Buyer", "CLIENT");
  std::int64_t deal =
      MustCreateId(alice_, "/api/deals", json::object{{"title", "Buyer purchase"}, {"contact_id", buyer}});
  Advance(kMsPerMinute);
  MustPatch(alice_, Path("/api/deals", deal), json::object{{"stage", "Closed Won"}});
  Advance(kMsPerMinute);
  Task(alice_, "Old paperwork", "low", "2026-11-18");
  items = Insights(alice_);
  ASSERT_EQ(items.size(), 3u) << ToJson(items);
  EXPECT_EQ(Priorities(items), (std::vector<std::string>{"high", "high", "high"}));
  EXPECT_EQ(IdOf(items[0]), speed) << ToJson(items);
  EXPECT_EQ(Str(items[1], "rule"), "deal_won_referral");
  EXPECT_EQ(Str(items[2], "rule"), "overdue_tasks");

  // Activities that do not reach the lead leave it pending...
  MustCreate(alice_, "/api/activities", json::object{{"type", "note"}, {"contact_id", lead}});
  MustCreate(alice_, "/api/activities", json::object{{"type", "social_post"}, {"contact_id", lead}});
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}});
  EXPECT_EQ(IdOf(Insights(alice_).at(0)), speed);
  // ...a call resolves it, for good.
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", lead}, {"outcome", "answered"}});
  items = Insights(alice_, "include_seen=true");
  EXPECT_FALSE(HasId(items, speed)) << ToJson(items);
  EXPECT_EQ(items.size(), 2u);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE id = ? AND resolved_at IS NOT NULL", {speed}), 1);

  // A text, an email, a meeting, or a call logged on the lead's deal, each
  // resolve another lead's insight.
  for (const char* how : {"text", "email", "meeting", "deal_call", "bulk_call"}) {
    SCOPED_TRACE(how);
    std::int64_t next = Contact(alice_, fmt::format("Lead by {}", how));
    auto pending = ByRule(Insights(alice_), "new_lead_speed");
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].at("entity_id"), json::value(next));
    if (std::string_view(how) == "deal_call") {
      std::int64_t d = MustCreateId(alice_, "/api/deals", json::object{{"title", "Lead deal"}, {"contact_id", next}});
      MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"deal_id", d}});
    } else if (std::string_view(how) == "bulk_call") {
      auto r = alice_.Post("/api/activities/bulk", json::array{json::object{{"type", "note"}},
                                                               json::object{{"type", "call"}, {"contact_id", next}}});
      EXPECT_EQ(r.status, 201) << r.body;
    } else {
      MustCreate(alice_, "/api/activities", json::object{{"type", how}, {"contact_id", next}});
    }
    EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "new_lead_speed").empty());
  }
}

TEST_F(CoachTest, NewLeadInsightExpires) {
  Contact(alice_, "Ed Expiring");
  ASSERT_EQ(ByRule(Insights(alice_), "new_lead_speed").size(), 1u);
  Advance(25 * kMsPerHour);
  EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "new_lead_speed").empty());
}

TEST_F(CoachTest, ClosingADealWonAsksTheDealsContactForAReferralOnce) {
  std::int64_t maria = Contact(alice_, "Maria Lopez", "CLIENT");
  std::int64_t deal = MustCreateId(alice_, "/api/deals",
                                   json::object{{"title", "Lopez purchase"}, {"value", 420000}, {"contact_id", maria}});
  std::string path = Path("/api/deals", deal);

  Advance(3 * kMsPerDay);
  MustPatch(alice_, path, json::object{{"stage", "Closed Won"}});
  auto items = Insights(alice_);
  auto referral = One(items, "deal_won_referral");
  ASSERT_TRUE(referral.is_object());
  EXPECT_EQ(referral.at("priority"), json::value("high"));
  EXPECT_EQ(referral.at("type"), json::value("action"));
  EXPECT_TRUE(Has(Msg(referral), "Maria Lopez")) << Msg(referral);
  EXPECT_FALSE(Has(Msg(referral), "the client")) << Msg(referral);
  EXPECT_EQ(referral.at("entity_type"), json::value("deal"));
  EXPECT_EQ(referral.at("entity_id"), json::value(deal));
  EXPECT_EQ(referral.at("suggested_action"), json::value("create_task"));
  EXPECT_EQ(Param(referral, "contact_id"), json::value(maria));
  EXPECT_TRUE(Has(Param(referral, "title").is_string() ? std::string(Param(referral, "title").as_string()) : "",
                  "Maria Lopez"));
  EXPECT_EQ(EventCount(alice_, "deal_closed", "deal", deal), 1u);

  // The front end's follow-up check (no contact_id in it) answers with the
  // same insight and logs nothing again.
  json::value check = WonCheck(deal);
  for (int i = 0; i < 2; ++i) {
    auto r = Check(alice_, check);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(IdOf(r.json), IdOf(referral)) << r.body;
    EXPECT_TRUE(Has(Msg(r.json), "Maria Lopez"));
  }
  EXPECT_EQ(EventCount(alice_, "deal_closed", "deal", deal), 1u) << "check must not log the close twice";
  EXPECT_EQ(Rows(alice_id_, "deal_won_referral"), 1);
  EXPECT_EQ(ByRule(Insights(alice_), "deal_won_referral").size(), 1u);

  // A lost deal asks for nothing; a check for a close that never happened
  // says nothing and logs nothing.
  std::int64_t lost = MustCreateId(alice_, "/api/deals", json::object{{"title", "Lost one"}, {"contact_id", maria}});
  MustPatch(alice_, Path("/api/deals", lost), json::object{{"stage", "Closed Lost"}});
  auto r = Check(alice_, WonCheck(lost));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;
  std::int64_t open = MustCreateId(alice_, "/api/deals", json::object{{"title", "Still open"}, {"contact_id", maria}});
  r = Check(alice_, WonCheck(open));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;
  EXPECT_EQ(EventCount(alice_, "deal_closed", "deal", open), 0u);
  EXPECT_EQ(Rows(alice_id_, "deal_won_referral"), 1);
}

TEST_F(CoachTest, CheckLogsOtherActionsOnceAndAnswersNull) {
  auto r = Check(alice_, json::parse(R"({"action":"app_opened","entity_type":"app","metadata":{"page":"home"}})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;
  auto events = ListAll(alice_, "/api/events?action=app_opened");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("user_id"), json::value(alice_id_));
  EXPECT_EQ(events[0].at("metadata").at("page"), json::value("home"));

  // A client action that merely looks like a CRM one is logged too.
  auto viewed = Check(alice_, json::parse(R"({"action":"deal_viewed","entity_type":"deal","entity_id":7})"));
  ASSERT_EQ(viewed.status, 200) << viewed.body;
  EXPECT_TRUE(viewed.json.is_null());
  EXPECT_EQ(ListAll(alice_, "/api/events?action=deal_viewed").size(), 1u);
}

TEST_F(CoachTest, CompletedTaskPointsAtTheNextHighTaskAtLevelTwoAndUp) {
  std::int64_t low1 = Task(alice_, "File scans", "low", "2026-11-23");
  std::int64_t low2 = Task(alice_, "Tidy pipeline", "low", "2026-11-23");
  Task(alice_, "Order appraisal", "high", "2026-11-25");
  std::int64_t urgent = Task(alice_, "Lock Rivera rate", "urgent", "2026-11-22");
  Task(alice_, "Medium thing", "medium", "2026-11-21");
  Task(alice_, "Already moving", "high", "2026-11-21", "in_progress");
  Task(alice_, "Someday", "urgent", nullptr);

  // Level 1: the (medium) nudge is not made at all.
  PutSettings(alice_, json::object{{"coach_level", 1}});
  MustPatch(alice_, Path("/api/tasks", low1), json::object{{"status", "completed"}});
  json::object check{{"action", "task_completed"}, {"entity_type", "task"}, {"entity_id", low1}};
  auto r = Check(alice_, check);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;
  EXPECT_EQ(Rows(alice_id_, "task_completed_next"), 0);
  EXPECT_EQ(EventCount(alice_, "task_completed", "task", low1), 1u);

  // Level 2: the earliest pending high/urgent task.
  PutSettings(alice_, json::object{{"coach_level", 2}});
  MustPatch(alice_, Path("/api/tasks", low2), json::object{{"status", "completed"}});
  auto next = One(Insights(alice_), "task_completed_next");
  ASSERT_TRUE(next.is_object());
  EXPECT_EQ(next.at("priority"), json::value("medium"));
  EXPECT_EQ(next.at("entity_type"), json::value("task"));
  EXPECT_EQ(next.at("entity_id"), json::value(urgent));
  EXPECT_EQ(Param(next, "task_id"), json::value(urgent));
  EXPECT_TRUE(Has(Msg(next), "Lock Rivera rate")) << Msg(next);

  check["entity_id"] = low2;
  r = Check(alice_, check);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(IdOf(r.json), IdOf(next)) << r.body;
  r = Check(alice_, check, "coach_level=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << "a medium insight is not for level 1: " << r.body;
  EXPECT_EQ(EventCount(alice_, "task_completed", "task", low2), 1u) << "exactly one task_completed event";
  EXPECT_EQ(Rows(alice_id_, "task_completed_next"), 1);

  // Doing that task resolves the nudge about it.
  MustPatch(alice_, Path("/api/tasks", urgent), json::object{{"status", "completed"}});
  auto after = ByRule(Insights(alice_), "task_completed_next");
  EXPECT_FALSE(HasId(after, IdOf(next))) << ToJson(after);
  ASSERT_EQ(after.size(), 1u) << ToJson(after);
  EXPECT_TRUE(Has(Msg(after[0]), "Order appraisal")) << Msg(after[0]);
}

TEST_F(CoachTest, NewDealTipOnlyAtLevelThree) {
  std::int64_t quiet = MustCreateId(alice_, "/api/deals", json::object{{"title", "Level two deal"}});
  EXPECT_TRUE(ByRule(Insights(alice_, "coach_level=3"), "deal_created_followup").empty());
  auto r = Check(alice_, json::object{{"action", "deal_created"}, {"entity_type", "deal"}, {"entity_id", quiet}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;

  PutSettings(alice_, json::object{{"coach_level", 3}});
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Kim refinance"}});
  auto tip = One(Insights(alice_), "deal_created_followup");
  ASSERT_TRUE(tip.is_object());
  EXPECT_EQ(tip.at("priority"), json::value("low"));
  EXPECT_EQ(tip.at("entity_type"), json::value("deal"));
  EXPECT_EQ(tip.at("entity_id"), json::value(deal));
  EXPECT_EQ(tip.at("suggested_action"), json::value("create_task"));
  EXPECT_TRUE(Has(Msg(tip), "Kim refinance")) << Msg(tip);
  r = Check(alice_, json::object{{"action", "deal_created"}, {"entity_type", "deal"}, {"entity_id", deal}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(IdOf(r.json), IdOf(tip)) << r.body;
  EXPECT_EQ(EventCount(alice_, "deal_created", "deal", deal), 1u);
  EXPECT_TRUE(ByRule(Insights(alice_, "coach_level=2"), "deal_created_followup").empty());
  EXPECT_TRUE(ByRule(Insights(alice_, "coach_level=1"), "deal_created_followup").empty());
}

// ------------------------------------------------------ listing and levels

TEST_F(CoachTest, PendingHonoursLevelSeenDismissedAndLimit) {
  PutSettings(alice_, json::object{{"coach_level", 3}});
  std::int64_t lead = Contact(alice_, "Hana High");  // high
  Task(alice_, "Call underwriter", "high", "2026-11-27");
  std::int64_t done = Task(alice_, "Small thing", "low", "2026-11-27");
  MustPatch(alice_, Path("/api/tasks", done), json::object{{"status", "completed"}});  // medium
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Low tip deal"}});         // low

  EXPECT_EQ(Priorities(Insights(alice_, "coach_level=1")), (std::vector<std::string>{"high"}));
  EXPECT_EQ(Priorities(Insights(alice_, "coach_level=2")), (std::vector<std::string>{"high", "medium"}));
  auto all = Insights(alice_);
  EXPECT_EQ(Priorities(all), (std::vector<std::string>{"high", "medium", "low"}));
  EXPECT_EQ(Priorities(Insights(alice_, "coach_level=3")), Priorities(all));
  ASSERT_EQ(all.size(), 3u);
  std::int64_t high = IdOf(all[0]), medium = IdOf(all[1]), low = IdOf(all[2]);
  EXPECT_EQ(all[0].at("entity_id"), json::value(lead));

  EXPECT_EQ(Ids(Insights(alice_, "limit=1")), std::vector<std::int64_t>{high});
  EXPECT_EQ(Ids(Insights(alice_, "limit=2")), (std::vector<std::int64_t>{high, medium}));

  // Seen: out of the default list, still there with include_seen.
  auto seen = alice_.Post(fmt::format("/api/coach/insights/{}/seen", high), json::object{});
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json, json::parse(R"({"success":true})"));
  EXPECT_EQ(Ids(Insights(alice_)), (std::vector<std::int64_t>{medium, low}));
  auto with_seen = Insights(alice_, "include_seen=true");
  EXPECT_EQ(Ids(with_seen), (std::vector<std::int64_t>{high, medium, low}));
  EXPECT_EQ(with_seen[0].at("seen"), json::value(true));
  EXPECT_EQ(with_seen[1].at("seen"), json::value(false));
  EXPECT_TRUE(Insights(alice_, "coach_level=1").empty()) << "the only high one was seen";

  // Dismissed: gone from both.
  auto dismissed = alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", medium), json::object{});
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(dismissed.json, json::parse(R"({"success":true})"));
  EXPECT_EQ(Ids(Insights(alice_)), std::vector<std::int64_t>{low});
  EXPECT_EQ(Ids(Insights(alice_, "include_seen=true")), (std::vector<std::int64_t>{high, low}));
  EXPECT_EQ(Ids(Insights(alice_, "include_seen=false")), std::vector<std::int64_t>{low});
}

TEST_F(CoachTest, PriorityOrderSurvivesTenTaskCompletions) {
  // The plan sorted by the priority *text* ("medium" > "low" > "high"), so a
  // burst of medium nudges pushed every high insight out of the top 10.
  for (const char* name : {"Sofia", "Tom", "Uri"}) Contact(alice_, name, "PROSPECT");
  Advance(8 * kMsPerDay);
  SweepAll();  // stale leads
  Advance(kMsPerMinute);
  Task(alice_, "Overdue filing", "low", "2026-11-20");  // overdue by now
  Advance(kMsPerMinute);
  std::int64_t buyer = Contact(alice_, "Wanda Winner", "CLIENT");
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Winner"}, {"contact_id", buyer}});
  MustPatch(alice_, Path("/api/deals", deal), json::object{{"stage", "Closed Won"}});  // referral
  Advance(kMsPerMinute);
  Contact(alice_, "Nina New");  // speed to lead
  auto highs = Insights(alice_);
  ASSERT_EQ(Priorities(highs), (std::vector<std::string>(4, "high"))) << ToJson(highs);

  for (int i = 0; i < 10; ++i) {
    Advance(kMsPerMinute);
    Task(alice_, fmt::format("High {}", i), "high", fmt::format("2026-12-{}", 28 - i).c_str());
    std::int64_t chore = Task(alice_, fmt::format("Chore {}", i), "low", "2026-12-30");
    MustPatch(alice_, Path("/api/tasks", chore), json::object{{"status", "completed"}});
  }
  EXPECT_EQ(Rows(alice_id_, "task_completed_next"), 10);

  auto top = Insights(alice_);
  ASSERT_EQ(top.size(), 10u);
  std::vector<std::string> expected(4, "high");
  expected.resize(10, "medium");
  EXPECT_EQ(Priorities(top), expected) << ToJson(top);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(HasId(top, IdOf(highs[i]))) << ToJson(highs[i]);
  EXPECT_EQ(Str(top[0], "rule"), "new_lead_speed") << "speed to lead first among highs";
  EXPECT_EQ(Str(top[1], "rule"), "deal_won_referral");
  // Then newest first among equals: the overdue insight came after the sweep.
  EXPECT_EQ(Str(top[2], "rule"), "overdue_tasks");
  EXPECT_EQ(Str(top[3], "rule"), "stale_leads");
  EXPECT_TRUE(Has(Msg(top[4]), "High 9")) << Msg(top[4]);
  auto everything = Insights(alice_, "limit=50");
  ASSERT_EQ(everything.size(), 14u);
  EXPECT_TRUE(Has(Msg(everything[13]), "High 0")) << Msg(everything[13]);
  EXPECT_EQ(Ids(Insights(alice_, "coach_level=1")), Ids(highs));
}

// ------------------------------------------------------------ time insights

TEST_F(CoachTest, StaleLeadsCountEveryLeadAndNameAFew) {
  // The plan fetched five and said "and 2 more" whatever the true count was.
  for (int i = 0; i < 300; ++i) Contact(alice_, fmt::format("Lead {:03}", i), i % 2 ? "PROSPECT" : "LEAD");
  Contact(alice_, "Carl Client", "CLIENT");
  Contact(alice_, "Rita Realtor", "REFERRAL_PARTNER");
  Advance(8 * kMsPerDay);
  SweepAll();
  auto stale = One(Insights(alice_), "stale_leads");
  ASSERT_TRUE(stale.is_object());
  EXPECT_EQ(stale.at("priority"), json::value("high"));
  EXPECT_EQ(stale.at("type"), json::value("time"));
  EXPECT_EQ(stale.at("suggested_action"), json::value("view_stale_leads"));
  EXPECT_TRUE(Has(Msg(stale), "and 295 more")) << Msg(stale);
  EXPECT_TRUE(Has(Msg(stale), "7+ days")) << Msg(stale);
  EXPECT_EQ(Param(stale, "total"), json::value(300));
  EXPECT_EQ(IntArray(Param(stale, "contact_ids")).size(), 5u);
  int named = 0;
  for (int i = 0; i < 300; ++i) named += Has(Msg(stale), fmt::format("Lead {:03}", i)) ? 1 : 0;
  EXPECT_EQ(named, 5) << Msg(stale);
  EXPECT_FALSE(Has(Msg(stale), "Carl Client"));
  EXPECT_FALSE(Has(Msg(stale), "Rita Realtor"));

  SweepAll();
  SweepAll();
  EXPECT_EQ(Rows(alice_id_, "stale_leads"), 1);
}

TEST_F(CoachTest, StaleLeadsUseTheLastContactAndShrinkAsLeadsAreCalled) {
  std::int64_t never = Contact(alice_, "Nora Never");
  std::int64_t called = Contact(alice_, "Carlos Called", "PROSPECT");
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", called}});
  std::int64_t recalled = Contact(alice_, "Rhea Recalled");
  Contact(alice_, "Carl Client", "CLIENT");
  Advance(5 * kMsPerDay);
  MustCreate(alice_, "/api/activities", json::object{{"type", "email"}, {"contact_id", recalled}});
  Contact(alice_, "Fay Fresh");
  Advance(3 * kMsPerDay);
  SweepAll();

  auto stale = One(Insights(alice_), "stale_leads");
  ASSERT_TRUE(stale.is_object());
  EXPECT_EQ(IntArray(Param(stale, "contact_ids")), (std::vector<std::int64_t>{never, called}));
  EXPECT_EQ(Param(stale, "total"), json::value(2));
  for (const char* in : {"Nora Never", "Carlos Called"}) EXPECT_TRUE(Has(Msg(stale), in)) << Msg(stale);
  for (const char* out : {"Rhea Recalled", "Fay Fresh", "Carl Client", " more"})
    EXPECT_FALSE(Has(Msg(stale), out)) << Msg(stale);

  // Calling one: the same insight, updated.
  Advance(kMsPerHour);
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", never}});
  auto updated = One(Insights(alice_), "stale_leads");
  EXPECT_EQ(IdOf(updated), IdOf(stale));
  EXPECT_EQ(Param(updated, "total"), json::value(1));
  EXPECT_TRUE(Has(Msg(updated), "Carlos Called")) << Msg(updated);
  EXPECT_FALSE(Has(Msg(updated), "Nora Never")) << Msg(updated);

  // Calling the last: resolved.
  MustCreate(alice_, "/api/activities", json::object{{"type", "text"}, {"contact_id", called}});
  EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "stale_leads").empty());
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE id = ? AND resolved_at IS NOT NULL", {IdOf(stale)}), 1);
}

TEST_F(CoachTest, StuckDealsArePerDealAFewPerSweepAndResolvedWhenMoved) {
  std::map<std::int64_t, std::string> titles;
  std::vector<std::int64_t> by_value;  // largest first
  for (int i = 5; i >= 1; --i) {
    std::string title = fmt::format("Deal {}", i);
    std::int64_t id = MustCreateId(alice_, "/api/deals", json::object{{"title", title}, {"value", i * 100000}});
    titles[id] = title;
    by_value.push_back(id);
  }
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Won deal"}, {"stage", "Closed Won"}});
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Lost deal"}, {"stage", "Closed Lost"}});
  std::int64_t moved = MustCreateId(alice_, "/api/deals", json::object{{"title", "Moved deal"}});
  Advance(10 * kMsPerDay);
  MustPatch(alice_, Path("/api/deals", moved), json::object{{"stage", "Processing"}});
  Advance(5 * kMsPerDay);

  SweepAll();
  auto stuck = ByRule(Insights(alice_), "stuck_deal");
  ASSERT_EQ(stuck.size(), 3u) << "at most 3 new per sweep: " << ToJson(stuck);
  std::set<std::int64_t> first;
  for (const auto& s : stuck) first.insert(s.at("entity_id").as_int64());
  EXPECT_EQ(first, (std::set<std::int64_t>{by_value[0], by_value[1], by_value[2]})) << "largest loans first";

  SweepAll();
  stuck = ByRule(Insights(alice_), "stuck_deal");
  ASSERT_EQ(stuck.size(), 5u) << ToJson(stuck);
  SweepAll();
  EXPECT_EQ(ByRule(Insights(alice_), "stuck_deal").size(), 5u);
  EXPECT_EQ(Rows(alice_id_, "stuck_deal"), 5);
  std::set<std::int64_t> deals;
  for (const auto& s : stuck) {
    std::int64_t id = s.at("entity_id").as_int64();
    deals.insert(id);
    EXPECT_EQ(s.at("priority"), json::value("medium"));
    EXPECT_EQ(s.at("type"), json::value("time"));
    EXPECT_EQ(s.at("entity_type"), json::value("deal"));
    EXPECT_EQ(s.at("suggested_action"), json::value("view_deal"));
    EXPECT_EQ(Param(s, "deal_id"), json::value(id));
    EXPECT_TRUE(Has(Msg(s), titles[id])) << Msg(s);
    EXPECT_TRUE(Has(Msg(s), "15 days")) << Msg(s);
    EXPECT_TRUE(Has(Msg(s), "Lead")) << Msg(s);
  }
  EXPECT_EQ(deals, (std::set<std::int64_t>(by_value.begin(), by_value.end())));

  // Moving a deal resolves its insight only.
  MustPatch(alice_, Path("/api/deals", by_value[0]), json::object{{"stage", "Application"}});
  stuck = ByRule(Insights(alice_, "include_seen=true"), "stuck_deal");
  ASSERT_EQ(stuck.size(), 4u) << ToJson(stuck);
  for (const auto& s : stuck) EXPECT_NE(s.at("entity_id"), json::value(by_value[0]));
  // Closing one resolves it too.
  MustPatch(alice_, Path("/api/deals", by_value[1]), json::object{{"stage", "Closed Lost"}});
  EXPECT_EQ(ByRule(Insights(alice_), "stuck_deal").size(), 3u);

  // Level 1 shows only high insights, and stuck deals are medium.
  EXPECT_TRUE(ByRule(Insights(alice_, "coach_level=1"), "stuck_deal").empty());
}

TEST_F(CoachTest, AStuckDealStaysFlaggedWhenManyLargerDealsGetStuck) {
  std::int64_t small = MustCreateId(alice_, "/api/deals", json::object{{"title", "Small but stuck"}, {"value", 1000}});
  Advance(kMsPerDay);
  for (int i = 0; i < 201; ++i)
    MustCreateId(alice_, "/api/deals", json::object{{"title", fmt::format("Big {}", i)}, {"value", 500000 + i}});
  Advance(14 * kMsPerDay);  // the small deal: 15 days; the big ones: exactly 14, not yet stuck
  SweepAll();
  auto stuck = One(Insights(alice_), "stuck_deal");
  ASSERT_TRUE(stuck.is_object());
  EXPECT_EQ(stuck.at("entity_id"), json::value(small));
  Advance(kMsPerDay);
  SweepAll();  // now 202 deals are stuck
  auto now = ByRule(Insights(alice_, "limit=50"), "stuck_deal");
  EXPECT_TRUE(HasId(now, IdOf(stuck))) << "the small deal is still stuck: " << ToJson(now);
  EXPECT_EQ(now.size(), 4u);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE rule = 'stuck_deal' AND resolved_at IS NOT NULL"), 0);
}

TEST_F(CoachTest, OverdueTasksCountInTheOfficersTimeZone) {
  std::int64_t a = Task(alice_, "A", "low", "2026-11-18");
  std::int64_t b = Task(alice_, "B", "high", "2026-11-19", "in_progress");
  std::int64_t c = Task(alice_, "C", "medium", "2026-11-20");  // due today in Chicago
  Task(alice_, "D", "low", "2026-11-19", "completed");
  Task(alice_, "E", "low", nullptr);
  auto overdue = One(Insights(alice_), "overdue_tasks");
  ASSERT_TRUE(overdue.is_object());
  EXPECT_EQ(overdue.at("priority"), json::value("high"));
  EXPECT_EQ(overdue.at("type"), json::value("time"));
  EXPECT_EQ(overdue.at("suggested_action"), json::value("view_overdue_tasks"));
  EXPECT_TRUE(Has(Msg(overdue), "2 overdue tasks")) << Msg(overdue);
  EXPECT_EQ(Param(overdue, "count"), json::value(2));

  // 03:00 UTC on the 21st is still the evening of the 20th in Chicago.
  server_.clock().Set(kTestNow + 12 * kMsPerHour);
  SweepAll();
  auto same = One(Insights(alice_), "overdue_tasks");
  EXPECT_EQ(IdOf(same), IdOf(overdue));
  EXPECT_EQ(Param(same, "count"), json::value(2)) << Msg(same);
  // 06:30 UTC is past midnight there: C is overdue now.
  server_.clock().Set(kTestNow + 15 * kMsPerHour + 30 * kMsPerMinute);
  SweepAll();
  auto three = One(Insights(alice_), "overdue_tasks");
  EXPECT_EQ(IdOf(three), IdOf(overdue)) << "the count changes in place";
  EXPECT_TRUE(Has(Msg(three), "3 overdue tasks")) << Msg(three);

  MustPatch(alice_, Path("/api/tasks", a), json::object{{"status", "completed"}});
  MustPatch(alice_, Path("/api/tasks", b), json::object{{"status", "completed"}});
  auto one = One(Insights(alice_), "overdue_tasks");
  EXPECT_EQ(IdOf(one), IdOf(overdue));
  EXPECT_TRUE(Has(Msg(one), "1 overdue task.")) << Msg(one);
  MustPatch(alice_, Path("/api/tasks", c), json::object{{"status", "completed"}});
  EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "overdue_tasks").empty());
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE id = ? AND resolved_at IS NOT NULL", {IdOf(overdue)}), 1);
  EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 1);
}

TEST_F(CoachTest, OverdueTasksWaitForLevelTwo) {
  PutSettings(alice_, json::object{{"coach_level", 1}});
  Task(alice_, "Late", "high", "2026-11-18");
  SweepAll();
  EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 0);
  PutSettings(alice_, json::object{{"coach_level", 2}});
  EXPECT_EQ(ByRule(Insights(alice_), "overdue_tasks").size(), 1u) << "saving settings re-sweeps";
}

TEST_F(CoachTest, SavingSettingsAppliesThresholdsAtOnce) {
  Contact(alice_, "Ivy Early", "PROSPECT");
  Advance(3 * kMsPerDay);
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty());
  PutSettings(alice_, json::object{{"coach_level", 2}, {"stale_lead_days", 2}});
  auto stale = One(Insights(alice_), "stale_leads");
  EXPECT_TRUE(Has(Msg(stale), "Ivy Early")) << Msg(stale);
  EXPECT_TRUE(Has(Msg(stale), "2+ days")) << Msg(stale);
  PutSettings(alice_, json::object{{"coach_level", 2}, {"stale_lead_days", 7}});
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty()) << "no longer stale by the new threshold";
}

TEST_F(CoachTest, DisabledCoachSaysNothing) {
  PutSettings(alice_, json::object{{"coach_level", 3}, {"coach_enabled", false}});
  Contact(alice_, "Quiet Lead");
  std::int64_t task = Task(alice_, "Late", "high", "2026-11-18");
  Advance(8 * kMsPerDay);
  SweepAll();
  EXPECT_TRUE(Insights(alice_).empty());
  EXPECT_TRUE(Insights(alice_, "coach_level=3&stale_lead_days=1&include_seen=true").empty());
  MustPatch(alice_, Path("/api/tasks", task), json::object{{"status", "completed"}});
  auto r = Check(alice_, json::object{{"action", "task_completed"}, {"entity_type", "task"}, {"entity_id", task}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json.is_null()) << r.body;
  r = Check(alice_, json::object{{"action", "app_opened"}, {"entity_type", "app"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json.is_null());
  EXPECT_EQ(ListAll(alice_, "/api/events?action=app_opened").size(), 1u) << "the action is logged either way";
}

TEST_F(CoachTest, TheSchedulerSweepsOnItsOwn) {
  Contact(alice_, "Sue Scheduled", "PROSPECT");
  Task(alice_, "Due soon", "low", "2026-11-23");
  Advance(8 * kMsPerDay);
  ASSERT_TRUE(Insights(alice_).empty()) << "nothing has swept yet";
  coach::Scheduler scheduler(server_.db(), server_.clock(), server_.api().coach(), std::chrono::milliseconds(5));
  scheduler.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ByRule(Insights(alice_), "stale_leads").empty() || ByRule(Insights(alice_), "overdue_tasks").empty()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the scheduler never swept";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Polls that sweep too, racing the scheduler: still one of each.
  for (int i = 0; i < 20; ++i) Insights(alice_, "stale_lead_days=3&stuck_deal_days=5");
  scheduler.Stop();
  EXPECT_TRUE(Has(Msg(One(Insights(alice_), "stale_leads")), "Sue Scheduled"));
  EXPECT_EQ(Rows(alice_id_, "stale_leads"), 1);
  EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 1);
}

// ------------------------------------------------------------------ dedupe

TEST_F(CoachTest, OverdueDedupeWindowIsTwelveHours) {
  std::int64_t task = Task(alice_, "Late appraisal", "low", "2026-11-18");
  std::int64_t first = IdOf(One(Insights(alice_), "overdue_tasks"));
  ASSERT_GT(first, 0);
  Advance(kMsPerHour);
  MustPatch(alice_, Path("/api/tasks", task), json::object{{"status", "completed"}});
  EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty());
  Advance(kMsPerHour);
  MustPatch(alice_, Path("/api/tasks", task), json::object{{"status", "pending"}});
  SweepAll();
  EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty()) << "inside the 12 h window";
  Advance(9 * kMsPerHour);  // 11 h after the first
  SweepAll();
  EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty());
  Advance(kMsPerHour + kMsPerMinute);
  SweepAll();
  auto again = One(Insights(alice_), "overdue_tasks");
  EXPECT_GT(IdOf(again), first);
  EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 2);
}

TEST_F(CoachTest, StaleLeadDedupeWindowIsADay) {
  std::int64_t sam = Contact(alice_, "Sam Stale", "PROSPECT");
  Advance(6 * kMsPerDay);
  Contact(alice_, "Second Sally", "PROSPECT");
  Advance(2 * kMsPerDay);  // Sam: 8 days, Sally: 2 days
  SweepAll();
  auto first = One(Insights(alice_), "stale_leads");
  ASSERT_TRUE(first.is_object());
  EXPECT_TRUE(Has(Msg(first), "Sam Stale"));
  MustCreate(alice_, "/api/activities", json::object{{"type", "call"}, {"contact_id", sam}});
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty());

  Advance(kMsPerHour);
  PutSettings(alice_, json::object{{"coach_level", 2}, {"stale_lead_days", 1}});  // Sally is stale now
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty()) << "inside the 24 h window";
  Advance(22 * kMsPerHour);
  SweepAll();
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty());
  Advance(kMsPerHour + kMsPerMinute);
  SweepAll();
  auto second = One(Insights(alice_), "stale_leads");
  EXPECT_GT(IdOf(second), IdOf(first));
  EXPECT_TRUE(Has(Msg(second), "Second Sally")) << Msg(second);
  EXPECT_EQ(Rows(alice_id_, "stale_leads"), 2);
}

TEST_F(CoachTest, StuckDealDedupeWindowIsADayPerDeal) {
  std::int64_t x = MustCreateId(alice_, "/api/deals", json::object{{"title", "Xavier purchase"}});
  Advance(2 * kMsPerDay);
  std::int64_t y = MustCreateId(alice_, "/api/deals", json::object{{"title", "Yolanda refi"}});
  Advance(14 * kMsPerDay);  // X: 16 days, Y: 14 days
  SweepAll();
  auto first = ByRule(Insights(alice_), "stuck_deal");
  ASSERT_EQ(first.size(), 1u) << ToJson(first);
  EXPECT_EQ(first[0].at("entity_id"), json::value(x));

  // A poll with a longer threshold says X is not stuck; a shorter one
  // brings it back only after X's window, while Y gets its own at once.
  Insights(alice_, "stuck_deal_days=20");
  EXPECT_TRUE(ByRule(Insights(alice_), "stuck_deal").empty());
  auto both = ByRule(Insights(alice_, "stuck_deal_days=10"), "stuck_deal");
  ASSERT_EQ(both.size(), 1u) << ToJson(both);
  EXPECT_EQ(both[0].at("entity_id"), json::value(y)) << "X is inside its window, Y is not";
  Advance(kMsPerDay + kMsPerMinute);
  SweepAll();
  auto again = ByRule(Insights(alice_), "stuck_deal");
  ASSERT_EQ(again.size(), 2u) << ToJson(again);
  EXPECT_EQ(Rows(alice_id_, "stuck_deal"), 3);
}

TEST_F(CoachTest, DedupeIsPerRuleAndEntity) {
  PutSettings(alice_, json::object{{"coach_level", 3}});
  std::int64_t lead = Contact(alice_, "Lola Lead");
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Tipped deal"}});
  auto items = Insights(alice_);
  auto tip = One(items, "deal_created_followup");
  auto speed = One(items, "new_lead_speed");
  // Dismissing them must not silence other rules about the same records.
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(tip)), json::object{}).status, 200);
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(speed)), json::object{}).status, 200);
  Advance(15 * kMsPerDay);
  SweepAll();
  items = Insights(alice_);
  auto stuck = One(items, "stuck_deal");
  EXPECT_EQ(stuck.at("entity_id"), json::value(deal));
  auto stale = One(items, "stale_leads");
  EXPECT_EQ(IntArray(Param(stale, "contact_ids")), std::vector<std::int64_t>{lead});
}

TEST_F(CoachTest, DedupeSurvivesARestart) {
  std::int64_t task = Task(alice_, "Late", "low", "2026-11-18");
  Contact(alice_, "Rene Restart", "PROSPECT");
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Restart deal"}});
  Advance(15 * kMsPerDay);
  SweepAll();
  auto before = Insights(alice_);
  ASSERT_EQ(before.size(), 3u) << ToJson(before);
  std::int64_t stale = IdOf(One(before, "stale_leads"));

  // A second server process on the same database.
  auto db2 = store::OpenDatabase(server_.database_url(), 2);
  ASSERT_TRUE(db2) << db2.error().message;
  {
    auto restarted = std::make_unique<api::Api>(**db2, server_.clock());
    ASSERT_TRUE(restarted->coach().SweepAll());
    EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE user_id = ?", {alice_id_}), 3);

    // The window outlives the process that opened it: finish and reopen the
    // task twice, so the second overdue insight's window is fresh.
    for (const char* status : {"completed", "pending", "completed", "pending"})
      MustPatch(alice_, Path("/api/tasks", task), json::object{{"status", status}});
    EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 2);
    EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty());
    Advance(kMsPerHour);
    ASSERT_TRUE(restarted->coach().SweepUser(alice_id_));
    EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 2);
    // So does a dismissal.
    ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", stale), json::object{}).status, 200);
    Advance(2 * kMsPerDay);
    ASSERT_TRUE(restarted->coach().SweepUser(alice_id_));
    EXPECT_EQ(Rows(alice_id_, "stale_leads"), 1);
    EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 3) << "past the window: a new one";
    EXPECT_EQ(Rows(alice_id_, "stuck_deal"), 1);
  }
  db2->reset();
  EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty());
}

TEST_F(CoachTest, ConcurrentFirstPollsCreateOneInsightPerKey) {
  for (const char* name : {"Pia", "Quin", "Ravi"}) Contact(alice_, name, "PROSPECT");
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Stuck one"}});
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Stuck two"}});
  Task(alice_, "Due next week", "high", "2026-11-25");
  Advance(20 * kMsPerDay);
  ASSERT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE user_id = ?", {alice_id_}), 0);

  // Thresholds differing from the stored ones make every poll sweep.
  constexpr int kPolls = 32;
  std::vector<HttpResult> results(kPolls);
  std::latch start(kPolls);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPolls; ++i)
    threads.emplace_back([&, i, c = alice_]() mutable {
      start.arrive_and_wait();
      results[i] = c.Get("/api/coach/insights?stale_lead_days=10&stuck_deal_days=15");
    });
  for (auto& t : threads) t.join();

  std::set<std::vector<std::int64_t>> answers;
  for (const auto& r : results) {
    ASSERT_EQ(r.status, 200) << r.body;
    auto ids = Ids(r.json.as_array());
    std::sort(ids.begin(), ids.end());
    answers.insert(ids);
  }
  EXPECT_EQ(answers.size(), 1u) << "every poll saw the same insights";
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE user_id = ?", {alice_id_}), 4);
  EXPECT_EQ(Rows(alice_id_, "stale_leads"), 1);
  EXPECT_EQ(Rows(alice_id_, "stuck_deal"), 2);
  EXPECT_EQ(Rows(alice_id_, "overdue_tasks"), 1);
  EXPECT_EQ(Insights(alice_).size(), 4u);
}

// -------------------------------------------------------------- dismissals

TEST_F(CoachTest, DismissedStaleLeadsStayDismissedUntilTheLeadsChange) {
  Contact(alice_, "Abe", "PROSPECT");
  Contact(alice_, "Bea", "PROSPECT");
  Advance(5 * kMsPerDay);
  Contact(alice_, "Cy Later", "PROSPECT");
  Advance(3 * kMsPerDay);  // Abe, Bea: 8 days; Cy: 3
  SweepAll();
  auto stale = One(Insights(alice_), "stale_leads");
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(stale)), json::object{}).json,
            json::parse(R"({"success":true})"));
  for (TimestampMs step : {kMsPerHour, 24 * kMsPerHour, 24 * kMsPerHour}) {
    Advance(step);
    SweepAll();
    EXPECT_TRUE(ByRule(Insights(alice_), "stale_leads").empty()) << "the plan re-created dismissed insights";
  }
  // Once Cy goes stale too, the set of leads is news.
  EXPECT_EQ(Rows(alice_id_, "stale_leads"), 1);
  Advance(2 * kMsPerDay);
  SweepAll();
  auto news = One(Insights(alice_), "stale_leads");
  ASSERT_TRUE(news.is_object());
  EXPECT_NE(IdOf(news), IdOf(stale));
  EXPECT_TRUE(Has(Msg(news), "Cy Later")) << Msg(news);
}

TEST_F(CoachTest, DismissedOverdueTasksReturnOnlyWithADifferentCount) {
  Task(alice_, "Late one", "low", "2026-11-18");
  auto overdue = One(Insights(alice_), "overdue_tasks");
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(overdue)), json::object{}).status, 200);
  for (int i = 0; i < 2; ++i) {
    Advance(13 * kMsPerHour);
    SweepAll();
    EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty());
  }
  // Editing a task without changing the count is no news either.
  std::int64_t other = Task(alice_, "Future", "low", "2026-12-31");
  MustPatch(alice_, Path("/api/tasks", other), json::object{{"title", "Future (renamed)"}});
  EXPECT_TRUE(ByRule(Insights(alice_), "overdue_tasks").empty());
  Task(alice_, "Late two", "low", "2026-11-17");
  auto again = One(Insights(alice_), "overdue_tasks");
  ASSERT_TRUE(again.is_object());
  EXPECT_NE(IdOf(again), IdOf(overdue));
  EXPECT_TRUE(Has(Msg(again), "2 overdue tasks")) << Msg(again);
}

TEST_F(CoachTest, DismissedStuckDealReturnsOnlyAfterANewStint) {
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Zed purchase"}});
  Advance(15 * kMsPerDay);
  SweepAll();
  auto stuck = One(Insights(alice_), "stuck_deal");
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(stuck)), json::object{}).status, 200);
  for (int i = 0; i < 3; ++i) {
    Advance(kMsPerDay + kMsPerHour);
    if (i == 1) MustPatch(alice_, Path("/api/deals", deal), json::object{{"title", "Zed purchase (FHA)"}});
    SweepAll();
    EXPECT_TRUE(ByRule(Insights(alice_), "stuck_deal").empty()) << "day " << i;
  }
  MustPatch(alice_, Path("/api/deals", deal), json::object{{"stage", "Processing"}});
  Advance(15 * kMsPerDay);
  SweepAll();
  auto again = One(Insights(alice_), "stuck_deal");
  ASSERT_TRUE(again.is_object());
  EXPECT_NE(IdOf(again), IdOf(stuck));
  EXPECT_TRUE(Has(Msg(again), "Processing for 15 days")) << Msg(again);
}

TEST_F(CoachTest, APollAtALowerLevelHidesButDoesNotResolve) {
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Medium matters"}});
  Task(alice_, "Late", "low", "2026-11-18");
  Advance(15 * kMsPerDay);
  SweepAll();
  auto before = Insights(alice_);
  ASSERT_EQ(before.size(), 2u) << ToJson(before);
  // The front end polls with its level and thresholds (here: different from
  // the stored ones, so the poll sweeps).
  auto low = Insights(alice_, "coach_level=1&stale_lead_days=5&stuck_deal_days=10");
  for (const auto& p : Priorities(low)) EXPECT_EQ(p, "high");
  auto after = Insights(alice_);
  EXPECT_EQ(Ids(after), Ids(before)) << "a level-1 view resolved level-2 insights: " << ToJson(after);
}

// ----------------------------------------------------------------- privacy

TEST_F(CoachTest, InsightsArePrivateToTheirOfficer) {
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("mary@acme.test", "manager", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  Client mary = As("mary@acme.test");

  Contact(alice_, "Secret Sarah");
  std::int64_t client = Contact(alice_, "Secret Client", "CLIENT");
  std::int64_t deal =
      MustCreateId(alice_, "/api/deals", json::object{{"title", "Secret deal"}, {"contact_id", client}});
  MustPatch(alice_, Path("/api/deals", deal), json::object{{"stage", "Closed Won"}});
  Task(alice_, "Secret late task", "low", "2026-11-18");
  auto mine = Insights(alice_);
  ASSERT_EQ(mine.size(), 3u) << ToJson(mine);
  std::int64_t bobs_lead = Contact(bob, "Bob's Lead");
  auto bobs = Insights(bob);
  ASSERT_EQ(bobs.size(), 1u) << ToJson(bobs);
  EXPECT_EQ(bobs[0].at("entity_id"), json::value(bobs_lead));

  for (Client* other : {&bob, &mary}) {
    auto list = Insights(*other, "include_seen=true&coach_level=3&limit=50");
    for (const auto& i : mine) EXPECT_FALSE(HasId(list, IdOf(i)));
    EXPECT_FALSE(Has(ToJson(list), "Secret")) << ToJson(list);
    for (const auto& i : mine)
      for (const char* verb : {"seen", "dismiss"}) {
        auto r = other->Post(fmt::format("/api/coach/insights/{}/{}", IdOf(i), verb), json::object{});
        EXPECT_EQ(r.status, 404) << verb << " " << r.body;
        EXPECT_EQ(r.ErrorCode(), "NOT_FOUND");
      }
    // Asking about Alice's close returns nothing and logs nothing.
    auto r = Check(*other, WonCheck(deal));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json.is_null()) << r.body;
  }
  EXPECT_TRUE(Insights(mary, "include_seen=true&coach_level=3").empty()) << "a manager's list is their own";
  EXPECT_EQ(EventCount(alice_, "deal_closed", "deal", deal), 1u);
  EXPECT_EQ(Ids(Insights(alice_)), Ids(mine)) << "untouched: not seen, not dismissed";
  EXPECT_FALSE(HasId(Insights(alice_, "include_seen=true&limit=50"), IdOf(bobs[0])));
  auto r = alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(bobs[0])), json::object{});
  EXPECT_EQ(r.status, 404);

  // Settings are per officer too.
  PutSettings(alice_, json::object{{"coach_level", 3}, {"stale_lead_days", 3}});
  EXPECT_EQ(bob.Get("/api/coach/settings").json,
            json::parse(R"({"coach_level":2,"coach_enabled":true,"stale_lead_days":7,"stuck_deal_days":14,)"
                        R"("morning_push_time":"06:00","pace_nudges":true,"daily_summary":true})"));
}

TEST_F(CoachTest, AReassignedLeadsNudgeMovesToTheNewOwner) {
  std::int64_t bob_id = server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("ada@acme.test", "admin", "Acme Lending");
  Client bob = As("bob@acme.test");
  Client ada = As("ada@acme.test");
  std::int64_t lead = Contact(alice_, "Gina Handoff");
  std::int64_t alices = IdOf(One(Insights(alice_), "new_lead_speed"));
  ASSERT_GT(alices, 0);
  MustPatch(ada, Path("/api/contacts", lead), json::object{{"owner_id", bob_id}});
  EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "new_lead_speed").empty());
  auto bobs = One(Insights(bob), "new_lead_speed");
  EXPECT_EQ(bobs.at("entity_id"), json::value(lead));
  EXPECT_NE(IdOf(bobs), alices);
  EXPECT_TRUE(Insights(ada).empty()) << "the admin who did it gets nothing";

  // An admin closing Alice's deal: the referral is Alice's, not the admin's.
  std::int64_t client = Contact(alice_, "Hal Client", "CLIENT");
  std::int64_t deal = MustCreateId(alice_, "/api/deals", json::object{{"title", "Hal refi"}, {"contact_id", client}});
  MustPatch(ada, Path("/api/deals", deal), json::object{{"stage", "Closed Won"}});
  auto referral = One(Insights(alice_), "deal_won_referral");
  EXPECT_TRUE(Has(Msg(referral), "Hal Client")) << Msg(referral);
  EXPECT_TRUE(Insights(ada).empty());
  json::object check{{"action", "deal_closed"}, {"entity_type", "deal"}, {"entity_id", deal}};
  auto r = Check(alice_, check);
  EXPECT_EQ(IdOf(r.json), IdOf(referral)) << r.body;
  r = Check(ada, check);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.json.is_null()) << r.body;
  EXPECT_EQ(EventCount(alice_, "deal_closed", "deal", deal), 1u);
}

// ------------------------------------------------------------------- load

TEST_F(CoachTest, ConcurrentWritesNeverFail) {
  // Stale leads and overdue tasks give every write's sweep real work.
  std::vector<std::int64_t> contacts;
  for (int i = 0; i < 40; ++i) contacts.push_back(Contact(alice_, fmt::format("Load {}", i), "PROSPECT"));
  constexpr int kThreads = 8, kPerThread = 40;
  std::vector<std::int64_t> tasks;
  for (int t = 0; t < kThreads; ++t) tasks.push_back(Task(alice_, fmt::format("Toggle {}", t), "high", "2026-11-18"));
  Task(alice_, "Never done", "low", "2026-11-18");  // the overdue count never reaches 0
  Advance(8 * kMsPerDay);
  SweepAll();

  std::vector<std::vector<int>> statuses(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t, c = alice_]() mutable {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        HttpResult r;
        if (i % 2 == 0) {
          std::size_t who = static_cast<std::size_t>(t * kPerThread / 2 + i / 2) % contacts.size();
          r = c.Post("/api/activities", json::object{{"type", "call"}, {"contact_id", contacts[who]}});
        } else {
          r = c.Patch(Path("/api/tasks", tasks[t]), json::object{{"status", i % 4 == 1 ? "completed" : "pending"}});
        }
        statuses[t].push_back(r.status);
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t)
    for (int s : statuses[t]) EXPECT_TRUE(s >= 200 && s < 300) << "thread " << t << ": " << s;
  EXPECT_EQ(ListAll(alice_, "/api/events?action=call_logged").size(), std::size_t{kThreads * kPerThread / 2});
  EXPECT_EQ(ListAll(alice_, "/api/events?action=task_completed").size(), std::size_t{kThreads * kPerThread / 4});
  // Every task ended reopened (and overdue), every contact was called.
  auto items = Insights(alice_);
  auto overdue = One(items, "overdue_tasks");
  EXPECT_EQ(Param(overdue, "count"), json::value(kThreads + 1)) << Msg(overdue);
  EXPECT_TRUE(ByRule(items, "stale_leads").empty()) << ToJson(items);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM coach_insights WHERE user_id = ? AND rule = 'overdue_tasks' AND "
                   "resolved_at IS NULL AND dismissed = 0",
                   {alice_id_}),
            1);
}

}  // namespace
}  // namespace chosen::testing

// ---------------------------------------------------------------- patterns

namespace chosen::testing {
namespace {

// Half a year of calls logged through the API, in the officer's time zone
// (America/Chicago): 12 a weekday at local 10:00, answered at `base`, plus
// `lift` on Tuesdays and Thursdays (deterministic: the first k of each day's
// calls are the answered ones).
json::array CallHistory(TimestampMs now, double base, double lift) {
  json::array calls;
  for (int back = 1; back <= 175; ++back) {
    TimestampMs day = now - back * kMsPerDay;
    std::string date = LocalDate(day, "America/Chicago");
    int weekday = LocalWeekday(day, "America/Chicago");
    if (weekday > 5) continue;
    TimestampMs at = LocalMidnight(date, "America/Chicago") + 10 * kMsPerHour;
    double p = base + ((weekday == 2 || weekday == 4) ? lift : 0.0);
    // Spread the rounding over the weeks (not the weekdays, which would
    // plant a pattern) so rates come out right on average.
    int answered = static_cast<int>(p * 12 + ((back / 7) % 5) / 5.0);
    for (int i = 0; i < 12; ++i)
      calls.push_back(json::object{{"type", "call"},
                                   {"outcome", i < answered ? "answered" : "no_answer"},
                                   {"occurred_at", FormatIso(at + i * kMsPerMinute)}});
  }
  return calls;
}

TEST_F(CoachTest, PatternsFindAnOfficersBestDaysWithEvidenceAndStaySilentWithout) {
  // Nothing logged: nothing claimed.
  auto empty = alice_.Get("/api/coach/patterns");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(empty.json.at("patterns").as_array().empty());
  EXPECT_EQ(empty.json.at("period").at("days").as_int64(), 180);
  EXPECT_EQ(empty.json.at("generated_at").as_string(), Iso(Now()));

  auto logged = alice_.Post("/api/activities/bulk", CallHistory(Now(), 0.25, 0.2));
  ASSERT_EQ(logged.status, 201) << logged.body.substr(0, 300);
  // Findings are stored: a read serves them as they were computed until a
  // refresh (here asked for; the scheduler's otherwise).
  EXPECT_TRUE(alice_.Get("/api/coach/patterns").json.at("patterns").as_array().empty());
  Advance(kMsPerMinute);
  auto r = alice_.Post("/api/coach/patterns/refresh", json::object{});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(alice_.Get("/api/coach/patterns").json, r.json) << "a read serves what the refresh stored";
  EXPECT_EQ(r.json.at("generated_at").as_string(), Iso(Now()));
  // Two findings: the best days, and the pace (12 calls at 10 AM every weekday).
  const auto& patterns = r.json.at("patterns").as_array();
  ASSERT_EQ(patterns.size(), 2u) << r.body;
  const auto& best = patterns[0].as_object();
  const auto& pace = patterns[1].as_object();
  EXPECT_EQ(pace.at("kind").as_string(), "pace");
  EXPECT_NE(pace.at("message").as_string().find("12 calls by 11 AM"), std::string::npos) << pace.at("message");
  EXPECT_GE(pace.at("days").as_int64(), 100);
  EXPECT_EQ(best.at("type").as_string(), "best_days");
  EXPECT_EQ(best.at("kind").as_string(), "best_days");
  EXPECT_EQ(best.at("subject").as_string(), "calls");
  EXPECT_EQ(best.at("days").as_array(), (json::array{"Tuesday", "Thursday"})) << r.body;
  EXPECT_NE(best.at("message").as_string().find("Tuesdays and Thursdays"), std::string::npos);
  for (const auto& c : best.at("evidence").at("comparisons").as_array()) {
    EXPECT_GT(c.at("ci95").as_array()[0].as_double(), 0.0);
    EXPECT_LE(c.at("q_value").as_double(), 0.05);
  }

  // Bob, an even caller in the same org, hears no claim, and never Alice's.
  std::int64_t bob_id = server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  ASSERT_EQ(bob.Post("/api/activities/bulk", CallHistory(Now(), 0.3, 0.0)).status, 201);
  auto none = bob.Get("/api/coach/patterns");
  ASSERT_EQ(none.status, 200);
  for (const auto& p : none.json.at("patterns").as_array())
    EXPECT_EQ(p.at("kind"), "pace") << "no claim, only his pace: " << none.body;
  for (const std::string path : {"/api/coach/patterns", "/api/coach/patterns/refresh"}) {
    auto hidden = path.ends_with("refresh") ? bob.Post(path + fmt::format("?user_id={}", alice_id_), json::object{})
                                            : bob.Get(path + fmt::format("?user_id={}", alice_id_));
    EXPECT_EQ(hidden.status, 404) << path << ": " << hidden.body;
    EXPECT_EQ(hidden.ErrorField(), "user_id");
  }
  EXPECT_EQ(alice_.Get("/api/coach/patterns?user_id=abc").ErrorField(), "user_id");
  EXPECT_EQ(alice_.Get("/api/coach/patterns?user=1").status, 400) << "unknown parameter";

  // Their manager reads both; an admin of another org neither.
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  auto team = mia.Get(fmt::format("/api/coach/patterns?user_id={}", alice_id_));
  ASSERT_EQ(team.status, 200) << team.body;
  EXPECT_EQ(team.json.at("patterns").as_array().size(), 2u);
  EXPECT_EQ(mia.Get(fmt::format("/api/coach/patterns?user_id={}", bob_id)).status, 200);
  server_.AddUser("root@other.test", "admin", "Other Lending", "");
  Client other = As("root@other.test");
  EXPECT_EQ(other.Get(fmt::format("/api/coach/patterns?user_id={}", alice_id_)).status, 404);
}

TEST_F(CoachTest, ABestTimeToCallComesFromTheContactsOwnHistoryInTheirTimeZone) {
  // Jen, in New York, answers around 2 PM her time and never at 10 AM.
  std::int64_t jen = MustCreateId(alice_, "/api/contacts",
                                  json::object{{"name", "Jen Early"}, {"timezone", "America/New_York"}});
  json::array calls;
  for (int week = 1; week <= 8; ++week) {
    std::string date = LocalDate(Now() - week * 7 * kMsPerDay, "America/New_York");
    TimestampMs midnight = LocalMidnight(date, "America/New_York");
    calls.push_back(json::object{{"type", "call"}, {"contact_id", jen},
                                 {"outcome", week == 3 ? "no_answer" : "answered"},
                                 {"occurred_at", FormatIso(midnight + 14 * kMsPerHour + 5 * kMsPerMinute)}});
    calls.push_back(json::object{{"type", "call"}, {"contact_id", jen}, {"outcome", "no_answer"},
                                 {"occurred_at", FormatIso(midnight + 10 * kMsPerHour)}});
  }
  ASSERT_EQ(alice_.Post("/api/activities/bulk", calls).status, 201);

  auto r = alice_.Get(fmt::format("/api/contacts/{}/best-time", jen));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("basis").as_string(), "contact") << r.body;
  EXPECT_TRUE(r.json.at("claim").as_bool()) << r.body;
  EXPECT_EQ(r.json.at("contact_timezone").as_string(), "America/New_York");
  EXPECT_EQ(r.json.at("officer_timezone").as_string(), "America/Chicago");
  EXPECT_NE(r.json.at("message").as_string().find("Call Jen Early around 2 PM"), std::string::npos) << r.body;
  const auto& windows = r.json.at("windows").as_array();
  ASSERT_FALSE(windows.empty());
  EXPECT_EQ(windows[0].at("contact_local").as_string(), "14:00");
  EXPECT_EQ(windows[0].at("officer_local").as_string(), "13:00") << "Chicago is an hour behind";
  EXPECT_EQ(windows[0].at("contact_reached").as_int64(), 7);
  for (const auto& w : windows) {
    // Legal for Jen (8 AM-9 PM her time), inside Alice's 9-5 on a weekday, ahead of now.
    EXPECT_GE(w.at("contact_hour").as_int64(), 8);
    EXPECT_LE(w.at("contact_hour").as_int64(), 20);
    EXPECT_GE(w.at("officer_hour").as_int64(), 9);
    EXPECT_LE(w.at("officer_hour").as_int64(), 16);
    auto start = ParseIso(w.at("next_start").as_string(), "next_start");
    ASSERT_TRUE(start);
    EXPECT_GT(*start, Now());
    EXPECT_LE(LocalWeekday(*start, "America/Chicago"), 5);
  }

  // The same claim among Alice's patterns, and as something to do.
  auto found = alice_.Post("/api/coach/patterns/refresh", json::object{});
  ASSERT_EQ(found.status, 200) << found.body;
  json::value best = nullptr;
  for (const auto& p : found.json.at("patterns").as_array())
    if (Str(p, "kind") == "best_call_time") best = p;
  ASSERT_FALSE(best.is_null()) << found.body;
  EXPECT_EQ(Str(best, "subject"), fmt::format("contact:{}", jen));
  EXPECT_EQ(best.at("contact_id"), json::value(jen));
  EXPECT_EQ(best.at("contact_hour"), json::value(14));
  EXPECT_TRUE(Has(Msg(best), "Call Jen Early around 2 PM")) << Msg(best);
  json::value insight = One(Insights(alice_), "patterns");
  EXPECT_EQ(Str(insight, "suggested_action"), "call_contact");
  EXPECT_EQ(Param(insight, "contact_id"), json::value(jen));
  EXPECT_EQ(Str(insight, "entity_type"), "contact");
  EXPECT_EQ(insight.at("entity_id"), json::value(jen));
  EXPECT_EQ(Param(insight, "officer_hour"), json::value(13));
  // Alice's only calls are Jen's: taken out of the prior, nothing is left to
  // pull toward, and the evidence says so.
  EXPECT_EQ(best.at("evidence").at("shrunk"), json::value(false));

  // No history and no time zone: Alice's own zone, and no claim on nothing.
  std::int64_t cy = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Cy New"}});
  auto fresh = alice_.Get(fmt::format("/api/contacts/{}/best-time", cy));
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.json.at("contact_timezone").as_string(), "America/Chicago");
  EXPECT_FALSE(fresh.json.at("claim").as_bool()) << fresh.body;

  // Only whoever may read the contact.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  EXPECT_EQ(bob.Get(fmt::format("/api/contacts/{}/best-time", jen)).status, 404);
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  EXPECT_EQ(As("mia@acme.test").Get(fmt::format("/api/contacts/{}/best-time", jen)).status, 200);
  EXPECT_EQ(alice_.Get("/api/contacts/abc/best-time").ErrorField(), "id");
  EXPECT_EQ(alice_.Get("/api/contacts/999999/best-time").status, 404);
}

TEST_F(CoachTest, ConversionAfterVideoPostsIsFoundFromTheLog) {
  // Video posts on Mondays and Wednesdays; calls convert 1 in 6 within two
  // days after one, 1 in 30 otherwise (social posts on Fridays: no effect).
  json::array log;
  int after_count = 0, other_count = 0;
  for (int back = 170; back >= 1; --back) {
    TimestampMs day = Now() - back * kMsPerDay;
    std::string date = LocalDate(day, "America/Chicago");
    int weekday = LocalWeekday(day, "America/Chicago");
    TimestampMs midnight = LocalMidnight(date, "America/Chicago");
    if (weekday == 1 || weekday == 3)
      log.push_back(json::object{{"type", "video_post"}, {"topic", "VA loans"},
                                 {"occurred_at", FormatIso(midnight + 8 * kMsPerHour)}});
    if (weekday == 5)
      log.push_back(json::object{{"type", "social_post"}, {"topic", "rates"},
                                 {"occurred_at", FormatIso(midnight + 8 * kMsPerHour)}});
    if (weekday > 5) continue;
    bool after = weekday <= 4;  // Monday-Thursday are within 48 h of a Monday or Wednesday post
    for (int i = 0; i < 10; ++i) {
      int& n = after ? after_count : other_count;
      bool converted = ++n % (after ? 6 : 30) == 0;
      log.push_back(json::object{{"type", "call"},
                                 {"outcome", converted ? "appointment_set" : "no_answer"},
                                 {"occurred_at", FormatIso(midnight + (10 * 60 + i * 20) * kMsPerMinute)}});
    }
  }
  auto logged = alice_.Post("/api/activities/bulk", log);
  ASSERT_EQ(logged.status, 201) << logged.body.substr(0, 300);
  auto r = alice_.Post("/api/coach/patterns/refresh", json::object{});
  ASSERT_EQ(r.status, 200) << r.body;
  json::array links;
  for (const auto& p : r.json.at("patterns").as_array())
    if (p.at("kind") == "behavior_link") links.push_back(p);
  ASSERT_EQ(links.size(), 1u) << r.body;
  EXPECT_EQ(links[0].at("subject").as_string(), "video_post");
  EXPECT_EQ(links[0].at("evidence").at("tests").as_int64(), 2) << "video and social posts both tested";
  EXPECT_NE(links[0].at("message").as_string().find("after video posts"), std::string::npos);
  SweepAll();
  bool told = false;
  for (const auto& i : ByRule(Insights(alice_, "coach_level=3"), "patterns"))
    told = told || Param(i, "activity") == json::value("video_post");
  // One new pattern insight per sweep: sweep until it has had its turn.
  for (int k = 0; k < 3 && !told; ++k) {
    SweepAll();
    for (const auto& i : ByRule(Insights(alice_, "coach_level=3"), "patterns"))
      told = told || Param(i, "activity") == json::value("video_post");
  }
  EXPECT_TRUE(told) << ToJson(Insights(alice_, "coach_level=3"));
}

TEST_F(CoachTest, StrongPatternsBecomeInsightsThatDoNotRepeat) {
  ASSERT_EQ(alice_.Post("/api/activities/bulk", CallHistory(Now(), 0.25, 0.2)).status, 201);
  // The scheduler's refresh: every user with new events (and no findings yet).
  auto refreshed = server_.api().patterns().RefreshStale();
  ASSERT_TRUE(refreshed) << refreshed.error().message;
  EXPECT_EQ(*refreshed, 1);
  SweepAll();
  json::value insight = One(Insights(alice_), "patterns");
  EXPECT_EQ(Str(insight, "type"), "pattern");
  EXPECT_EQ(Str(insight, "priority"), "medium");
  EXPECT_TRUE(Has(Msg(insight), "Tuesdays and Thursdays")) << Msg(insight);
  EXPECT_EQ(Param(insight, "kind"), json::value("best_days"));
  EXPECT_TRUE(Param(insight, "evidence").is_object()) << "why am I seeing this: the evidence travels with it";
  EXPECT_TRUE(ByRule(Insights(alice_, "coach_level=1"), "patterns").empty()) << "a minimal coach keeps quiet";

  // Nothing new: nothing to refresh; new events refresh only after an hour.
  EXPECT_EQ(server_.api().patterns().RefreshStale().value(), 0);
  ASSERT_EQ(alice_.Post("/api/activities", json::object{{"type", "call"}, {"outcome", "no_answer"}}).status, 201);
  EXPECT_EQ(server_.api().patterns().RefreshStale().value(), 0);
  Advance(pattern::Patterns::kMaxAge);
  EXPECT_EQ(server_.api().patterns().RefreshStale().value(), 1);

  // Dismissed, the same finding is not said again, however often refreshed,
  // even after its dedupe window.
  ASSERT_EQ(alice_.Post(fmt::format("/api/coach/insights/{}/dismiss", IdOf(insight)), json::object{}).status, 200);
  for (int i = 0; i < 2; ++i) {
    Advance(8 * kMsPerDay);
    ASSERT_EQ(alice_.Post("/api/coach/patterns/refresh", json::object{}).status, 200);
    SweepAll();
    EXPECT_TRUE(ByRule(Insights(alice_, "include_seen=true"), "patterns").empty());
  }
}

TEST_F(CoachTest, TheSchedulerRefreshesPatternsBeforeItsSweep) {
  ASSERT_EQ(alice_.Post("/api/activities/bulk", CallHistory(Now(), 0.25, 0.2)).status, 201);
  ASSERT_TRUE(ByRule(Insights(alice_), "patterns").empty()) << "nothing refreshed yet";
  coach::Scheduler scheduler(server_.db(), server_.clock(), server_.api().coach(), std::chrono::milliseconds(5),
                             [this]() -> Status {
                               auto n = server_.api().patterns().RefreshStale();
                               if (!n) return n.error();
                               return {};
                             });
  scheduler.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ByRule(Insights(alice_), "patterns").empty()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the scheduler never refreshed";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  scheduler.Stop();
}


TEST_F(CoachTest, ContentDemandAsksForAVideoNoRecentPostCovered) {
  // Five prospects tagged VA, and one lead with an open VA loan: six share it.
  for (int i = 0; i < 5; ++i)
    MustCreateId(alice_, "/api/contacts",
                 json::object{{"name", fmt::format("Vet {}", i)}, {"status", "PROSPECT"}, {"tags", json::array{"VA loan"}}});
  std::int64_t buyer = Contact(alice_, "Buyer");
  MustCreateId(alice_, "/api/deals", json::object{{"title", "VA purchase"}, {"contact_id", buyer}, {"loan_type", "VA"}});
  // Four jumbo leads: under the minimum.
  for (int i = 0; i < 4; ++i)
    MustCreateId(alice_, "/api/contacts", json::object{{"name", fmt::format("Big {}", i)}, {"tags", json::array{"Jumbo"}}});
  auto found = alice_.Post("/api/coach/patterns/refresh", json::object{});
  ASSERT_EQ(found.status, 200) << found.body;
  json::array demand;
  for (const auto& p : found.json.at("patterns").as_array())
    if (Str(p, "kind") == "content_demand") demand.push_back(p);
  ASSERT_EQ(demand.size(), 1u) << found.body;
  EXPECT_EQ(Str(demand[0], "subject"), "VA loans");
  EXPECT_EQ(demand[0].at("evidence").at("contacts"), json::value(6));
  EXPECT_EQ(demand[0].at("evidence").at("prospects"), json::value(5));
  EXPECT_EQ(demand[0].at("evidence").at("leads"), json::value(1));
  // The coach turns it into something to do.
  json::value insight = One(Insights(alice_), "patterns");
  EXPECT_TRUE(Has(Msg(insight), "Create a video about VA loans")) << Msg(insight);
  EXPECT_EQ(Str(insight, "suggested_action"), "create_task");
  EXPECT_EQ(Param(insight, "title"), json::value("Record a video about VA loans"));
  EXPECT_EQ(Param(insight, "kind"), json::value("content_demand"));

  // A video about it answers the demand: the finding and its insight go.
  ASSERT_EQ(alice_.Post("/api/activities", json::object{{"type", "video_post"}, {"topic", "3 myths about VA loans"}})
                .status,
            201);
  auto after = alice_.Post("/api/coach/patterns/refresh", json::object{});
  ASSERT_EQ(after.status, 200);
  for (const auto& p : after.json.at("patterns").as_array()) EXPECT_NE(Str(p, "kind"), "content_demand") << after.body;
  EXPECT_TRUE(ByRule(Insights(alice_), "patterns").empty());
}

TEST_F(CoachTest, SuccessPatternsCompareTopPerformersWithTheRestAnonymously) {
  // Ten officers: officer i opened i loans and made 2 + i calls a day (all
  // answered) over the last 60 days.
  std::string lines;
  for (int i = 0; i < 10; ++i) {
    lines += json::serialize(json::object{{"type", "user"},
                                          {"external_id", fmt::format("o{}", i)},
                                          {"email", fmt::format("o{}@acme.test", i)},
                                          {"name", fmt::format("Officer {}", i)}}) +
             "\n";
    for (int d = 1; d <= 60; ++d)
      for (int k = 0; k < 2 + i; ++k)
        lines += json::serialize(json::object{{"type", "activity"},
                                              {"external_id", fmt::format("a{}-{}-{}", i, d, k)},
                                              {"owner", fmt::format("o{}", i)},
                                              {"activity_type", "call"},
                                              {"outcome", "answered"},
                                              {"occurred_at", FormatIso(Now() - d * kMsPerDay + k * 60000)}}) +
                 "\n";
    for (int l = 0; l < i; ++l)
      lines += json::serialize(json::object{{"type", "deal"},
                                            {"external_id", fmt::format("d{}-{}", i, l)},
                                            {"owner", fmt::format("o{}", i)},
                                            {"title", "Loan"},
                                            {"created_at", FormatIso(Now() - (l + 1) * kMsPerDay)}}) +
               "\n";
  }
  auto imported = transfer::Import(server_.db(), server_.clock(), lines, {.org = "Acme Lending"});
  ASSERT_TRUE(imported && imported->committed);
  Client top = As("o9@acme.test");
  auto r = top.Get("/api/coach/patterns");
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, json::value> success;
  for (const auto& p : r.json.at("patterns").as_array())
    if (Str(p, "kind") == "success_pattern") success[Str(p, "subject")] = p;
  ASSERT_EQ(success.size(), 2u) << r.body;
  ASSERT_TRUE(success.contains("calls_per_day")) << r.body;
  ASSERT_TRUE(success.contains("conversations_per_day")) << r.body;
  const auto& calls = success["calls_per_day"];
  EXPECT_EQ(calls.at("evidence").at("top").at("officers"), json::value(5));
  EXPECT_EQ(calls.at("evidence").at("rest").at("officers"), json::value(5));
  EXPECT_GT(calls.at("evidence").at("top").at("median").to_number<double>(),
            calls.at("evidence").at("rest").at("median").to_number<double>());
  EXPECT_LE(calls.at("evidence").at("q_value").to_number<double>(), 0.05);
  // Their own value, nobody else's.
  const double mine = calls.at("you").to_number<double>();
  EXPECT_GT(mine, calls.at("evidence").at("top").at("median").to_number<double>());
  EXPECT_TRUE(Has(Msg(calls), "You: ")) << Msg(calls);
  EXPECT_FALSE(calls.as_object().contains("values"));
  EXPECT_FALSE(Has(r.body, "\"values\"")) << r.body;
  // Alice (no activity) sees the groups and no value of her own.
  auto alice = alice_.Get("/api/coach/patterns");
  bool seen = false;
  for (const auto& p : alice.json.at("patterns").as_array())
    if (Str(p, "kind") == "success_pattern") {
      seen = true;
      EXPECT_TRUE(p.at("you").is_null());
    }
  EXPECT_TRUE(seen) << alice.body;
  // Computed per org, daily: an org of one officer has none.
  server_.AddUser("solo@other.test", "officer", "Other Lending", "");
  auto solo = As("solo@other.test").Get("/api/coach/patterns");
  for (const auto& p : solo.json.at("patterns").as_array()) EXPECT_NE(Str(p, "kind"), "success_pattern");
  EXPECT_EQ(server_.api().patterns().RefreshSuccessStale().value(), 0);
  Advance(pattern::Patterns::kSuccessMaxAge + kMsPerHour);
  EXPECT_EQ(server_.api().patterns().RefreshSuccessStale().value(), 2);
}

TEST_F(CoachTest, AManagerSeesTheTeamsPooledPatterns) {
  // Two officers of team East, each with half the planted history: alone
  // each is too thin to say much; pooled, the team's best days show.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  ASSERT_EQ(alice_.Post("/api/activities/bulk", CallHistory(Now(), 0.25, 0.2)).status, 201);
  ASSERT_EQ(bob.Post("/api/activities/bulk", CallHistory(Now(), 0.25, 0.2)).status, 201);
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  auto team_id = SqlInt("SELECT team_id FROM users WHERE id = ?", {alice_id_});
  auto team = mia.Get(fmt::format("/api/coach/patterns?team_id={}", team_id));
  ASSERT_EQ(team.status, 200) << team.body;
  EXPECT_EQ(team.json.at("members"), json::value(3));  // the manager is on the team too
  json::value best = nullptr;
  for (const auto& p : team.json.at("patterns").as_array())
    if (Str(p, "kind") == "best_days" && Str(p, "subject") == "calls") best = p;
  ASSERT_FALSE(best.is_null()) << team.body;
  EXPECT_TRUE(Has(Msg(best), "Your team's best days are Tuesdays and Thursdays: the team's calls")) << Msg(best);
  // Twice one officer's calls.
  std::int64_t calls = 0;
  for (const auto& d : best.at("by_weekday").as_array()) calls += d.at("calls").as_int64();
  auto own = alice_.Get("/api/coach/patterns");
  std::int64_t alone = 0;
  for (const auto& p : own.json.at("patterns").as_array())
    if (Str(p, "kind") == "best_days" && Str(p, "subject") == "calls")
      for (const auto& d : p.at("by_weekday").as_array()) alone += d.at("calls").as_int64();
  EXPECT_EQ(calls, 2 * alone);

  // Only the team's manager or an admin; never an officer, another team's
  // manager, or another org.
  EXPECT_EQ(alice_.Get(fmt::format("/api/coach/patterns?team_id={}", team_id)).status, 404);
  EXPECT_EQ(alice_.Get(fmt::format("/api/coach/patterns?team_id={}", team_id)).ErrorField(), "team_id");
  server_.AddUser("wes@acme.test", "manager", "Acme Lending", "West");
  EXPECT_EQ(As("wes@acme.test").Get(fmt::format("/api/coach/patterns?team_id={}", team_id)).status, 404);
  server_.AddUser("ada@acme.test", "admin", "Acme Lending", "");
  EXPECT_EQ(As("ada@acme.test").Get(fmt::format("/api/coach/patterns?team_id={}", team_id)).status, 200);
  server_.AddUser("root@other.test", "admin", "Other Lending", "");
  EXPECT_EQ(As("root@other.test").Get(fmt::format("/api/coach/patterns?team_id={}", team_id)).status, 404);
  EXPECT_EQ(mia.Get("/api/coach/patterns?team_id=abc").ErrorField(), "team_id");
  EXPECT_EQ(mia.Get(fmt::format("/api/coach/patterns?team_id={}&user_id=1", team_id)).status, 400);
  EXPECT_EQ(mia.Post(fmt::format("/api/coach/patterns/refresh?team_id={}", team_id), json::object{}).status, 400);
}

// ---------------------------------------------------------------- lead priority

// An org's history for the lead model, in the import format: `n` contacts
// of another officer's (carol) that arrived 120-200 days ago, each called 1-3 times a day
// apart; a loan opened an hour after the last call for 60% of the Zillow
// leads and 10% of the others (deterministically spread).
std::string LeadHistory(TimestampMs now, int n) {
  std::string out = R"({"type":"user","external_id":"u1","email":"carol@acme.test","name":"Carol"})"
                    "\n";
  for (int i = 0; i < n; ++i) {
    const bool zillow = i % 2 == 0;
    const bool converts = zillow ? (i / 2) % 5 < 3 : (i / 2) % 10 == 0;
    const TimestampMs created = now - (120 + i % 80) * kMsPerDay;
    const int calls = 1 + i % 3;
    out += json::serialize(json::object{{"type", "contact"},
                                        {"external_id", fmt::format("c{}", i)},
                                        {"owner", "u1"},
                                        {"name", fmt::format("History {}", i)},
                                        {"status", converts ? "CLIENT" : "LEAD"},
                                        {"source", zillow ? "Zillow" : "Website"},
                                        {"created_at", FormatIso(created)}}) +
           "\n";
    for (int k = 0; k < calls; ++k)
      out += json::serialize(json::object{{"type", "activity"},
                                          {"external_id", fmt::format("a{}-{}", i, k)},
                                          {"owner", "u1"},
                                          {"activity_type", "call"},
                                          {"outcome", k == calls - 1 ? "answered" : "no_answer"},
                                          {"contact", fmt::format("c{}", i)},
                                          {"occurred_at", FormatIso(created + k * kMsPerDay)}}) +
             "\n";
    if (converts) {
      const std::string at = FormatIso(created + (calls - 1) * kMsPerDay + kMsPerHour);
      out += json::serialize(json::object{{"type", "deal"},
                                          {"external_id", fmt::format("d{}", i)},
                                          {"owner", "u1"},
                                          {"contact", fmt::format("c{}", i)},
                                          {"title", "Purchase"},
                                          {"stage", "Application"},
                                          {"created_at", at},
                                          {"stage_changed_at", at}}) +
             "\n";
    }
  }
  return out;
}

TEST_F(CoachTest, LeadModelIsSilentWithoutHistoryAndSaysWhy) {
  std::int64_t lead = Contact(alice_, "New lead");
  auto model = alice_.Get("/api/coach/lead-model");
  ASSERT_EQ(model.status, 200) << model.body;
  EXPECT_EQ(Str(model.json, "status"), "insufficient_data");
  EXPECT_TRUE(model.json.at("model").is_null());
  EXPECT_TRUE(Has(Str(model.json, "message"), "too little history")) << model.body;
  EXPECT_EQ(model.json.at("horizon_days"), json::value(30));
  auto scores = alice_.Get("/api/coach/lead-scores");
  ASSERT_EQ(scores.status, 200) << scores.body;
  EXPECT_EQ(scores.json.at("open_leads"), json::value(1));
  EXPECT_TRUE(scores.json.at("items").as_array().empty());
  EXPECT_FALSE(scores.json.as_object().contains("base_rate"));
  auto one = alice_.Get(fmt::format("/api/contacts/{}/score", lead));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json.at("scored"), json::value(false));
  EXPECT_TRUE(one.json.at("probability").is_null());
  EXPECT_EQ(Str(one.json, "status"), "insufficient_data");
}

TEST_F(CoachTest, LeadModelRanksOpenLeadsFromTheOrgsHistory) {
  auto imported = transfer::Import(server_.db(), server_.clock(), LeadHistory(Now(), 400), {.org = "Acme Lending"});
  ASSERT_TRUE(imported && imported->committed);
  std::int64_t hot = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Zoe Zillow"}, {"source", "Zillow"}});
  std::int64_t cold = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Walt Web"}, {"source", "Website"}});
  std::int64_t won = MustCreateId(alice_, "/api/contacts", json::object{{"name", "Dana Deal"}, {"source", "Zillow"}});
  MustCreateId(alice_, "/api/deals", json::object{{"title", "Dana's loan"}, {"contact_id", won}});

  // A large org learns from a sample of its contacts' calls.
  pattern::LeadModels sampled(server_.db(), server_.clock(), {}, /*max_examples=*/300);
  auto org_id = SqlInt("SELECT org_id FROM users WHERE id = ?", {alice_id_});
  auto few = sampled.Examples(org_id);
  ASSERT_TRUE(few) << few.error().message;
  EXPECT_GT(few->size(), 200u);
  EXPECT_LT(few->size(), 400u);

  // Only a manager or an admin retrains on demand.
  auto denied = alice_.Post("/api/coach/lead-model/refresh", json::object{});
  EXPECT_EQ(denied.status, 403) << denied.body;
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  auto trained = mia.Post("/api/coach/lead-model/refresh", json::object{});
  ASSERT_EQ(trained.status, 200) << trained.body;
  EXPECT_EQ(Str(trained.json, "status"), "ready") << trained.body;
  const auto& fit = trained.json.at("model");
  // Every call of the history is an example (all decided); 60% vs 10%
  // conversion by source ranks far better than chance.
  EXPECT_EQ(fit.at("examples"), json::value(799));  // 1 + i % 3 calls for i < 400
  EXPECT_GT(fit.at("auc").to_number<double>(), 0.7);
  EXPECT_GT(fit.at("auc_interval").at(0).to_number<double>(), 0.5);
  EXPECT_TRUE(Has(Str(trained.json, "message"), "better than chance")) << trained.body;

  auto scores = alice_.Get("/api/coach/lead-scores?limit=5");
  ASSERT_EQ(scores.status, 200) << scores.body;
  EXPECT_EQ(scores.json.at("open_leads"), json::value(2));  // Dana has a loan
  const auto& items = scores.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << scores.body;
  EXPECT_EQ(items[0].at("contact_id"), json::value(hot));
  EXPECT_EQ(items[1].at("contact_id"), json::value(cold));
  const double p_hot = items[0].at("probability").to_number<double>();
  EXPECT_GT(p_hot, 2 * items[1].at("probability").to_number<double>());
  const auto& reasons = items[0].at("reasons").as_array();
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(Str(reasons[0], "feature"), "source=zillow");
  EXPECT_EQ(Str(reasons[0], "label"), "Source: Zillow");
  EXPECT_EQ(Str(reasons[0], "direction"), "up");
  EXPECT_GT(scores.json.at("base_rate").to_number<double>(), 0.2);

  auto one = alice_.Get(fmt::format("/api/contacts/{}/score", hot));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json.at("scored"), json::value(true));
  EXPECT_DOUBLE_EQ(one.json.at("probability").to_number<double>(), p_hot);
  auto done = alice_.Get(fmt::format("/api/contacts/{}/score", won));
  EXPECT_EQ(done.json.at("scored"), json::value(false));
  EXPECT_TRUE(Has(Str(done.json, "message"), "Only open leads")) << done.body;

  // Private like the contacts they rank.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "West");
  Client bob = As("bob@acme.test");
  auto hidden = bob.Get(fmt::format("/api/coach/lead-scores?user_id={}", alice_id_));
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(hidden.ErrorField(), "user_id");
  EXPECT_EQ(bob.Get(fmt::format("/api/contacts/{}/score", hot)).status, 404);
  EXPECT_TRUE(bob.Get("/api/coach/lead-scores").json.at("items").as_array().empty());
  EXPECT_EQ(mia.Get(fmt::format("/api/coach/lead-scores?user_id={}", alice_id_)).json.at("items").as_array().size(),
            2u);
  server_.AddUser("root@other.test", "admin", "Other Lending", "");
  Client other = As("root@other.test");
  EXPECT_EQ(other.Get(fmt::format("/api/coach/lead-scores?user_id={}", alice_id_)).status, 404);
  EXPECT_EQ(other.Get(fmt::format("/api/contacts/{}/score", hot)).status, 404);
  EXPECT_EQ(Str(other.Get("/api/coach/lead-model").json, "status"), "insufficient_data");

  // Bad parameters name themselves.
  for (const char* q : {"limit=0", "limit=101", "limit=x", "user_id=abc", "sort=asc"}) {
    auto bad = alice_.Get(std::string("/api/coach/lead-scores?") + q);
    EXPECT_EQ(bad.status, 400) << q << ": " << bad.body;
  }
  EXPECT_EQ(alice_.Get("/api/coach/lead-scores?limit=0").ErrorField(), "limit");
  EXPECT_EQ(alice_.Get("/api/contacts/abc/score").status, 400);

  // The scores are memoised per officer; a change to her records shows at
  // once (a loan for the cold lead takes it off the list).
  ASSERT_EQ(alice_.Post("/api/deals", json::object{{"title", "Cold loan"}, {"contact_id", cold}}).status, 201);
  auto fewer = alice_.Get("/api/coach/lead-scores?limit=5");
  EXPECT_EQ(fewer.json.at("open_leads"), json::value(1)) << fewer.body;
  EXPECT_EQ(fewer.json.at("items").as_array().size(), 1u);
  // A lead reassigned away (its event is the new owner's) leaves her list too.
  const auto carl = server_.AddUser("carl@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("boss@acme.test", "admin", "Acme Lending");
  auto moved = As("boss@acme.test")
                   .Send("PATCH", fmt::format("/api/contacts/{}", hot), fmt::format(R"({{"owner_id":{}}})", carl));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(alice_.Get("/api/coach/lead-scores?limit=5").json.at("open_leads"), json::value(0));
}

TEST_F(CoachTest, AnImportMakesTheLeadModelLearnAgain) {
  // Trained on nothing...
  EXPECT_EQ(Str(alice_.Get("/api/coach/lead-model").json, "status"), "insufficient_data");
  // ...then a history arrives: the next read learns from it, without waiting a day.
  auto imported = transfer::Import(server_.db(), server_.clock(), LeadHistory(Now(), 400), {.org = "Acme Lending"});
  ASSERT_TRUE(imported && imported->committed);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM lead_models"), 0);
  auto model = alice_.Get("/api/coach/lead-model");
  EXPECT_EQ(Str(model.json, "status"), "ready") << model.body;
  EXPECT_TRUE(Has(Str(model.json, "message"), "held-out calls to")) << model.body;
}

TEST_F(CoachTest, LeadModelsAreRetrainedDailyBySchedule) {
  auto& leads = server_.api().leads();
  auto first = leads.RefreshStale();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1);  // Acme Lending had none
  EXPECT_EQ(*leads.RefreshStale(), 0);
  Advance(pattern::LeadModels::kMaxAge + kMsPerHour);
  EXPECT_EQ(*leads.RefreshStale(), 1);
  EXPECT_EQ(SqlInt("SELECT COUNT(*) FROM lead_models"), 1);
}

}  // namespace
}  // namespace chosen::testing
