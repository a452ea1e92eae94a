// The accountability hub over real HTTP: goals per officer, metric and
// period (who may set and read them), and progress in the officer's own
// day, week, month and 90-day cycle, counted from what they logged.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

class GoalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  std::int64_t Create(Client& c, const std::string& path, const json::object& body) {
    auto r = c.Post(path, body);
    EXPECT_EQ(r.status, 201) << path << " " << json::serialize(body) << " -> " << r.body;
    return r.status == 201 ? r.json.at("id").as_int64() : 0;
  }

  HttpResult PutGoal(Client& c, const json::object& body) { return c.Send("PUT", "/api/goals", json::serialize(body)); }

  // One metric's entry of a progress answer.
  static json::object Metric(const HttpResult& r, std::string_view metric) {
    for (const auto& m : r.json.at("metrics").as_array())
      if (m.at("metric").as_string() == metric) return m.as_object();
    ADD_FAILURE() << "no metric " << metric << " in " << r.body;
    return {};
  }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()};
};

TEST_F(GoalsTest, GoalsAreSetReplacedListedAndDeletedByWhoMay) {
  auto set = PutGoal(alice_, {{"metric", "calls"}, {"period", "day"}, {"target", 20}});
  ASSERT_EQ(set.status, 200) << set.body;
  const auto id = set.json.at("id").as_int64();
  EXPECT_EQ(set.json.at("user_id"), json::value(alice_id_));
  EXPECT_EQ(set.json.at("set_by"), json::value(alice_id_));
  // The same metric and period replace the target, not add a goal.
  auto again = PutGoal(alice_, {{"metric", "calls"}, {"period", "day"}, {"target", 25}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json.at("id"), json::value(id));
  EXPECT_EQ(again.json.at("target"), json::value(25));
  ASSERT_EQ(PutGoal(alice_, {{"metric", "funded_volume"}, {"period", "cycle"}, {"target", 2000000}}).status, 200);
  ASSERT_EQ(PutGoal(alice_, {{"metric", "conversations"}, {"period", "week"}, {"target", 30}}).status, 200);
  auto list = alice_.Get("/api/goals");
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> order;
  for (const auto& g : list.json.at("items").as_array())
    order.push_back(fmt::format("{}/{}", g.at("metric").as_string(), g.at("period").as_string()));
  EXPECT_EQ(order, (std::vector<std::string>{"calls/day", "conversations/week", "funded_volume/cycle"}));

  // Bad input names its field; nothing is written.
  const std::vector<std::pair<json::object, std::string>> bad{
      {{{"metric", "dials"}, {"period", "day"}, {"target", 5}}, "metric"},
      {{{"metric", "calls"}, {"period", "quarter"}, {"target", 5}}, "period"},
      {{{"metric", "calls"}, {"period", "day"}, {"target", 0}}, "target"},
      {{{"metric", "calls"}, {"period", "day"}, {"target", 2.5}}, "target"},
      {{{"metric", "calls"}, {"period", "day"}, {"target", 100001}}, "target"},
      {{{"metric", "calls"}, {"period", "day"}}, "target"},
      {{{"metric", "calls"}, {"period", "day"}, {"target", 5}, {"colour", "red"}}, "colour"},
      {{{"metric", "calls"}, {"period", "day"}, {"target", 5}, {"user_id", "me"}}, "user_id"},
  };
  for (const auto& [body, field] : bad) {
    auto r = PutGoal(alice_, body);
    EXPECT_EQ(r.status, 400) << json::serialize(body) << " -> " << r.body;
    EXPECT_EQ(r.ErrorField(), field) << r.body;
  }
  EXPECT_EQ(alice_.Get("/api/goals").json.at("items").as_array().size(), 3u);

  // Their manager sets one for them; another officer, another team's
  // manager or another org cannot see or touch them.
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  Client mia = As("mia@acme.test");
  auto by_manager = PutGoal(mia, {{"metric", "appointments"}, {"period", "week"}, {"target", 6}, {"user_id", alice_id_}});
  ASSERT_EQ(by_manager.status, 200) << by_manager.body;
  EXPECT_EQ(by_manager.json.at("user_id"), json::value(alice_id_));
  EXPECT_NE(by_manager.json.at("set_by"), json::value(alice_id_));
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("wes@acme.test", "manager", "Acme Lending", "West");
  server_.AddUser("root@other.test", "admin", "Other Lending", "");
  for (const char* email : {"bob@acme.test", "wes@acme.test", "root@other.test"}) {
    Client other = As(email);
    auto read = other.Get(fmt::format("/api/goals?user_id={}", alice_id_));
    EXPECT_EQ(read.status, 404) << email;
    EXPECT_EQ(read.ErrorField(), "user_id");
    EXPECT_EQ(PutGoal(other, {{"metric", "calls"}, {"period", "day"}, {"target", 1}, {"user_id", alice_id_}}).status,
              404)
        << email;
    EXPECT_EQ(other.Send("DELETE", fmt::format("/api/goals/{}", id), "").status, 404) << email;
    EXPECT_EQ(other.Get(fmt::format("/api/goals/progress?user_id={}", alice_id_)).status, 404) << email;
  }
  EXPECT_EQ(alice_.Send("DELETE", fmt::format("/api/goals/{}", id), "").status, 204);
  EXPECT_EQ(alice_.Send("DELETE", fmt::format("/api/goals/{}", id), "").status, 404);
  EXPECT_EQ(alice_.Get("/api/goals").json.at("items").as_array().size(), 3u);
}

TEST_F(GoalsTest, ProgressCountsTheOfficersOwnDayWeekMonthAndCycle) {
  // Now is Friday 2026-11-20, 9 AM in Chicago (Alice's zone).
  const std::string tz = "America/Chicago";
  ASSERT_EQ(LocalDate(server_.clock().Now(), tz), "2026-11-20");
  const TimestampMs today = LocalMidnight("2026-11-20", tz);
  auto at = [&](TimestampMs day, int hour, int minute = 0) {
    return FormatIso(day + hour * kMsPerHour + minute * kMsPerMinute);
  };
  std::int64_t lead = Create(alice_, "/api/contacts", {{"name", "Lee Lead"}});
  std::int64_t partner = Create(alice_, "/api/contacts", {{"name", "Pat Realtor"}, {"status", "REFERRAL_PARTNER"}});
  json::array log{
      json::object{{"type", "call"}, {"outcome", "no_answer"}, {"occurred_at", at(today, 0, 10)}, {"contact_id", lead}},
      json::object{{"type", "call"}, {"outcome", "answered"}, {"occurred_at", at(today, 8, 30)}, {"contact_id", lead}},
      json::object{{"type", "call"}, {"outcome", "appointment_set"}, {"occurred_at", at(today, 8, 45)}},
      // Yesterday 11:30 PM: this week, not today.
      json::object{{"type", "call"}, {"outcome", "answered"}, {"occurred_at", at(today - kMsPerDay, 23, 30)}},
      // Last Sunday: this month, not this week.
      json::object{{"type", "call"}, {"outcome", "application_taken"}, {"occurred_at", at(today - 5 * kMsPerDay, 20)}},
      json::object{{"type", "meeting"}, {"occurred_at", at(today, 7)}, {"contact_id", partner}},
      json::object{{"type", "meeting"}, {"occurred_at", at(today, 7, 30)}, {"contact_id", lead}},
      json::object{{"type", "video_post"}, {"topic", "VA loans"}, {"occurred_at", at(today, 6)}},
  };
  ASSERT_EQ(alice_.Post("/api/activities/bulk", log).status, 201);
  Create(alice_, "/api/deals", {{"title", "Lee purchase"}, {"contact_id", lead}, {"value", 350000}, {"stage", "Closed Won"}});
  ASSERT_EQ(PutGoal(alice_, {{"metric", "calls"}, {"period", "day"}, {"target", 5}}).status, 200);
  ASSERT_EQ(PutGoal(alice_, {{"metric", "funded_volume"}, {"period", "month"}, {"target", 1000000}}).status, 200);

  auto day = alice_.Get("/api/goals/progress");  // the day by default
  ASSERT_EQ(day.status, 200) << day.body;
  EXPECT_EQ(day.json.at("period"), json::value("day"));
  EXPECT_EQ(day.json.at("from"), json::value("2026-11-20"));
  EXPECT_EQ(day.json.at("to"), json::value("2026-11-21"));
  EXPECT_EQ(day.json.at("timezone"), json::value(tz));
  EXPECT_EQ(Metric(day, "calls").at("actual"), json::value(3));
  EXPECT_EQ(Metric(day, "calls").at("target"), json::value(5));
  EXPECT_EQ(Metric(day, "calls").at("percent").as_double(), 0.6);
  EXPECT_EQ(Metric(day, "conversations").at("actual"), json::value(2));
  EXPECT_EQ(Metric(day, "appointments").at("actual"), json::value(1));
  EXPECT_EQ(Metric(day, "applications").at("actual"), json::value(0));
  EXPECT_EQ(Metric(day, "partner_meetings").at("actual"), json::value(1));
  EXPECT_EQ(Metric(day, "posts").at("actual"), json::value(1));
  EXPECT_EQ(Metric(day, "closings").at("actual"), json::value(1));
  EXPECT_EQ(Metric(day, "funded_volume").at("actual").as_double(), 350000.0);
  EXPECT_TRUE(Metric(day, "posts").at("target").is_null());
  EXPECT_TRUE(Metric(day, "posts").at("percent").is_null());

  auto week = alice_.Get("/api/goals/progress?period=week");
  ASSERT_EQ(week.status, 200) << week.body;
  EXPECT_EQ(week.json.at("from"), json::value("2026-11-16"));
  EXPECT_EQ(week.json.at("to"), json::value("2026-11-23"));
  EXPECT_EQ(Metric(week, "calls").at("actual"), json::value(4));
  EXPECT_EQ(Metric(week, "conversations").at("actual"), json::value(3));
  EXPECT_TRUE(Metric(week, "calls").at("target").is_null()) << "the day's goal is not the week's";

  auto month = alice_.Get("/api/goals/progress?period=month");
  EXPECT_EQ(month.json.at("from"), json::value("2026-11-01"));
  EXPECT_EQ(Metric(month, "calls").at("actual"), json::value(5));
  EXPECT_EQ(Metric(month, "applications").at("actual"), json::value(1));
  EXPECT_EQ(Metric(month, "funded_volume").at("percent").as_double(), 0.35);

  auto cycle = alice_.Get("/api/goals/progress?period=cycle");
  EXPECT_EQ(cycle.json.at("from"), json::value("2026-09-28"));
  EXPECT_EQ(cycle.json.at("to"), json::value("2026-12-28"));
  EXPECT_EQ(Metric(cycle, "calls").at("actual"), json::value(5));

  // Their manager reads it; a bad period names itself.
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  EXPECT_EQ(As("mia@acme.test").Get(fmt::format("/api/goals/progress?user_id={}&period=week", alice_id_)).status, 200);
  EXPECT_EQ(alice_.Get("/api/goals/progress?period=year").ErrorField(), "period");
  EXPECT_EQ(alice_.Get("/api/goals/progress?periods=day").ErrorField(), "periods");
}

// The notification center: stored once per dedupe key, pushed live, read
// back newest first with an unread count, marked read, private.
TEST_F(GoalsTest, NotificationsAreStoredOncePushedLiveAndMarkedRead) {
  auto token = server_.api().accounts().CreateApiToken("alice@acme.test", "stream");
  ASSERT_TRUE(token);
  StreamClient stream(server_.port(), "/api/stream", 0, "Authorization: Bearer " + *token + "\r\n");
  ASSERT_TRUE(stream.ReadUntilContains("event: ready", std::chrono::seconds(10))) << stream.received();
  std::int64_t org_id = 0;
  ASSERT_TRUE(server_.db().Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT org_id FROM users WHERE id = ?", {alice_id_});
    if (!rows) return rows.error();
    org_id = rows->front().Int(0);
    return {};
  }));
  auto add = [&](const std::string& title, const std::string& key) {
    std::optional<json::object> out;
    auto st = server_.db().Write([&](store::Connection& c) -> Status {
      auto r = server_.api().notifications().Add(
          c, {org_id, alice_id_, "morning_push", title, "Call Lee first.", json::object{{"contact_id", 7}}, key});
      if (!r) return r.error();
      out = *r;
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  };
  ASSERT_TRUE(add("Your 3 must-dos", "morning:2026-11-20"));
  EXPECT_FALSE(add("Your 3 must-dos again", "morning:2026-11-20")) << "one per key: a slot is sent once";
  ASSERT_TRUE(add("You are behind pace", ""));
  ASSERT_TRUE(add("Another nudge", ""));
  ASSERT_TRUE(stream.ReadUntilContains("Another nudge", std::chrono::seconds(10))) << stream.received();
  EXPECT_NE(stream.body().find("event: notification\n"), std::string::npos) << stream.body();
  EXPECT_EQ(stream.body().find("again"), std::string::npos);

  auto list = alice_.Get("/api/notifications?limit=2");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json.at("unread"), json::value(3));
  const auto& items = list.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("title"), json::value("Another nudge"));
  EXPECT_EQ(items[1].at("data").at("contact_id"), json::value(7));
  ASSERT_FALSE(list.json.at("next_before").is_null());
  auto older = alice_.Get(fmt::format("/api/notifications?before={}", list.json.at("next_before").as_int64()));
  ASSERT_EQ(older.json.at("items").as_array().size(), 1u);
  const auto first = older.json.at("items").as_array()[0].at("id").as_int64();

  auto read = alice_.Post(fmt::format("/api/notifications/{}/read", first), json::object{});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json.at("unread"), json::value(2));
  EXPECT_EQ(alice_.Get("/api/notifications?unread=true").json.at("items").as_array().size(), 2u);
  // Someone else's is not there for them.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  EXPECT_EQ(bob.Post(fmt::format("/api/notifications/{}/read", first), json::object{}).status, 404);
  EXPECT_TRUE(bob.Get("/api/notifications").json.at("items").as_array().empty());
  auto all = alice_.Post("/api/notifications/read-all", json::object{});
  EXPECT_EQ(all.json.at("unread"), json::value(0));
  EXPECT_EQ(alice_.Get("/api/notifications").json.at("unread"), json::value(0));
  for (const char* q : {"limit=0", "limit=101", "before=x", "unread=yes", "sort=asc"})
    EXPECT_EQ(alice_.Get(std::string("/api/notifications?") + q).status, 400) << q;
}

