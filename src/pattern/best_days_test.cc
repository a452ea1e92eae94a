// Best days on synthetic histories: a deterministic generator plants (or
// not) a weekday effect of controlled strength and volume; planted effects
// of realistic strength are found, and with nothing planted the engine stays
// silent in at least 95% of runs.
#include "pattern/best_days.h"

#include <cstdint>

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

struct History {
  int weeks = 26;               // half a year
  int calls_per_weekday = 10;   // Monday-Friday; Saturday 3, Sunday 0
  double answer_rate = 0.28;
  double lift = 0.0;            // added on Tuesdays and Thursdays
};

CallsByWeekday Generate(const History& h, std::uint64_t seed) {
  Rng rng(seed);
  CallsByWeekday calls{};
  for (int w = 0; w < h.weeks; ++w)
    for (int d = 1; d <= 7; ++d) {
      int n = d <= 5 ? h.calls_per_weekday : (d == 6 ? 3 : 0);
      double p = h.answer_rate + ((d == 2 || d == 4) ? h.lift : 0.0);
      for (int i = 0; i < n; ++i) {
        ++calls[d].trials;
        calls[d].successes += rng.Uniform() < p;
      }
    }
  return calls;
}

TEST(BestDaysTest, APlantedTuesdayThursdayEffectIsFoundWithItsEvidence) {
  // Power by strength and volume: how often both planted days (and only
  // they) are found, over 50 histories each.
  auto found = [](History h) {
    int n = 0;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      auto best = FindBestDays(Generate(h, seed));
      if (best && best->days == std::vector<int>{2, 4}) ++n;
    }
    return n;
  };
  EXPECT_GE(found({.calls_per_weekday = 20, .lift = 0.12}), 45)
      << "12 points on 20 calls a day for half a year: found in at least 90% of histories";
  EXPECT_GE(found({.calls_per_weekday = 10, .lift = 0.18}), 45) << "18 points (the demo's Jordan Kim) on 10 a day";
  EXPECT_LT(found({.calls_per_weekday = 10, .lift = 0.05}), 25) << "a weak effect on little data is mostly silence";

  auto best = FindBestDays(Generate({.calls_per_weekday = 20, .lift = 0.15}, 7));
  ASSERT_TRUE(best);
  const json::object& j = best->json;
  EXPECT_EQ(j.at("type").as_string(), "best_days");
  EXPECT_EQ(j.at("days").as_array(), (json::array{"Tuesday", "Thursday"}));
  EXPECT_NE(j.at("message").as_string().find("Tuesdays and Thursdays"), std::string::npos) << j;
  const auto& ev = j.at("evidence").as_object();
  EXPECT_EQ(ev.at("tests").as_int64(), 6) << "Sunday has no calls, so it is not tested";
  for (const auto& c : ev.at("comparisons").as_array()) {
    const auto& o = c.as_object();
    double diff = o.at("difference").as_double();
    const auto& ci = o.at("ci95").as_array();
    EXPECT_GT(ci[0].as_double(), 0.0);
    EXPECT_LT(ci[0].as_double(), diff);
    EXPECT_GT(ci[1].as_double(), diff);
    EXPECT_LE(o.at("q_value").as_double(), 0.05);
    EXPECT_LE(o.at("p_value").as_double(), o.at("q_value").as_double());
    EXPECT_EQ(o.at("calls").as_int64(), 520);
  }
  EXPECT_EQ(j.at("by_weekday").as_array().size(), 7u);
}

TEST(BestDaysTest, WithNothingPlantedItStaysSilentInAtLeast95PercentOfRuns) {
  int reports = 0;
  constexpr int kRuns = 400;
  for (std::uint64_t seed = 1000; seed < 1000 + kRuns; ++seed)
    if (FindBestDays(Generate({.lift = 0.0}, seed))) ++reports;
  EXPECT_LT(reports, kRuns * 5 / 100) << reports << " false reports in " << kRuns << " runs";
}

TEST(BestDaysTest, TooLittleDataOrATrivialDifferenceIsSilence) {
  // Three weeks: 30 calls a weekday, below the minimum, however strong.
  EXPECT_FALSE(FindBestDays(Generate({.weeks = 3, .lift = 0.3}, 1)));
  // A huge volume makes a 1-point difference "significant"; it is not worth saying.
  EXPECT_FALSE(FindBestDays(Generate({.weeks = 520, .calls_per_weekday = 60, .lift = 0.01}, 1)));
  EXPECT_FALSE(FindBestDays(CallsByWeekday{}));
}

}  // namespace
}  // namespace chosen::pattern
