// The hub's monthly view over real HTTP with a fixed clock: the 90-day
// cycle and its review, trends with a direction only beyond chance, goal
// recommendations from attainment history, achievements, the monthly
// report (JSON and printable HTML, escaped, no script) and a team's roll-up
// for its manager only.
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "common/time_util.h"
#include "integration/harness.h"

namespace chosen::testing {
namespace {

constexpr const char* kTz = "America/Chicago";

class HubMonthlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Olga joined in June; it is now Friday 2026-11-20, 9 AM in Chicago.
    server_.clock().Set(LocalTimeOn("2026-06-01", 9 * 60, kTz));
    olga_id_ = server_.AddUser("olga@acme.test", "officer", "Acme Lending", "East");
    server_.clock().Set(LocalTimeOn("2026-11-20", 9 * 60, kTz));
    olga_ = As("olga@acme.test");
  }

  Client As(const std::string& email) { return ClientAs(server_, email); }

  // `n` calls on local date `date` from 10 AM, the first `reached` answered.
  void CallsOn(const std::string& date, int n, int reached = 0) {
    json::array calls;
    for (int i = 0; i < n; ++i)
      calls.push_back(json::object{{"type", "call"},
                                   {"outcome", i < reached ? "answered" : "no_answer"},
                                   {"occurred_at", FormatIso(LocalTimeOn(date, 10 * 60 + i, kTz))}});
    ASSERT_EQ(olga_.Post("/api/activities/bulk", calls).status, 201);
  }

  static json::object Find(const json::value& list, std::string_view key, std::string_view value) {
    for (const auto& v : list.as_array())
      if (v.at(key).is_string() && v.at(key).as_string() == value) return v.as_object();
    ADD_FAILURE() << "no " << key << "=" << value << " in " << json::serialize(list);
    return {};
  }

  TestServer server_;
  std::int64_t olga_id_ = 0;
  Client olga_{server_.port()};
};

TEST_F(HubMonthlyTest, TheMonthShowsTheCycleTrendsRecommendationsAndAchievements) {
  // Weeks of 15, 14, 12 and 30 calls (Wednesdays), 2 and 3 of them answered.
  CallsOn("2026-10-21", 15);
  CallsOn("2026-10-28", 14);
  CallsOn("2026-11-04", 12, 2);
  CallsOn("2026-11-11", 30, 3);
  CallsOn("2026-09-16", 20);
  ASSERT_EQ(olga_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"week","target":10})").status, 200);
  ASSERT_EQ(olga_.Send("PUT", "/api/goals", R"({"metric":"conversations","period":"day","target":5})").status, 200);
  ASSERT_EQ(olga_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"cycle","target":100})").status, 200);
  ASSERT_EQ(olga_.Send("PUT", "/api/goals", R"({"metric":"calls","period":"day","target":1})").status, 200);
  ASSERT_EQ(olga_.Post("/api/activities", json::object{{"type", "call"}, {"outcome", "no_answer"}}).status, 201);

  auto month = olga_.Get("/api/hub/month");
  ASSERT_EQ(month.status, 200) << month.body;
  EXPECT_EQ(month.json.at("month"), json::parse(R"({"from":"2026-11-01","to":"2026-12-01"})"));
  const auto& cycle = month.json.at("cycle");
  EXPECT_EQ(cycle.at("number"), json::value(12));
  EXPECT_EQ(cycle.at("from"), json::value("2026-09-28"));
  EXPECT_EQ(cycle.at("day"), json::value(54));
  EXPECT_EQ(cycle.at("elapsed_percent"), json::value(59));
  const auto& review = cycle.at("review");
  ASSERT_TRUE(review.is_object()) << month.body;
  EXPECT_EQ(review.at("from"), json::value("2026-06-29"));
  EXPECT_EQ(review.at("goals"), json::value(1));
  EXPECT_EQ(review.at("goals_met"), json::value(0));  // the 20 September calls of a 100 target
  EXPECT_EQ(review.at("metrics").as_array()[0].at("actual"), json::value(20));

  // Week over week: 30 calls against 12 is beyond chance; 3 answered against 2 is not.
  const auto& week = month.json.at("trends").at("week");
  EXPECT_EQ(week.at("current"), json::parse(R"({"from":"2026-11-09","to":"2026-11-16"})"));
  auto calls = Find(week.at("metrics"), "metric", "calls");
  EXPECT_EQ(calls.at("direction"), json::value("up"));
  EXPECT_EQ(calls.at("change"), json::value(18));
  EXPECT_EQ(calls.at("percent_change").as_double(), 1.5);
  EXPECT_EQ(Find(week.at("metrics"), "metric", "conversations").at("direction"), json::value("steady"));
  // Month over month: October (29) against September (20): steady.
  const auto& mom = month.json.at("trends").at("month");
  EXPECT_EQ(mom.at("current").at("from"), json::value("2026-10-01"));
  EXPECT_EQ(Find(mom.at("metrics"), "metric", "calls").at("direction"), json::value("steady"));

  const auto& recs = month.json.at("recommendations").as_array();
  ASSERT_EQ(recs.size(), 4u) << month.body;
  auto rec = [&](std::string_view metric, std::string_view period) {
    for (const auto& r : recs)
      if (r.at("metric").as_string() == metric && r.at("period").as_string() == period) return r.as_object();
    ADD_FAILURE() << metric << " " << period;
    return json::object{};
  };
  auto weekly = rec("calls", "week");
  EXPECT_EQ(weekly.at("action"), json::value("raise"));
  EXPECT_EQ(weekly.at("suggested_target"), json::value(15));
  EXPECT_EQ(weekly.at("reason"), json::value("You met it in all of the last 4 weeks, at a median of 145%: raise it to 15."));
  EXPECT_EQ(weekly.at("history").as_array().size(), 4u);
  auto daily = rec("conversations", "day");
  EXPECT_EQ(daily.at("action"), json::value("lower"));
  EXPECT_EQ(daily.at("suggested_target"), json::value(1));
  auto cyc = rec("calls", "cycle");
  EXPECT_EQ(cyc.at("action"), json::value("hold"));
  EXPECT_EQ(cyc.at("reason"), json::value("Not enough history yet: 1 of the 2 complete 90-day cycles needed."));
  // Met on 1 of the last 10 working days... calls were on 4 Wednesdays.
  auto one = rec("calls", "day");
  EXPECT_EQ(one.at("action"), json::value("hold")) << json::serialize(one);

  const auto& achieved = month.json.at("achievements").as_array();
  ASSERT_EQ(achieved.size(), 1u) << month.body;
  EXPECT_EQ(achieved[0].at("title"), json::value("Goal reached: 1 call today"));

  auto october = olga_.Get("/api/hub/month?month=2026-10");
  ASSERT_EQ(october.status, 200) << october.body;
  EXPECT_EQ(october.json.at("progress").at("metrics").as_array()[0].at("actual"), json::value(29));
  EXPECT_EQ(october.json.at("trends").at("month").at("current").at("from"), json::value("2026-10-01"));
  for (const char* bad : {"month=2026-13", "month=2026-1", "month=november", "month=2026-11-01"})
    EXPECT_EQ(olga_.Get(std::string("/api/hub/month?") + bad).ErrorField(), "month") << bad;
  server_.AddUser("bob@acme.test", "officer", "Acme Lending", "East");
  EXPECT_EQ(As("bob@acme.test").Get(fmt::format("/api/hub/month?user_id={}", olga_id_)).ErrorField(), "user_id");
}

