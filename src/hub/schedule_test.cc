#include "hub/schedule.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace chosen::hub {
namespace {

constexpr TimestampMs kHour = 3'600'000;
constexpr const char* kChicago = "America/Chicago";

TimestampMs At(const char* iso) { return ParseIso(iso, "at").value(); }

TEST(ScheduleTest, ADailySlotPerLocalDateAtTheLocalTime) {
  // 6 AM in Chicago, a week of November (CST, UTC-6): noon UTC each day.
  auto slots = SlotsBetween(kChicago, 6 * 60, "", At("2026-11-16T00:00:00Z"), At("2026-11-23T00:00:00Z"));
  ASSERT_EQ(slots.size(), 7u);
  EXPECT_EQ(slots[0], (Slot{"2026-11-16", At("2026-11-16T12:00:00Z")}));
  EXPECT_EQ(slots[6], (Slot{"2026-11-22", At("2026-11-22T12:00:00Z")}));
  // Working days only.
  EXPECT_EQ(SlotsBetween(kChicago, 6 * 60, "1,2,3,4,5", At("2026-11-16T00:00:00Z"), At("2026-11-23T00:00:00Z")).size(),
            5u);
  // (after, upto]: a slot exactly at `after` already ran; one at `upto` is due.
  auto edge = SlotsBetween(kChicago, 6 * 60, "", At("2026-11-16T12:00:00Z"), At("2026-11-17T12:00:00Z"));
  ASSERT_EQ(edge.size(), 1u);
  EXPECT_EQ(edge[0].date, "2026-11-17");
  EXPECT_TRUE(SlotsBetween(kChicago, 6 * 60, "", At("2026-11-17T12:00:00Z"), At("2026-11-17T12:00:00Z")).empty());
}

TEST(ScheduleTest, SpringForwardRunsASkippedTimeWhenTheClockJumps) {
  // 2026-03-08: 2:00 AM CST jumps to 3:00 AM CDT (08:00 UTC). A 2:30 job
  // runs once that day, at the jump; the days around it at 2:30 local.
  auto slots = SlotsBetween(kChicago, 2 * 60 + 30, "", At("2026-03-07T00:00:00Z"), At("2026-03-10T00:00:00Z"));
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(slots[0], (Slot{"2026-03-07", At("2026-03-07T08:30:00Z")}));  // CST
  EXPECT_EQ(slots[1], (Slot{"2026-03-08", At("2026-03-08T08:00:00Z")}));  // the jump
  EXPECT_EQ(slots[2], (Slot{"2026-03-09", At("2026-03-09T07:30:00Z")}));  // CDT
  // 6 AM the same day is plain CDT.
  auto six = SlotsBetween(kChicago, 6 * 60, "", At("2026-03-08T00:00:00Z"), At("2026-03-09T00:00:00Z"));
  ASSERT_EQ(six.size(), 1u);
  EXPECT_EQ(six[0].at, At("2026-03-08T11:00:00Z"));
}

TEST(ScheduleTest, FallBackRunsARepeatedTimeOnce) {
  // 2026-11-01: 2:00 AM CDT falls back to 1:00 AM CST, so 1:30 happens at
  // 06:30 and 07:30 UTC. The job runs at the first, once.
  auto slots = SlotsBetween(kChicago, 90, "", At("2026-10-31T12:00:00Z"), At("2026-11-02T12:00:00Z"));
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0], (Slot{"2026-11-01", At("2026-11-01T06:30:00Z")}));
  EXPECT_EQ(slots[1], (Slot{"2026-11-02", At("2026-11-02T07:30:00Z")}));  // CST from then on
  // A window that starts between the two 1:30s finds nothing more that day.
  EXPECT_TRUE(SlotsBetween(kChicago, 90, "", At("2026-11-01T06:45:00Z"), At("2026-11-01T08:00:00Z")).empty());
  // 6 AM: 11:00 UTC the day before, 12:00 UTC on it.
  auto six = SlotsBetween(kChicago, 6 * 60, "", At("2026-10-31T00:00:00Z"), At("2026-11-02T00:00:00Z"));
  ASSERT_EQ(six.size(), 2u);
  EXPECT_EQ(six[0].at, At("2026-10-31T11:00:00Z"));
  EXPECT_EQ(six[1].at, At("2026-11-01T12:00:00Z"));
}

TEST(ScheduleTest, AfterAnOutageOnlyTheLatestSlotRunsAndOnlyIfRecent) {
  // Down from Monday 1 AM to Wednesday 6:30 AM Chicago (12:30 UTC): Monday's
  // and Tuesday's 6 AM pushes are skipped, Wednesday's runs (30 min late).
  auto due = Due(kChicago, 6 * 60, "", At("2026-11-16T07:00:00Z"), At("2026-11-18T12:30:00Z"), 2 * kHour);
  ASSERT_TRUE(due.run);
  EXPECT_EQ(due.run->date, "2026-11-18");
  ASSERT_EQ(due.skipped.size(), 2u);
  EXPECT_EQ(due.skipped[0].date, "2026-11-16");
  // Back at 11 AM: five hours late is too late; nothing runs.
  auto late = Due(kChicago, 6 * 60, "", At("2026-11-16T07:00:00Z"), At("2026-11-18T17:00:00Z"), 2 * kHour);
  EXPECT_FALSE(late.run);
  EXPECT_EQ(late.skipped.size(), 3u);
  // Nothing missed: nothing to do.
  auto none = Due(kChicago, 6 * 60, "", At("2026-11-18T12:00:00Z"), At("2026-11-18T13:00:00Z"), 2 * kHour);
  EXPECT_FALSE(none.run);
  EXPECT_TRUE(none.skipped.empty());
}

TEST(ScheduleTest, TimeZonesFarFromUtc) {
  // 6 AM in Auckland (UTC+13 in November) is 17:00 UTC the day before.
  auto nz = SlotsBetween("Pacific/Auckland", 6 * 60, "", At("2026-11-20T00:00:00Z"), At("2026-11-21T00:00:00Z"));
  ASSERT_EQ(nz.size(), 1u);
  EXPECT_EQ(nz[0], (Slot{"2026-11-21", At("2026-11-20T17:00:00Z")}));
}

}  // namespace
}  // namespace chosen::hub
