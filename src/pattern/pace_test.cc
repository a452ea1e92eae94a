// An officer's pace: the median (and quartiles) of calls made by each hour
// over the working days they called.
#include "pattern/pace.h"

#include <gtest/gtest.h>

namespace chosen::pattern {
namespace {

TEST(PaceTest, MediansAndQuartilesOfCallsMadeByEachHour) {
  CallsPerDayHour days;
  // 21 days: on day d, d % 3 + 4 calls at 9 AM and 2 at 2 PM (4, 5 or 6 by 11 AM).
  for (int d = 0; d < 21; ++d) {
    days[20000 + d][9] = d % 3 + 4;
    days[20000 + d][14] = 2;
  }
  auto pace = FindPace(days, 10, 17);
  ASSERT_TRUE(pace);
  EXPECT_EQ(pace->at("days").as_int64(), 21);
  const auto& by_hour = pace->at("by_hour").as_array();
  ASSERT_EQ(by_hour.size(), 8u);  // by 10 AM .. by 5 PM
  EXPECT_EQ(by_hour[0].at("hour").as_int64(), 10);
  EXPECT_DOUBLE_EQ(by_hour[0].at("median").as_double(), 5);
  EXPECT_DOUBLE_EQ(by_hour[0].at("p25").as_double(), 4);
  EXPECT_DOUBLE_EQ(by_hour[0].at("p75").as_double(), 6);
  EXPECT_DOUBLE_EQ(by_hour[5].at("median").as_double(), 7) << "by 3 PM the 2 PM calls count";
  EXPECT_EQ(std::string(pace->at("message").as_string()),
            "On a working day you usually make 5 calls by 11 AM and 7 calls by 3 PM (the median of 21 days you called).");
}

TEST(PaceTest, TooFewDaysDescribeNothing) {
  CallsPerDayHour days;
  for (int d = 0; d < 19; ++d) days[d][10] = 3;
  EXPECT_FALSE(FindPace(days, 10, 17));
  days[19][10] = 1;
  EXPECT_TRUE(FindPace(days, 10, 17));
}

TEST(PaceTest, OutsideOfficeHoursTheSentenceNamesTheMiddleAndTheEnd) {
  CallsPerDayHour days;
  for (int d = 0; d < 20; ++d) days[d][6] = 1;
  auto pace = FindPace(days, 6, 9);  // a 5 AM-9 AM day
  ASSERT_TRUE(pace);
  EXPECT_EQ(std::string(pace->at("message").as_string()),
            "On a working day you usually make 1 call by 7 AM and 1 call by 9 AM (the median of 20 days you called).");
}

}  // namespace
}  // namespace chosen::pattern
