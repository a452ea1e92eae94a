// The hub's weekly view over real HTTP with a fixed clock: the vision
// board's plan (add, drag and drop between and within days, renumbering,
// limits, access), the thermometer, the content calendar, and anonymous
// peer bands (never another officer's name, id or value).
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

class HubWeeklyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  std::int64_t Add(const json::object& body) {
    auto r = alice_.Post("/api/plan", body);
    EXPECT_EQ(r.status, 201) << json::serialize(body) << " -> " << r.body;
    return r.status == 201 ? r.json.at("id").as_int64() : 0;
  }

  // "day:title" per item, in the answer's order.
  static std::vector<std::string> Order(const HttpResult& r) {
    std::vector<std::string> out;
    for (const auto& i : r.json.at("items").as_array()) {
      out.push_back(fmt::format("{}:{}:{}", i.at("day").is_null() ? std::string("-") : std::to_string(i.at("day").as_int64()),
                                i.at("position").as_int64(), std::string(i.at("title").as_string())));
    }
    return out;
  }

  void Calls(Client& c, int n) {
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(c.Post("/api/activities", json::object{{"type", "call"}, {"outcome", "no_answer"}}).status, 201);
  }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()};
};

TEST_F(HubWeeklyTest, PlanItemsAreDraggedBetweenAndWithinDaysAndStayInOrder) {
  // Friday 2026-11-20: this week is Monday the 16th.
  const auto a = Add({{"title", "Call five past clients"}, {"day", 1}});
  const auto b = Add({{"title", "Record VA video"}, {"day", 1}});
  const auto c = Add({{"title", "Lunch with Pat"}, {"day", 1}});
  const auto d = Add({{"title", "Clean up pipeline"}});
  auto plan = alice_.Get("/api/plan");
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(plan.json.at("week"), json::value("2026-11-16"));
  EXPECT_EQ(Order(plan), (std::vector<std::string>{"-:0:Clean up pipeline", "1:0:Call five past clients",
                                                   "1:1:Record VA video", "1:2:Lunch with Pat"}));
  // Drag "Lunch with Pat" to the top of Tuesday; then "Call five past
  // clients" below "Record VA video"; then the unscheduled one to Tuesday's top.
  auto moved = alice_.Send("PATCH", fmt::format("/api/plan/{}", c), R"({"day":2,"position":0})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  moved = alice_.Send("PATCH", fmt::format("/api/plan/{}", a), R"({"position":1})");
  moved = alice_.Send("PATCH", fmt::format("/api/plan/{}", d), R"({"day":2,"position":0})");
  EXPECT_EQ(Order(moved), (std::vector<std::string>{"1:0:Record VA video", "1:1:Call five past clients",
                                                    "2:0:Clean up pipeline", "2:1:Lunch with Pat"}));
  // A position past the end goes last; back to unscheduled; done; renamed.
  moved = alice_.Send("PATCH", fmt::format("/api/plan/{}", b), R"({"day":2,"position":99})");
  moved = alice_.Send("PATCH", fmt::format("/api/plan/{}", a), R"({"day":null,"status":"done","title":"Call 5"})");
  EXPECT_EQ(Order(moved), (std::vector<std::string>{"-:0:Call 5", "2:0:Clean up pipeline", "2:1:Lunch with Pat",
                                                    "2:2:Record VA video"}));
  EXPECT_EQ(moved.json.at("items").as_array()[0].at("status"), json::value("done"));
  ASSERT_EQ(alice_.Send("DELETE", fmt::format("/api/plan/{}", d), "").status, 204);
  EXPECT_EQ(Order(alice_.Get("/api/plan?week=2026-11-19")),
            (std::vector<std::string>{"-:0:Call 5", "2:0:Lunch with Pat", "2:1:Record VA video"}));
  EXPECT_TRUE(alice_.Get("/api/plan?week=2026-11-23").json.at("items").as_array().empty());
  Add({{"title", "Next week's thing"}, {"week", "2026-11-25"}, {"day", 3}});
  EXPECT_EQ(alice_.Get("/api/plan?week=2026-11-23").json.at("week"), json::value("2026-11-23"));

  struct Case {
    std::string method, path, body, field;
  };
  const std::string item = fmt::format("/api/plan/{}", b);
  const Case cases[] = {
      {"POST", "/api/plan", R"({})", "title"},
      {"POST", "/api/plan", R"({"title":"   "})", "title"},
      {"POST", "/api/plan", R"({"title":")" + std::string(201, 'x') + R"("})", "title"},
      {"POST", "/api/plan", R"({"title":"x","day":8})", "day"},
      {"POST", "/api/plan", R"({"title":"x","day":"monday"})", "day"},
      {"POST", "/api/plan", R"({"title":"x","status":"maybe"})", "status"},
      {"POST", "/api/plan", R"({"title":"x","week":"2026-02-30"})", "week"},
      {"POST", "/api/plan", R"({"title":"x","colour":"red"})", "colour"},
      {"PATCH", item, R"({"position":-1})", "position"},
      {"PATCH", item, R"({"week":"2026-11-23"})", "week"},
      {"GET", "/api/plan?week=tomorrow", "", "week"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.method + " " + tc.path + " " + tc.body);
    auto r = alice_.Send(tc.method, tc.path, tc.body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.ErrorField(), tc.field);
  }
  // Someone else's plan is not there for Bob; their manager plans with them.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  EXPECT_EQ(bob.Send("PATCH", item, R"({"status":"done"})").status, 404);
  EXPECT_EQ(bob.Send("DELETE", item, "").status, 404);
  EXPECT_EQ(bob.Get(fmt::format("/api/plan?user_id={}", alice_id_)).ErrorField(), "user_id");
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  auto planned = mia.Post("/api/plan", json::object{{"title", "Coach: role-play objections"}, {"user_id", alice_id_},
                                                     {"day", 4}});
  ASSERT_EQ(planned.status, 201) << planned.body;
  EXPECT_EQ(alice_.Get("/api/plan").json.at("items").as_array().size(), 4u);
  // At most 100 items a week.
  for (int i = 0; i < 96; ++i) Add({{"title", fmt::format("item {}", i)}, {"day", 5}});
  auto full = alice_.Post("/api/plan", json::object{{"title", "one too many"}});
  EXPECT_EQ(full.status, 400);
  EXPECT_EQ(full.ErrorField(), "week");
}

TEST_F(HubWeeklyTest, TheThermometerCreditsThePlanAndWorkDoneAndTheCalendarSuggestsTopics) {
  server_.clock().Set(LocalTimeOn("2026-11-23", 8 * 60, "America/Chicago"));  // Monday morning
  auto empty = alice_.Get("/api/hub/week");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json.at("week").at("from"), json::value("2026-11-23"));
  EXPECT_EQ(empty.json.at("thermometer").at("percent"), json::value(0));
  EXPECT_EQ(empty.json.at("thermometer").at("message"),
            json::value("Set a weekly goal or plan your week to start the thermometer."));
  Add({{"title", "Call five past clients"}, {"day", 1}});
  Add({{"title", "Record VA video"}, {"day", 3}});
  auto planned = alice_.Get("/api/hub/week");
  EXPECT_EQ(planned.json.at("thermometer").at("percent"), json::value(10)) << "never empty once the plan is set";
  EXPECT_EQ(planned.json.at("thermometer").at("plan_credit"), json::value(true));
  // Calls made before the goal was set count toward it.
  Calls(alice_, 5);
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"week","target":10})").status, 200);
  auto week = alice_.Get("/api/hub/week");
  const auto& t = week.json.at("thermometer");
  EXPECT_EQ(t.at("percent"), json::value(33)) << week.body;  // 10 + 90 x mean(5/10, 0/2)
  EXPECT_EQ(t.at("message"), json::value("33% of the way: 0 of 1 weekly goal met, 0 of 2 plan items done."));
  EXPECT_EQ(week.json.at("progress").at("metrics").as_array()[0].at("actual"), json::value(5));

  // Five open leads share a topic no recent post covered: a calendar slot.
  for (int i = 0; i < 6; ++i)
    ASSERT_EQ(alice_.Post("/api/contacts", json::object{{"name", fmt::format("Lead {}", i)}, {"status", "LEAD"},
                                                        {"tags", json::array{"VA loans"}}}).status,
              201);
  ASSERT_EQ(alice_.Post("/api/coach/patterns/refresh", json::object{}).status, 200);
  auto calendar = alice_.Get("/api/hub/week").json.at("content_calendar").as_array();
  ASSERT_EQ(calendar.size(), 1u);
  EXPECT_EQ(calendar[0].at("topic"), json::value("VA loans"));
  EXPECT_EQ(calendar[0].at("date"), json::value("2026-11-23"));
  EXPECT_EQ(calendar[0].at("weekday"), json::value("Monday"));
  EXPECT_EQ(calendar[0].at("open_contacts"), json::value(6));
  EXPECT_EQ(calendar[0].at("posted"), json::value(false));
  ASSERT_EQ(alice_.Post("/api/activities", json::object{{"type", "video_post"}, {"topic", "va loans"}}).status, 201);
  auto after = alice_.Get("/api/hub/week");
  EXPECT_EQ(after.json.at("content_calendar").as_array()[0].at("posted"), json::value(true)) << after.body;
  EXPECT_EQ(alice_.Get("/api/hub/week?week=soon").ErrorField(), "week");
  // The last week a date may name ends past it: answered, not looped on.
  EXPECT_EQ(alice_.Get("/api/hub/week?week=2200-12-31").status, 200);
  EXPECT_EQ(alice_.Get("/api/plan?week=2200-12-31").json.at("week"), json::value("2200-12-29"));
}