TEST_F(HubMonthlyTest, ReportsArePrintableEscapedAndTheTeamRollUpIsTheManagers) {
  CallsOn("2026-10-21", 6, 2);
  ASSERT_EQ(olga_.Send("PATCH", "/api/me", R"({"name":"Olga <b>\"O'Neil\" & Co"})").status, 200);
  auto json_report = olga_.Get("/api/hub/reports/monthly");
  ASSERT_EQ(json_report.status, 200) << json_report.body;
  EXPECT_EQ(json_report.json.at("month"), json::value("2026-10"));
  EXPECT_EQ(json_report.json.at("totals").at("metrics").as_array()[0].at("actual"), json::value(6));
  auto html = olga_.Get("/api/hub/reports/monthly?month=2026-10&format=html");
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_TRUE(html.headers["content-type"].starts_with("text/html")) << html.headers["content-type"];
  EXPECT_EQ(html.headers["content-security-policy"], "default-src 'none'; style-src 'unsafe-inline'");
  EXPECT_NE(html.body.find("Monthly coaching report: Olga &lt;b&gt;&quot;O&#39;Neil&quot; &amp; Co, October 2026"),
            std::string::npos)
      << html.body;
  EXPECT_EQ(html.body.find("<b>"), std::string::npos);
  EXPECT_EQ(html.body.find("<script"), std::string::npos);
  EXPECT_EQ(olga_.Get("/api/hub/reports/monthly?format=pdf").ErrorField(), "format");

  // The roll-up: the manager's own team; never an officer's.
  server_.AddUser("pete@acme.test", "officer", "Acme Lending", "East");
  server_.AddUser("mia@acme.test", "manager", "Acme Lending", "East");
  server_.AddUser("wes@acme.test", "manager", "Acme Lending", "West");
  server_.AddUser("ada@acme.test", "admin", "Acme Lending");
  Client mia = As("mia@acme.test");
  auto rollup = mia.Get("/api/hub/reports/team?month=2026-10");
  ASSERT_EQ(rollup.status, 200) << rollup.body;
  EXPECT_EQ(rollup.json.at("team"), json::value("East"));
  const auto& members = rollup.json.at("members").as_array();
  ASSERT_EQ(members.size(), 2u) << rollup.body;
  EXPECT_EQ(rollup.json.at("totals").at("calls"), json::value(6));
  EXPECT_EQ(rollup.json.at("totals").at("conversations"), json::value(2));
  const auto team_id = rollup.json.at("team_id").as_int64();
  auto page = mia.Get(fmt::format("/api/hub/reports/team?team_id={}&format=html", team_id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Team roll-up: East"), std::string::npos);
  EXPECT_EQ(olga_.Get("/api/hub/reports/team").status, 403);
  EXPECT_EQ(As("wes@acme.test").Get(fmt::format("/api/hub/reports/team?team_id={}", team_id)).ErrorField(), "team_id");
  Client ada = As("ada@acme.test");
  auto teams = ada.Get("/api/teams");
  ASSERT_EQ(teams.status, 200) << teams.body;
  ASSERT_EQ(teams.json.at("items").as_array().size(), 2u) << "an admin may pick any team of the org";
  EXPECT_EQ(teams.json.at("items").as_array()[0].at("name"), json::value("East"));
  EXPECT_EQ(teams.json.at("items").as_array()[0].at("members"), json::value(3));
  EXPECT_EQ(mia.Get("/api/teams").json.at("items").as_array().size(), 1u);
  EXPECT_EQ(ada.Get("/api/hub/reports/team").ErrorField(), "team_id");
  EXPECT_EQ(ada.Get(fmt::format("/api/hub/reports/team?team_id={}", team_id)).status, 200);
  server_.AddUser("zed@other.test", "admin", "Other Bank");
  EXPECT_EQ(As("zed@other.test").Get(fmt::format("/api/hub/reports/team?team_id={}", team_id)).status, 404);
}

}  // namespace
}  // namespace chosen::testing
