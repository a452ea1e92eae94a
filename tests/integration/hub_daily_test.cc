// The hub's daily view over real HTTP and SSE, with a fixed clock: the live
// scoreboard, celebrations (task, goal, personal best), GET /api/hub/today
// with the officer's pace, and the scheduled jobs (pace nudges that back off
// when ignored, the end-of-day summary, Monday's plan prompt, the month's
// and the cycle's reviews), each once per slot across restarts.
#include <chrono>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "hub/jobs.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

constexpr const char* kTz = "America/Chicago";

class HubDailyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_id_ = server_.AddUser("alice@acme.test", "officer", "Acme Lending", "East");
    alice_ = As("alice@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  std::string Token() { return server_.api().accounts().CreateApiToken("alice@acme.test", "stream").value(); }

  void SetNow(const std::string& date, int hour, int minute = 0) {
    server_.clock().Set(LocalTimeOn(date, hour * 60 + minute, kTz));
  }

  std::int64_t Call(const std::string& outcome = "answered", std::optional<TimestampMs> at = std::nullopt) {
    json::object body{{"type", "call"}, {"outcome", outcome}};
    if (at) body["occurred_at"] = FormatIso(*at);
    auto r = alice_.Post("/api/activities", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json.at("id").as_int64() : 0;
  }

  json::array Notifications(Client& c, const std::string& kind) {
    json::array out;
    auto r = c.Get("/api/notifications?limit=100");  // kept: the loop reads into it
    for (const auto& n : r.json.at("items").as_array())
      if (n.at("kind") == json::value(kind)) out.push_back(n);
    return out;
  }

  TestServer server_;
  std::int64_t alice_id_ = 0;
  Client alice_{server_.port()};
};

TEST_F(HubDailyTest, TheScoreboardMovesLiveAndGoalsAndTasksAreCelebratedOnce) {
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"day","target":2})").status, 200);
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"conversations","period":"week","target":3})").status, 200);
  StreamClient stream(server_.port(), "/api/stream", 0, "Authorization: Bearer " + Token() + "\r\n");
  ASSERT_TRUE(stream.ReadUntilContains("event: ready", std::chrono::seconds(10))) << stream.received();

  Call("no_answer");
  ASSERT_TRUE(stream.ReadUntilContains("event: scoreboard", std::chrono::seconds(10))) << stream.received();
  EXPECT_NE(stream.received().find(R"({"metric":"calls","actual":1,"target":2,"percent":5E-1})"), std::string::npos)
      << stream.received();
  Call("answered");
  ASSERT_TRUE(stream.ReadUntilContains("event: celebration", std::chrono::seconds(10))) << stream.received();
  EXPECT_NE(stream.received().find("Goal reached: 2 calls today"), std::string::npos) << stream.received();
  Call("answered");
  // Last week's conversation does not count toward this week's goal.
  Call("answered", ParseIso("2026-11-13T16:00:00Z", "t").value());
  auto celebrations = Notifications(alice_, "celebration");
  ASSERT_EQ(celebrations.size(), 1u) << "a goal is celebrated once, when it is reached";
  EXPECT_EQ(celebrations[0].at("data").at("metric"), json::value("calls"));
  EXPECT_EQ(celebrations[0].at("data").at("period"), json::value("day"));
  EXPECT_EQ(celebrations[0].at("body"), json::value("You hit your daily goal of 2 calls. That is 2 calls."));
  Call("appointment_set");  // the third conversation this week
  celebrations = Notifications(alice_, "celebration");
  ASSERT_EQ(celebrations.size(), 2u);
  EXPECT_EQ(celebrations[0].at("title"), json::value("Goal reached: 3 conversations this week"));

  auto task = alice_.Post("/api/tasks", json::object{{"title", "Send disclosures"}, {"due_date", "2026-11-20"}});
  ASSERT_EQ(task.status, 201);
  auto done = alice_.Send("PATCH", fmt::format("/api/tasks/{}", task.json.at("id").as_int64()),
                          R"({"status":"completed"})");
  ASSERT_EQ(done.status, 200) << done.body;
  ASSERT_TRUE(stream.ReadUntilContains("Send disclosures", std::chrono::seconds(10))) << stream.received();
  EXPECT_NE(stream.received().find(R"("kind":"task","title":"Task done","body":"Send disclosures")"),
            std::string::npos)
      << stream.received();
  EXPECT_NE(stream.received().find(R"("tasks":{"done_today":1,"due_today":1})"), std::string::npos);
  EXPECT_EQ(Notifications(alice_, "celebration").size(), 2u) << "a task's celebration is not kept";

  // Someone else's numbers never reach Alice's stream.
  const auto bob_id = server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  Client bob = As("bob@acme.test");
  ASSERT_EQ(bob.Post("/api/activities", json::object{{"type", "call"}, {"outcome", "answered"},
                                                     {"notes", "bob-secret-call"}}).status,
            201);
  Call("voicemail");
  ASSERT_TRUE(stream.ReadUntilContains(R"("metric":"calls","actual":5)", std::chrono::seconds(10)))
      << stream.received();
  EXPECT_EQ(stream.received().find(fmt::format(R"("user_id":{})", bob_id)), std::string::npos) << "Bob's board leaked";
  EXPECT_NE(stream.received().find(fmt::format(R"("user_id":{})", alice_id_)), std::string::npos);
}

