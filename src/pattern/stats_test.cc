// Checked against published values: Newcombe, "Two-sided confidence intervals
// for the single proportion" and "Interval estimation for the difference
// between independent proportions" (Statistics in Medicine, 1998).
#include "pattern/stats.h"

#include <gtest/gtest.h>

namespace chosen::pattern {
namespace {

TEST(StatsTest, WilsonIntervalMatchesNewcombesExample) {
  Interval w = WilsonInterval({81, 263});
  EXPECT_NEAR(w.low, 0.2553, 5e-5);
  EXPECT_NEAR(w.high, 0.3662, 5e-5);
  // Stays inside [0, 1] at the edges, where the Wald interval collapses.
  Interval none = WilsonInterval({0, 20});
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.1611, 5e-4);
  Interval empty = WilsonInterval({0, 0});
  EXPECT_EQ(empty.low, 0.0);
  EXPECT_EQ(empty.high, 1.0);
}

TEST(StatsTest, NewcombeDifferenceMatchesPublishedMethod10) {
  Interval a = NewcombeDifference({56, 70}, {48, 80});
  EXPECT_NEAR(a.low, 0.0524, 5e-5);
  EXPECT_NEAR(a.high, 0.3339, 5e-5);
  Interval b = NewcombeDifference({9, 10}, {3, 10});
  EXPECT_NEAR(b.low, 0.1705, 5e-5);
  EXPECT_NEAR(b.high, 0.8090, 5e-5);
}

TEST(StatsTest, TwoProportionTest) {
  EXPECT_NEAR(TwoProportionPValue({15, 30}, {10, 30}), 0.19043, 1e-5);
  EXPECT_NEAR(TwoProportionPValue({10, 30}, {15, 30}), 0.19043, 1e-5) << "two-sided";
  EXPECT_EQ(TwoProportionPValue({5, 10}, {0, 0}), 1.0);
  EXPECT_EQ(TwoProportionPValue({0, 10}, {0, 10}), 1.0) << "no variation, no evidence";
  EXPECT_LT(TwoProportionPValue({400, 1000}, {300, 1000}), 1e-5);
}

TEST(StatsTest, BenjaminiHochbergAdjustsInInputOrder) {
  auto q = BenjaminiHochberg({0.01, 0.04, 0.03, 0.005});
  ASSERT_EQ(q.size(), 4u);
  EXPECT_DOUBLE_EQ(q[0], 0.02);
  EXPECT_DOUBLE_EQ(q[1], 0.04);
  EXPECT_DOUBLE_EQ(q[2], 0.04);
  EXPECT_DOUBLE_EQ(q[3], 0.02);
  auto capped = BenjaminiHochberg({0.9, 0.8});
  EXPECT_DOUBLE_EQ(capped[0], 0.9);
  EXPECT_DOUBLE_EQ(capped[1], 0.9) << "monotone: never below a smaller p's q... nor above 1";
  EXPECT_TRUE(BenjaminiHochberg({}).empty());
}

TEST(StatsTest, ShrinkagePullsSmallGroupsTowardThePrior) {
  EXPECT_DOUBLE_EQ(Shrink({0, 0}, 0.3, 10), 0.3);
  EXPECT_DOUBLE_EQ(Shrink({5, 10}, 0.3, 10), 0.4);
  EXPECT_NEAR(Shrink({500, 1000}, 0.3, 10), 0.498, 1e-3) << "a large group barely moves";
}

}  // namespace
}  // namespace chosen::pattern