// "Your 3 must-do activities today": scored by the documented rule, the
// reason shown, and pushed at 6 AM local once per working day.
TEST_F(GoalsTest, MustDosAreRankedWithReasonsAndPushedAtSixOnce) {
  // Friday 2026-11-20, 9 AM in Chicago.
  auto task = [&](const char* title, const char* due, const char* priority) {
    return Create(alice_, "/api/tasks", {{"title", title}, {"due_date", due}, {"priority", priority}});
  };
  const auto late = task("Send disclosures", "2026-11-17", "medium");
  const auto appraiser = task("Call appraiser", "2026-11-20", "high");
  task("File notes", "2026-11-20", "low");
  const auto nina = Create(alice_, "/api/contacts", {{"name", "Nina New"}});
  const auto deal = Create(alice_, "/api/deals", {{"title", "Ortiz purchase"}, {"stage", "Underwriting"},
                                                   {"expected_close_date", "2026-11-23"}});
  auto today = alice_.Get("/api/hub/must-do");
  ASSERT_EQ(today.status, 200) << today.body;
  EXPECT_EQ(today.json.at("date"), json::value("2026-11-20"));
  const auto& items = today.json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u) << today.body;
  EXPECT_EQ(items[0].at("entity_id"), json::value(late));
  EXPECT_EQ(items[0].at("reason"), json::value("overdue by 3 days"));
  EXPECT_EQ(items[0].at("score").as_double(), 103);
  EXPECT_EQ(items[1].at("kind"), json::value("new_lead"));
  EXPECT_EQ(items[1].at("entity_id"), json::value(nina));
  EXPECT_EQ(items[1].at("title"), json::value("Call Nina New"));
  EXPECT_EQ(items[2].at("entity_id"), json::value(appraiser));
  EXPECT_EQ(items[2].at("reason"), json::value("due today, high priority"));
  auto five = alice_.Get("/api/hub/must-do?limit=5");
  ASSERT_EQ(five.json.at("items").as_array().size(), 5u);
  EXPECT_EQ(five.json.at("items").as_array()[3].at("entity_id"), json::value(deal));
  EXPECT_EQ(five.json.at("items").as_array()[3].at("reason"),
            json::value("expected to close in 3 days and still at Underwriting"));
  // A referral partner never talked to, at the end of the list.
  const auto pat = Create(alice_, "/api/contacts", {{"name", "Pat Realtor"}, {"status", "REFERRAL_PARTNER"}});
  auto ten = alice_.Get("/api/hub/must-do?limit=10");
  const auto& all = ten.json.at("items").as_array();
  ASSERT_EQ(all.size(), 6u) << ten.body;
  EXPECT_EQ(all[4].at("entity_id"), json::value(pat));
  EXPECT_EQ(all[4].at("reason"), json::value("a referral partner you have not talked to yet"));
  EXPECT_EQ(all[5].at("title"), json::value("File notes"));
  EXPECT_EQ(alice_.Get("/api/hub/must-do?limit=0").ErrorField(), "limit");
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  EXPECT_EQ(As("bob@acme.test").Get(fmt::format("/api/hub/must-do?user_id={}", alice_id_)).status, 404);

  // 9 AM is three hours past 6: too late for today's push.
  auto& jobs = server_.api().jobs();
  EXPECT_EQ(jobs.Run().value(), 0);
  // Monday 6:30 AM in Chicago: sent once, with the day's three.
  server_.clock().Set(ParseIso("2026-11-23T12:30:00Z", "now").value());
  EXPECT_EQ(jobs.Run().value(), 1);  // Bob has nothing to do
  EXPECT_EQ(jobs.Run().value(), 0);
  auto inbox = alice_.Get("/api/notifications");
  ASSERT_EQ(inbox.json.at("items").as_array().size(), 1u) << inbox.body;
  const auto& push = inbox.json.at("items").as_array()[0];
  EXPECT_EQ(push.at("kind"), json::value("morning_push"));
  EXPECT_EQ(push.at("title"), json::value("Your 3 must-do activities today"));
  EXPECT_EQ(push.at("data").at("date"), json::value("2026-11-23"));
  EXPECT_TRUE(push.at("body").as_string().starts_with("1. Send disclosures: overdue by 6 days. 2. Call appraiser"))
      << push.at("body");
  // Saturday is not a working day.
  server_.clock().Set(ParseIso("2026-11-28T12:30:00Z", "now").value());
  EXPECT_EQ(jobs.Run().value(), 0);
  // Weeks later the deal has sat in Underwriting past the 14 days a deal
  // may: stuck, with how long.
  server_.clock().Set(ParseIso("2026-12-14T12:30:00Z", "now").value());
  auto later = alice_.Get("/api/hub/must-do?limit=10");
  bool stuck = false;
  for (const auto& i : later.json.at("items").as_array())
    if (i.at("kind") == json::value("deal_stuck")) {
      stuck = true;
      EXPECT_EQ(i.at("entity_id"), json::value(deal));
      EXPECT_EQ(i.at("reason"), json::value("stuck at Underwriting for 23 days"));
      EXPECT_EQ(i.at("score").as_double(), 74);
    }
  EXPECT_TRUE(stuck) << later.body;
}