TEST_F(HubDailyTest, APersonalBestIsCelebratedOnceADayAgainstRealHistory) {
  // 20 days ago: 3 calls, the best so far; a call on each of a few other days.
  for (int i = 0; i < 3; ++i) Call("no_answer", LocalTimeOn("2026-10-31", 10 * 60 + i, kTz));
  for (const char* d : {"2026-11-02", "2026-11-10", "2026-11-18"}) Call("answered", LocalTimeOn(d, 10 * 60, kTz));
  Call("no_answer");
  Call("no_answer");
  Call("no_answer");
  EXPECT_TRUE(Notifications(alice_, "celebration").empty()) << "3 ties the best; it does not beat it";
  Call("no_answer");
  auto bests = Notifications(alice_, "celebration");
  ASSERT_EQ(bests.size(), 1u);
  EXPECT_EQ(bests[0].at("title"), json::value("Personal best: 4 calls in a day"));
  EXPECT_EQ(bests[0].at("body"), json::value("More calls than on any day before: your best was 3 on 2026-10-31."));
  Call("no_answer");
  EXPECT_EQ(Notifications(alice_, "celebration").size(), 1u) << "once a day";
  // The next day's calls beat 5 only with a sixth.
  SetNow("2026-11-23", 10);
  for (int i = 0; i < 5; ++i) Call("no_answer");
  EXPECT_EQ(Notifications(alice_, "celebration").size(), 1u);
  Call("no_answer");
  EXPECT_EQ(Notifications(alice_, "celebration").size(), 2u);

  // A new officer's first days are not "bests".
  server_.AddUser("nina@acme.test", "officer", "Acme Lending", "East");
  Client nina = As("nina@acme.test");
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(nina.Post("/api/activities", json::object{{"type", "call"}, {"outcome", "answered"}}).status, 201);
  EXPECT_TRUE(Notifications(nina, "celebration").empty());
}

