#include "pattern/success.h"

#include <cmath>

#include <gtest/gtest.h>

#include "pattern/synthetic_rng.h"

namespace chosen::pattern {
namespace {

using testing::Rng;

TEST(MannWhitneyTest, ExactSmallSamplesAndTies) {
  auto low = MannWhitney({1, 2, 3}, {4, 5, 6});
  EXPECT_NEAR(low.p_value, 2.0 / 20, 1e-12);  // 2 of the 20 splits are as extreme
  EXPECT_DOUBLE_EQ(low.effect, -1);
  auto high = MannWhitney({4, 5, 6}, {1, 2, 3});
  EXPECT_DOUBLE_EQ(high.effect, 1);
  auto same = MannWhitney({2, 2, 2}, {2, 2, 2});
  EXPECT_DOUBLE_EQ(same.p_value, 1);
  EXPECT_DOUBLE_EQ(same.effect, 0);
  // Interleaved: no evidence.
  EXPECT_GT(MannWhitney({1, 3, 5, 7, 9}, {2, 4, 6, 8, 10}).p_value, 0.6);
  // Ties across the groups are mid-ranked: {1,2,2} vs {2,3,3}.
  auto tied = MannWhitney({1, 2, 2}, {2, 3, 3});
  EXPECT_LT(tied.effect, 0);
  EXPECT_GT(tied.p_value, 0.1);
}

TEST(MannWhitneyTest, NormalApproximationAgreesWithExactNearTheBoundary) {
  Rng rng(3);
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) a.push_back(rng.Uniform() + 0.3);
  for (int i = 0; i < 30; ++i) b.push_back(rng.Uniform());
  auto exact = MannWhitney(a, b);  // 60: exact
  a.push_back(0.5);                // 61: normal approximation
  auto approx = MannWhitney(a, b);
  EXPECT_LT(exact.p_value, 0.05);
  EXPECT_NEAR(std::log10(approx.p_value), std::log10(exact.p_value), 0.5);
}

// `n` officers; loans drawn from a spread of talent; with `lift`, calls per
// day rise with talent (top performers make more calls); the other metrics
// are noise.
std::vector<OfficerWindow> Org(std::uint64_t seed, int n, double lift) {
  Rng rng(seed);
  std::vector<OfficerWindow> out;
  for (int i = 0; i < n; ++i) {
    const double talent = rng.Uniform();
    OfficerWindow o;
    o.user_id = 100 + i;
    o.loans = static_cast<std::int64_t>(talent * 12 + rng.Uniform() * 3);
    o.metrics["calls_per_day"] = 6 + 4 * rng.Uniform() + lift * talent;
    o.metrics["text_share"] = 0.2 + 0.2 * rng.Uniform();
    o.metrics["meetings_per_week"] = 2 * rng.Uniform();
    if (i % 3) o.metrics["speed_to_lead_hours"] = 1 + 20 * rng.Uniform();
    out.push_back(std::move(o));
  }
  return out;
}

TEST(SuccessTest, FindsWhatTopPerformersDoMoreWithGroupMediansOnly) {
  auto found = FindSuccessPatterns(Org(7, 40, 12));
  ASSERT_EQ(found.size(), 1u);
  const auto& f = found[0];
  EXPECT_EQ(f.at("metric").as_string(), "calls_per_day");
  const auto& e = f.at("evidence");
  EXPECT_GT(e.at("top").at("median").as_double(), e.at("rest").at("median").as_double());
  EXPECT_GE(e.at("top").at("officers").as_int64(), 10);
  EXPECT_EQ(e.at("top").at("officers").as_int64() + e.at("rest").at("officers").as_int64(), 40);
  EXPECT_LE(e.at("q_value").as_double(), 0.05);
  // The difference of medians with its interval, which excludes 0.
  EXPECT_NEAR(e.at("difference").as_double(),
              e.at("top").at("median").as_double() - e.at("rest").at("median").as_double(), 1e-3);
  EXPECT_GT(e.at("ci95").at(0).as_double(), 0);
  EXPECT_LT(e.at("ci95").at(0).as_double(), e.at("difference").as_double());
  EXPECT_GT(e.at("ci95").at(1).as_double(), e.at("difference").as_double());
  EXPECT_GE(e.at("effect").as_double(), 0.4);
  EXPECT_EQ(e.at("tests").as_int64(), 4);  // the metrics the org has for enough officers
  EXPECT_EQ(f.at("values").as_object().size(), 40u);
  EXPECT_NE(f.at("message").as_string().find("calls per working day"), std::string::npos);
}

TEST(SuccessTest, NothingPlantedIsRarelyClaimed) {
  int runs_with_claims = 0;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) runs_with_claims += !FindSuccessPatterns(Org(seed * 31, 30, 0)).empty();
  EXPECT_LE(runs_with_claims, 6);  // 5% of 120
}

TEST(SuccessTest, SmallOrgsAndOrgsWithoutLoansStaySilent) {
  EXPECT_TRUE(FindSuccessPatterns(Org(7, 9, 30)).empty());  // too few to stay anonymous
  auto none = Org(7, 40, 30);
  for (auto& o : none) o.loans = 0;
  EXPECT_TRUE(FindSuccessPatterns(none).empty());
  // Ten officers: five and five; the smallest exact p is 2 of 252 splits.
  std::vector<OfficerWindow> ten;
  for (int i = 0; i < 10; ++i) ten.push_back({i + 1, i, {{"calls_per_day", 5.0 + i}}});
  auto found = FindSuccessPatterns(ten);
  ASSERT_FALSE(found.empty());
  for (const auto& f : found) {
    EXPECT_EQ(f.at("evidence").at("top").at("officers").as_int64(), 5);
    EXPECT_EQ(f.at("evidence").at("rest").at("officers").as_int64(), 5);
  }
}

}  // namespace
}  // namespace chosen::pattern