// The must-do list is memoised per officer, but never past a change to
// their records, whoever makes it.
TEST_F(GoalsTest, MustDosFollowEveryChangeToTheOfficersRecordsAtOnce) {
  server_.clock().Set(ParseIso("2026-11-20T15:00:00Z", "now").value());
  const auto late = Create(alice_, "/api/tasks", {{"title", "Send disclosures"}, {"due_date", "2026-11-17"}});
  auto first = alice_.Get("/api/hub/must-do");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json.at("items").as_array().size(), 1u) << first.body;
  EXPECT_EQ(first.json.at("items").as_array()[0].at("entity_id"), json::value(late));
  // Her manager gives her an urgent task for today: it shows at once.
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  auto mia = As("mia@acme.test");
  const auto urgent = Create(mia, "/api/tasks", {{"title", "Call the underwriter"}, {"due_date", "2026-11-20"},
                                                 {"priority", "urgent"}, {"owner_id", alice_id_}});
  auto second = alice_.Get("/api/hub/must-do");
  ASSERT_EQ(second.json.at("items").as_array().size(), 2u) << second.body;
  EXPECT_EQ(second.json.at("items").as_array()[1].at("entity_id"), json::value(urgent));
  // She completes the overdue one: gone at once, on the same second.
  ASSERT_EQ(alice_.Patch(fmt::format("/api/tasks/{}", late), json::object{{"status", "completed"}}).status, 200);
  auto third = alice_.Get("/api/hub/must-do");
  ASSERT_EQ(third.json.at("items").as_array().size(), 1u) << third.body;
  EXPECT_EQ(third.json.at("items").as_array()[0].at("entity_id"), json::value(urgent));
  // Time alone moves the reasons on (the memo lasts at most a minute).
  const auto lead = Create(alice_, "/api/contacts", {{"name", "Nina New"}});
  auto fresh = alice_.Get("/api/hub/must-do?limit=5");
  auto reason_of = [&](const HttpResult& r) {
    for (const auto& i : r.json.at("items").as_array())
      if (i.at("entity_id") == json::value(lead)) return std::string(i.at("reason").as_string());
    return std::string();
  };
  EXPECT_EQ(reason_of(fresh), "a new lead nobody has contacted yet (arrived 0 hours ago)") << fresh.body;
  server_.clock().Set(ParseIso("2026-11-20T18:00:00Z", "now").value());
  auto later = alice_.Get("/api/hub/must-do?limit=5");
  EXPECT_EQ(reason_of(later), "a new lead nobody has contacted yet (arrived 3 hours ago)") << later.body;
}