TEST_F(HubDailyTest, TodayShowsTheBoardThePaceTheMustDosAndTasks) {
  auto empty = alice_.Get("/api/hub/today");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json.at("date"), json::value("2026-11-20"));
  EXPECT_TRUE(empty.json.at("pace").is_null()) << "no pace without 20 working days of calls";
  EXPECT_EQ(empty.json.at("scoreboard").at("period"), json::value("day"));
  EXPECT_TRUE(empty.json.at("must_do").as_array().empty());

  // 24 working days before today, 5 calls each between 9 and 10 AM.
  json::array history;
  int days = 0;
  for (std::string d = "2026-10-19"; d < "2026-11-20"; d = AddDays(d, 1)) {
    const int weekday = LocalPartsOf(LocalTimeOn(d, 12 * 60, kTz), kTz).weekday;
    if (weekday > 5) continue;
    ++days;
    for (int i = 0; i < 5; ++i)
      history.push_back(json::object{{"type", "call"},
                                     {"outcome", i == 0 ? "answered" : "no_answer"},
                                     {"occurred_at", FormatIso(LocalTimeOn(d, 9 * 60 + 10 * i, kTz))}});
  }
  ASSERT_EQ(days, 24);
  ASSERT_EQ(alice_.Post("/api/activities/bulk", history).status, 201);
  ASSERT_EQ(alice_.Post("/api/coach/patterns/refresh", json::object{}).status, 200);
  Call("answered");
  ASSERT_EQ(alice_.Post("/api/tasks", json::object{{"title", "Overdue thing"}, {"due_date", "2026-11-18"}}).status,
            201);
  ASSERT_EQ(alice_.Post("/api/tasks", json::object{{"title", "Today thing"}, {"due_date", "2026-11-20"}}).status, 201);

  SetNow("2026-11-20", 11, 5);
  auto today = alice_.Get("/api/hub/today");
  ASSERT_EQ(today.status, 200) << today.body;
  const auto& pace = today.json.at("pace");
  ASSERT_TRUE(pace.is_object()) << today.body;
  EXPECT_EQ(pace.at("hour"), json::value(11));
  EXPECT_EQ(pace.at("usual").as_double(), 5);
  EXPECT_EQ(pace.at("actual"), json::value(1));
  EXPECT_EQ(pace.at("behind"), json::value(true));
  EXPECT_EQ(pace.at("message"), json::value("You usually make 5 calls by 11 AM: you're at 1."));
  EXPECT_EQ(today.json.at("tasks"), json::parse(R"({"due_today":1,"done_today":0,"overdue":1})"));
  EXPECT_EQ(today.json.at("must_do").as_array().size(), 2u);
  EXPECT_EQ(today.json.at("scoreboard").at("metrics").as_array()[0].at("actual"), json::value(1));
  // Outside working hours there is no pace to keep.
  SetNow("2026-11-20", 19);
  EXPECT_TRUE(alice_.Get("/api/hub/today").json.at("pace").is_null());
  // Only who may read her.
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  EXPECT_EQ(As("bob@acme.test").Get(fmt::format("/api/hub/today?user_id={}", alice_id_)).ErrorField(), "user_id");
  EXPECT_EQ(alice_.Get("/api/hub/today?day=monday").ErrorField(), "day");
}

TEST_F(HubDailyTest, PaceNudgesComeOnlyWhenBehindInWorkingHoursAndBackOffWhenIgnored) {
  json::array history;
  for (std::string d = "2026-10-19"; d < "2026-11-20"; d = AddDays(d, 1)) {
    if (LocalPartsOf(LocalTimeOn(d, 12 * 60, kTz), kTz).weekday > 5) continue;
    for (int i = 0; i < 6; ++i)
      history.push_back(json::object{{"type", "call"},
                                     {"outcome", "no_answer"},
                                     {"occurred_at", FormatIso(LocalTimeOn(d, 9 * 60 + 60 * i, kTz))}});
  }
  ASSERT_EQ(alice_.Post("/api/activities/bulk", history).status, 201);
  ASSERT_EQ(alice_.Post("/api/coach/patterns/refresh", json::object{}).status, 200);
  auto& jobs = server_.api().jobs();
  auto nudges = [&] { return Notifications(alice_, "pace_nudge"); };

  SetNow("2026-11-20", 10, 1);  // one call usual by 10: she has none
  EXPECT_EQ(jobs.Run().value(), 1);
  ASSERT_EQ(nudges().size(), 1u);
  EXPECT_EQ(nudges()[0].at("body"), json::value("You usually make 1 calls by 10 AM: you're at 0."));
  EXPECT_EQ(jobs.Run().value(), 0) << "once per slot";
  hub::Jobs restarted(server_.db(), server_.clock(), server_.api().must_do(), server_.api().notifications());
  EXPECT_EQ(restarted.Run().value(), 0) << "once per slot across restarts";
  SetNow("2026-11-20", 11, 2);  // ignored once: the next waits 2 hours
  EXPECT_EQ(jobs.Run().value(), 0);
  SetNow("2026-11-20", 12, 2);
  EXPECT_EQ(jobs.Run().value(), 1);
  SetNow("2026-11-20", 13, 2);  // ignored twice: 4 hours
  jobs.Run().value();
  SetNow("2026-11-20", 14, 2);
  jobs.Run().value();
  SetNow("2026-11-20", 15, 2);
  jobs.Run().value();
  EXPECT_EQ(nudges().size(), 2u);
  SetNow("2026-11-20", 16, 2);
  EXPECT_EQ(jobs.Run().value(), 1);
  EXPECT_EQ(nudges().size(), 3u);
  // Reading one resets the back-off; caught up with her pace: no nudge.
  ASSERT_EQ(alice_.Post("/api/notifications/read-all", json::object{}).status, 200);
  for (int i = 0; i < 8; ++i) Call("no_answer");
  SetNow("2026-11-20", 17, 2);
  EXPECT_EQ(jobs.Run().value(), 1) << "the end-of-day summary, no nudge";
  EXPECT_EQ(nudges().size(), 3u);
  // Never outside working hours, nor after a slot's grace.
  SetNow("2026-11-23", 8, 5);
  EXPECT_EQ(jobs.Run().value(), 0);
  SetNow("2026-11-23", 10, 45);
  jobs.Run().value();
  EXPECT_EQ(nudges().size(), 3u) << "10 AM's nudge is 45 minutes late: skipped";
  // Turned off in the settings.
  ASSERT_EQ(alice_.Send("PUT", "/api/coach/settings", R"({"coach_level":2,"pace_nudges":false})").status, 200);
  SetNow("2026-11-23", 11, 1);
  jobs.Run().value();
  EXPECT_EQ(nudges().size(), 3u);
}

