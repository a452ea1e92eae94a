#include "hub/periods.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace chosen::hub {
namespace {

TEST(PeriodsTest, WeekdaysOfKnownDates) {
  EXPECT_EQ(WeekdayOf("2026-11-21"), 6);  // a Saturday
  EXPECT_EQ(WeekdayOf("2026-11-23"), 1);
  EXPECT_EQ(WeekdayOf("2024-02-29"), 4);
  EXPECT_EQ(WeekdayOf("2000-01-01"), 6);
}

TEST(PeriodsTest, DaysWeeksAndMonths) {
  auto day = PeriodOf(Period::kDay, "2026-12-31");
  EXPECT_EQ(day.from, "2026-12-31");
  EXPECT_EQ(day.to, "2027-01-01");
  auto week = PeriodOf(Period::kWeek, "2026-11-21");  // Saturday: that Monday to the next
  EXPECT_EQ(week.from, "2026-11-16");
  EXPECT_EQ(week.to, "2026-11-23");
  EXPECT_EQ(PeriodOf(Period::kWeek, "2026-11-23").from, "2026-11-23");  // a Monday starts its own week
  EXPECT_EQ(PeriodOf(Period::kWeek, "2026-11-22").from, "2026-11-16");  // Sunday ends it
  auto feb = PeriodOf(Period::kMonth, "2024-02-29");
  EXPECT_EQ(feb.from, "2024-02-01");
  EXPECT_EQ(feb.to, "2024-03-01");
  EXPECT_EQ(PeriodOf(Period::kMonth, "2026-12-05").to, "2027-01-01");
}

TEST(PeriodsTest, CyclesAreThirteenWeeksFromAMonday) {
  // From Monday 2024-01-01: the cycle holding 2026-11-21 is the 12th
  // (1,054 days in: 11 x 91 = 1,001).
  auto now = PeriodOf(Period::kCycle, "2026-11-21");
  EXPECT_EQ(now.from, "2026-09-28");
  EXPECT_EQ(now.to, "2026-12-28");
  EXPECT_EQ(WeekdayOf(now.from), 1);
  // A cycle's first and last days, and dates before the anchor.
  EXPECT_EQ(PeriodOf(Period::kCycle, "2026-09-28").from, "2026-09-28");
  EXPECT_EQ(PeriodOf(Period::kCycle, "2026-09-27").from, "2026-06-29");
  EXPECT_EQ(PeriodOf(Period::kCycle, "2024-01-01").from, "2024-01-01");
  EXPECT_EQ(PeriodOf(Period::kCycle, "2023-12-31").from, "2023-10-02");
  // Back to back, every one a Monday and 91 days, across leap years.
  std::string start = "2023-10-02";
  for (int i = 0; i < 24; ++i) {
    auto c = PeriodOf(Period::kCycle, AddDays(start, 45));
    EXPECT_EQ(c.from, start);
    EXPECT_EQ(WeekdayOf(c.from), 1) << c.from;
    EXPECT_EQ(AddDays(c.from, 91), c.to);
    start = c.to;
  }
}

TEST(PeriodsTest, ParsesNames) {
  EXPECT_EQ(ParsePeriod("cycle"), Period::kCycle);
  EXPECT_FALSE(ParsePeriod("quarter"));
  EXPECT_STREQ(PeriodName(Period::kWeek), "week");
}

}  // namespace
}  // namespace chosen::hub
