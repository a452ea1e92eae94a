// The energy pattern on synthetic days: a planted late-day drop in
// conversion is found at its hour; with nothing planted the engine stays
// silent in at least 95% of histories.
#include "pattern/energy.h"

#include <cstdint>

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

struct Day {
  int days = 130;            // half a year of working days
  int calls_per_hour = 2;    // 8 AM to 8 PM
  double conversion = 0.10;  // appointments or applications per call
  int drop_from = 15;        // the planted drop starts at this hour
  double drop = 0.0;         // and takes this much off
};

CallsByHour Generate(const Day& d, std::uint64_t seed) {
  Rng rng(seed);
  CallsByHour calls{};
  for (int day = 0; day < d.days; ++day)
    for (int h = 8; h < 20; ++h)
      for (int i = 0; i < d.calls_per_hour; ++i) {
        auto& p = calls[static_cast<std::size_t>(h)];
        ++p.trials;
        p.successes += rng.Uniform() < d.conversion - (h >= d.drop_from ? d.drop : 0.0);
      }
  return calls;
}

TEST(EnergyTest, APlantedAfternoonDropIsFoundAtItsHourWithEvidence) {
  int at_hour = 0, near_hour = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    auto drop = FindEnergyDrop(Generate({.calls_per_hour = 3, .drop = 0.05}, seed));
    if (!drop) continue;
    at_hour += drop->split_hour == 15;
    near_hour += drop->split_hour >= 14 && drop->split_hour <= 16;
  }
  EXPECT_GE(at_hour, 35) << "10% -> 5% after 3 PM, 36 calls a day: found at 3 PM in most histories";
  EXPECT_GE(near_hour, 47) << "and within an hour of it in at least 94%";

  auto drop = FindEnergyDrop(Generate({.drop = 0.05}, 3));
  ASSERT_TRUE(drop);
  const auto& j = drop->json;
  EXPECT_EQ(j.at("type").as_string(), "energy_drop");
  const auto& ev = j.at("evidence").as_object();
  double diff = ev.at("difference").as_double();
  EXPECT_GT(diff, 0.02);
  EXPECT_GT(ev.at("ci95").as_array()[0].as_double(), 0.0);
  EXPECT_LT(ev.at("ci95").as_array()[0].as_double(), diff);
  EXPECT_LE(ev.at("q_value").as_double(), 0.05);
  EXPECT_EQ(ev.at("tests").as_int64(), 6);
  EXPECT_EQ(ev.at("before").at("calls").as_int64() + ev.at("after").at("calls").as_int64(), 130 * 12 * 2);
  EXPECT_NE(j.at("message").as_string().find("after " + HourName(drop->split_hour)), std::string::npos) << j;
}

TEST(EnergyTest, WithNothingPlantedItStaysSilentInAtLeast95PercentOfRuns) {
  int reports = 0;
  constexpr int kRuns = 400;
  for (std::uint64_t seed = 5000; seed < 5000 + kRuns; ++seed)
    if (FindEnergyDrop(Generate({}, seed))) ++reports;
  EXPECT_LT(reports, kRuns * 5 / 100) << reports << " false reports in " << kRuns << " runs";
}

TEST(EnergyTest, ARiseSmallDropOrThinDataIsSilence) {
  EXPECT_FALSE(FindEnergyDrop(Generate({.drop = -0.05}, 1))) << "converting better late is not a drop";
  EXPECT_FALSE(FindEnergyDrop(Generate({.days = 2000, .drop = 0.01}, 1))) << "10% lower is not worth a claim";
  EXPECT_FALSE(FindEnergyDrop(Generate({.days = 3, .drop = 0.09}, 1))) << "too few calls";
  EXPECT_EQ(HourName(15), "3 PM");
  EXPECT_EQ(HourName(12), "12 PM");
  EXPECT_EQ(HourName(0), "12 AM");
}

}  // namespace
}  // namespace chosen::pattern