TEST_F(HubWeeklyTest, PeerBandsNeedFiveAndNeverShowAnyoneElse) {
  std::vector<Client> others;
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    names.push_back(fmt::format("peer{}@acme.test", i));
    server_.AddUser(names.back(), "officer", "Acme Lending", "East");
    others.push_back(As(names.back()));
  }
  server_.AddUser("west@acme.test", "officer", "Acme Lending", "West");
  auto small = alice_.Get("/api/hub/peers");
  ASSERT_EQ(small.status, 200) << small.body;
  EXPECT_EQ(small.json.at("status"), json::value("too_small"));
  EXPECT_EQ(small.json.at("group_size"), json::value(4));
  EXPECT_TRUE(small.json.at("metrics").as_array().empty());

  names.push_back("peer3@acme.test");
  server_.AddUser(names.back(), "officer", "Acme Lending", "East");
  others.push_back(As(names.back()));
  Calls(alice_, 3);
  for (std::size_t i = 0; i < others.size(); ++i) Calls(others[i], 7 + 2 * static_cast<int>(i));  // 7, 9, 11, 13
  auto bands = alice_.Get("/api/hub/peers?period=week");
  ASSERT_EQ(bands.status, 200) << bands.body;
  EXPECT_EQ(bands.json.at("status"), json::value("ok"));
  EXPECT_EQ(bands.json.at("group_size"), json::value(5));
  const auto& calls = bands.json.at("metrics").as_array()[0];
  EXPECT_EQ(calls.at("metric"), json::value("calls"));
  EXPECT_EQ(calls.at("you"), json::value(3));
  EXPECT_EQ(calls.at("band"), json::value("bottom_25"));
  EXPECT_EQ(calls.at("label"), json::value("Lower quarter"));
  EXPECT_EQ(bands.json.at("metrics").as_array()[1].at("band"), json::value("level"));
  auto top = others.back().Get("/api/hub/peers");
  EXPECT_EQ(top.json.at("metrics").as_array()[0].at("band"), json::value("top_10"));
  // The org's group counts the West officer too.
  EXPECT_EQ(alice_.Get("/api/hub/peers?scope=org&period=month").json.at("group_size"), json::value(6));

  // Nothing but the caller's own: fixed keys, and no one's name, email, id or count.
  for (const auto& r : {bands, top}) {
    std::set<std::string> keys;
    for (const auto& kv : r.json.as_object()) keys.insert(std::string(kv.key()));
    EXPECT_EQ(keys, (std::set<std::string>{"scope", "period", "from", "to", "group_size", "min_group", "status",
                                           "message", "metrics"}));
    for (const auto& m : r.json.at("metrics").as_array()) EXPECT_EQ(m.as_object().size(), 4u) << m;
    for (const auto& n : names) EXPECT_EQ(r.body.find(n.substr(0, 5)), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("alice"), std::string::npos);
    EXPECT_EQ(r.body.find(fmt::format("\"user_id\"")), std::string::npos);
  }
  for (int v : {7, 9, 11}) EXPECT_EQ(bands.body.find(fmt::format(":{},", v)), std::string::npos) << bands.body;
  EXPECT_EQ(alice_.Get("/api/hub/peers?scope=everyone").ErrorField(), "scope");
  EXPECT_EQ(alice_.Get("/api/hub/peers?period=day").ErrorField(), "period");
}

}  // namespace
}  // namespace chosen::testing