// Hot prospects by recent engagement and past clients' closing anniversaries
// join the candidates, each with its reason.
TEST_F(GoalsTest, MustDosIncludeEngagedProspectsAndClosingAnniversaries) {
  // Anniversaries are looked up year by year: three years back (in the
  // window), and the days just outside it (yesterday's, five days ahead).
  server_.clock().Set(ParseIso("2022-11-25T18:00:00Z", "now").value());
  Create(alice_, "/api/deals", {{"title", "Too early purchase"}, {"stage", "Closed Won"}});
  server_.clock().Set(ParseIso("2023-11-23T18:00:00Z", "now").value());
  const auto old_deal = Create(alice_, "/api/deals", {{"title", "Dora purchase"}, {"stage", "Closed Won"}});
  server_.clock().Set(ParseIso("2024-11-19T18:00:00Z", "now").value());
  Create(alice_, "/api/deals", {{"title", "Yesterday refinance"}, {"stage", "Closed Won"}});
  server_.clock().Set(ParseIso("2025-11-22T18:00:00Z", "now").value());
  const auto carl = Create(alice_, "/api/contacts", {{"name", "Carl Client"}, {"status", "CLIENT"}});
  Create(alice_, "/api/deals", {{"title", "Carl refinance"}, {"stage", "Closed Won"}, {"contact_id", carl}});
  server_.clock().Set(ParseIso("2026-11-20T15:00:00Z", "now").value());
  const auto pam = Create(alice_, "/api/contacts", {{"name", "Pam Prospect"}, {"status", "PROSPECT"}});
  for (const char* outcome : {"answered", "no_answer", "answered", "appointment_set"})
    Create(alice_, "/api/activities", {{"type", "call"}, {"outcome", outcome}, {"contact_id", pam}});
  auto items = alice_.Get("/api/hub/must-do?limit=10");
  ASSERT_EQ(items.status, 200) << items.body;
  const auto& list = items.json.at("items").as_array();
  ASSERT_EQ(list.size(), 3u) << items.body;
  EXPECT_EQ(list[0].at("kind"), json::value("engaged_prospect"));
  EXPECT_EQ(list[0].at("entity_id"), json::value(pam));
  EXPECT_EQ(list[0].at("score").as_double(), 60);
  EXPECT_EQ(list[0].at("reason"), json::value("talked with you 3 times in the last 7 days: keep the momentum"));
  EXPECT_EQ(list[1].at("kind"), json::value("closing_anniversary"));
  EXPECT_EQ(list[1].at("entity_id"), json::value(carl));
  EXPECT_EQ(list[1].at("title"), json::value("Call Carl Client"));
  EXPECT_EQ(list[1].at("reason"), json::value("their loan's 1-year anniversary is in 2 days (closed 2025-11-22)"));
  EXPECT_EQ(list[2].at("kind"), json::value("closing_anniversary"));
  EXPECT_EQ(list[2].at("entity_type"), json::value("deal"));
  EXPECT_EQ(list[2].at("entity_id"), json::value(old_deal));
  EXPECT_EQ(list[2].at("title"), json::value("Call Dora purchase"));
  EXPECT_EQ(list[2].at("reason"), json::value("their loan's 3-year anniversary is in 3 days (closed 2023-11-23)"));
  server_.clock().Set(ParseIso("2026-11-22T15:00:00Z", "now").value());
  auto on_the_day = alice_.Get("/api/hub/must-do?limit=10");
  const auto& day = on_the_day.json.at("items").as_array();
  ASSERT_FALSE(day.empty()) << on_the_day.body;
  EXPECT_EQ(day[0].at("reason"), json::value("1 year today since their loan closed (2025-11-22)"));
  EXPECT_EQ(day[0].at("score").as_double(), 70);
}

}  // namespace
}  // namespace chosen::testing