TEST_F(HubDailyTest, TheDaySummaryMondayPromptAndReviewsGoOutOnSchedule) {
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"day","target":4})").status, 200);
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"applications","period":"day","target":1})").status, 200);
  ASSERT_EQ(alice_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"week","target":20})").status, 200);
  Call("answered");
  Call("application_taken");
  ASSERT_EQ(alice_.Post("/api/contacts", json::object{{"name", "Nina New"}}).status, 201);
  auto& jobs = server_.api().jobs();
  SetNow("2026-11-20", 17, 10);
  EXPECT_EQ(jobs.Run().value(), 1);
  auto summary = Notifications(alice_, "daily_summary");
  ASSERT_EQ(summary.size(), 1u);
  // calls 2/4 = 50%, applications 1/1 = 100%: 75%.
  EXPECT_EQ(summary[0].at("title"), json::value("Your day: 75% of your daily goals"));
  EXPECT_TRUE(summary[0].at("body").as_string().starts_with(
      "2 calls, 2 conversations, 1 appointments, 1 applications. 1 new contact."))
      << summary[0].at("body");
  EXPECT_EQ(summary[0].at("data").at("completion_percent"), json::value(75));
  EXPECT_EQ(summary[0].at("data").at("moved").at("new_contacts"), json::value(1));
  // A new lead left uncalled: the coach's insight is the one tip.
  EXPECT_NE(summary[0].at("body").as_string().find("Tomorrow: "), std::string::npos) << summary[0].at("body");
  EXPECT_FALSE(summary[0].at("data").at("insight").is_null());

  // The summary's settings switch.
  ASSERT_EQ(alice_.Send("PUT", "/api/coach/settings", R"({"coach_level":2,"daily_summary":false})").status, 200);
  SetNow("2026-11-23", 17, 10);
  jobs.Run().value();
  EXPECT_EQ(Notifications(alice_, "daily_summary").size(), 1u);

  SetNow("2026-11-23", 9, 15);  // Monday at the start of the day: plan the week
  EXPECT_GE(jobs.Run().value(), 1);
  auto plan = Notifications(alice_, "weekly_plan");
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].at("data").at("week"), json::value("2026-11-23"));
  EXPECT_EQ(plan[0].at("body"),
            json::value("Set three things you will get done this week and give each a day. You have 1 weekly goal."));

  // Tuesday 1 December, the month's first working day: November's report.
  SetNow("2026-12-01", 9, 30);
  jobs.Run().value();
  auto report = Notifications(alice_, "monthly_report");
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].at("title"), json::value("Your November report is ready"));
  EXPECT_EQ(report[0].at("data").at("month"), json::value("2026-11"));
  EXPECT_EQ(report[0].at("body"),
            json::value("2 calls, 2 conversations, 1 application and 0 closings in November. See what moved and "
                        "what to adjust."));
  SetNow("2026-12-02", 9, 30);
  jobs.Run().value();
  EXPECT_EQ(Notifications(alice_, "monthly_report").size(), 1u);
  // Monday 28 December opens a 90-day cycle: the last one's review.
  SetNow("2026-12-28", 9, 30);
  jobs.Run().value();
  auto review = Notifications(alice_, "cycle_review");
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].at("data").at("from"), json::value("2026-09-28"));
  EXPECT_EQ(review[0].at("data").at("to"), json::value("2026-12-28"));
}

}  // namespace
}  // namespace chosen::testing
