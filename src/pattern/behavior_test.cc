// Behavioural links on synthetic histories: a lift in conversion in the two
// days after video posts, of realistic strength, is found; with none
// planted, a claim is made in fewer than 5% of histories.
#include "pattern/behavior.h"

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

constexpr TimestampMs kDay = 24 * 3600 * 1000LL;
constexpr TimestampMs kStart = 1'780'000'000'000;

struct History {
  int weeks = 26;
  int calls_per_day = 20;      // weekdays
  double conversion = 0.04;
  double lift = 0.0;           // added within two days after a video post
  int video_posts_per_week = 2;
  int social_posts_per_week = 3;  // never any lift
};

struct Generated {
  std::vector<CallOutcome> calls;
  std::map<std::string, std::vector<TimestampMs>> posts;
};

Generated Generate(const History& h, std::uint64_t seed) {
  Rng rng(seed);
  Generated g;
  for (int w = 0; w < h.weeks; ++w) {
    for (int i = 0; i < h.video_posts_per_week; ++i)
      g.posts["video_post"].push_back(kStart + (w * 7 + static_cast<int>(rng.Uniform() * 7)) * kDay + 8 * 3600000);
    for (int i = 0; i < h.social_posts_per_week; ++i)
      g.posts["social_post"].push_back(kStart + (w * 7 + static_cast<int>(rng.Uniform() * 7)) * kDay + 7 * 3600000);
  }
  auto& videos = g.posts["video_post"];
  std::sort(videos.begin(), videos.end());
  for (int d = 0; d < h.weeks * 7; ++d) {
    if (d % 7 >= 5) continue;
    for (int i = 0; i < h.calls_per_day; ++i) {
      TimestampMs at = kStart + d * kDay + 9 * 3600000 + static_cast<TimestampMs>(rng.Uniform() * 8 * 3600000);
      auto it = std::upper_bound(videos.begin(), videos.end(), at);
      bool after = it != videos.begin() && at - *std::prev(it) <= 2 * kDay;
      g.calls.push_back({at, rng.Uniform() < h.conversion + (after ? h.lift : 0.0)});
    }
  }
  return g;
}

TEST(BehaviorTest, ALiftAfterVideoPostsIsFoundWithItsEvidence) {
  History h;
  h.lift = 0.03;
  Generated g = Generate(h, 11);
  auto found = FindBehaviorLinks(g.calls, g.posts);
  ASSERT_EQ(found.size(), 1u);
  const json::object& f = found[0];
  EXPECT_EQ(f.at("activity").as_string(), "video_post");
  EXPECT_EQ(f.at("type").as_string(), "behavior_link");
  const auto& e = f.at("evidence").as_object();
  EXPECT_GT(e.at("ci95").as_array()[0].as_double(), 0.0);
  EXPECT_LE(e.at("q_value").as_double(), 0.05);
  EXPECT_EQ(e.at("tests").as_int64(), 2) << "video and social posts both tested";
  EXPECT_EQ(e.at("window_hours").as_int64(), 48);
  EXPECT_NE(f.at("message").as_string().find("after video posts"), std::string::npos) << f.at("message");
}

TEST(BehaviorTest, WithNothingPlantedClaimsAreRare) {
  int claims = 0;
  constexpr int kRuns = 400;
  for (int seed = 1; seed <= kRuns; ++seed) {
    Generated g = Generate(History{}, 1000 + seed);
    claims += !FindBehaviorLinks(g.calls, g.posts).empty();
  }
  EXPECT_LT(claims, kRuns / 20) << claims << " false claims in " << kRuns;
}

TEST(BehaviorTest, ARealisticLiftIsFoundMostOfTheTime) {
  // 4% -> 7% in the two days after a video post (half a year, 20 calls a day).
  History h;
  h.lift = 0.03;
  int found = 0;
  for (int seed = 1; seed <= 50; ++seed) {
    Generated g = Generate(h, 5000 + seed);
    for (const auto& f : FindBehaviorLinks(g.calls, g.posts)) found += f.at("activity") == "video_post";
  }
  EXPECT_GE(found, 40) << found << " of 50";
}

TEST(BehaviorTest, TooFewPostsOrCallsAreNotTested) {
  History h;
  h.lift = 0.2;
  h.video_posts_per_week = 0;
  Generated g = Generate(h, 3);
  g.posts["video_post"] = {kStart + kDay, kStart + 8 * kDay, kStart + 15 * kDay};  // 3 < min_posts
  EXPECT_TRUE(FindBehaviorLinks(g.calls, g.posts).empty());
  EXPECT_TRUE(FindBehaviorLinks({}, g.posts).empty());
}

}  // namespace
}  // namespace chosen::pattern
