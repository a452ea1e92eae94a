#include "game/rules.h"

#include <gtest/gtest.h>

namespace chosen::game {
namespace {

TEST(GameRulesTest, OutcomesWeighMoreThanADial) {
  const auto table = DefaultPointsTable();
  auto call = [&](const char* outcome) { return AwardFor("call_logged", {{"outcome", outcome}}, table); };
  EXPECT_EQ(call("no_answer").points, 1);
  EXPECT_EQ(call("answered").points, 3);
  EXPECT_EQ(call("appointment_set").points, 13);
  const Award app = call("application_taken");
  EXPECT_EQ(app.points, 38);
  EXPECT_EQ(app.reason, "call 1 + conversation 2 + appointment 10 + application 25");
  EXPECT_EQ(app.counters, (std::vector<std::string>{"calls", "conversations", "appointments", "applications"}));
  EXPECT_EQ(AwardFor("deal_closed", {{"won", true}}, table).points, 50);
  EXPECT_TRUE(AwardFor("deal_closed", {{"won", false}}, table).counters.empty());
  EXPECT_EQ(AwardFor("video_post_logged", {}, table).counters, (std::vector<std::string>{"video_posts"}));
  EXPECT_TRUE(AwardFor("contact_updated", {}, table).counters.empty());
  // A table an admin changed prices the same event differently.
  auto cheap = table;
  cheap["call"] = 0;
  EXPECT_EQ(AwardFor("call_logged", {{"outcome", "answered"}}, cheap).points, 2);
}

TEST(GameRulesTest, LevelsAndTheNextOne) {
  EXPECT_EQ(LevelJson(0).at("name"), json::value("Rookie"));
  EXPECT_EQ(LevelJson(249).at("next").at("points_to_go"), json::value(1));
  EXPECT_EQ(LevelJson(250).at("name"), json::value("Prospector"));
  EXPECT_EQ(LevelJson(625).at("next").at("progress").as_double(), 0.5);
  EXPECT_TRUE(LevelJson(1'000'000).at("next").is_null());
}

TEST(GameRulesTest, StreaksSkipDaysOffAndSurviveAFreeze) {
  const std::string weekdays = "1,2,3,4,5";
  // Mon 16 .. Fri 20 November 2026, then the weekend, then Monday 23.
  std::set<std::string> days{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23"};
  auto s = ComputeStreak(days, {}, weekdays, "2026-11-23");
  EXPECT_EQ(s.current, 6) << "the weekend neither counts nor breaks it";
  EXPECT_TRUE(s.today_done);
  EXPECT_EQ(s.since, "2026-11-16");
  // Tuesday with no call yet: the day is not over, the streak stands.
  s = ComputeStreak(days, {}, weekdays, "2026-11-24");
  EXPECT_EQ(s.current, 6);
  EXPECT_FALSE(s.today_done);
  // Wednesday: Tuesday was missed.
  EXPECT_EQ(ComputeStreak(days, {}, weekdays, "2026-11-25").current, 0);
  // A freeze on Tuesday keeps it, without counting.
  days.insert("2026-11-25");
  EXPECT_EQ(ComputeStreak(days, {"2026-11-24"}, weekdays, "2026-11-25").current, 7);
  EXPECT_EQ(ComputeStreak(days, {}, weekdays, "2026-11-25").current, 1);
  // A Saturday call counts; a four-day week's Friday off does not break it.
  std::set<std::string> four{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-21"};
  EXPECT_EQ(ComputeStreak(four, {}, "1,2,3,4", "2026-11-21").current, 5);
  // Across the end of daylight saving (Sunday 1 November in the US): local
  // dates, so Friday 30 October and Monday 2 November are one streak.
  EXPECT_EQ(ComputeStreak({"2026-10-29", "2026-10-30", "2026-11-02"}, {}, weekdays, "2026-11-02").current, 3);
}

}  // namespace
}  // namespace chosen::game
