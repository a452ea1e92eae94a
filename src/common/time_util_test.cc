#include "common/time_util.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace chosen {
namespace {

// 2026-11-21T07:17:21Z, computed independently of the code under test.
constexpr TimestampMs kAnchor = 1'795'245'441'000;

// An instant from a UTC timestamp; fails the test if it does not parse.
TimestampMs Utc(std::string_view text) {
  auto r = ParseIso(text, "t");
  EXPECT_TRUE(r) << text;
  return r ? *r : 0;
}

TEST(TimeUtilTest, FormatsIsoWithMillisecondsInUtc) {
  EXPECT_EQ(FormatIso(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso(kAnchor), "2026-11-21T07:17:21.000Z");
  EXPECT_EQ(FormatIso(kAnchor + 123), "2026-11-21T07:17:21.123Z");
  EXPECT_EQ(FormatIso(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso(253402300799999), "9999-12-31T23:59:59.999Z");
  // Outside four-digit years (never stored: inputs are checked) it still formats.
  EXPECT_EQ(FormatIso(253402300800000), "10000-01-01T00:00:00.000Z");
}

TEST(TimeUtilTest, ParsesUtcTimestamps) {
  auto r = ParseIso("2026-11-21T07:17:21Z", "at");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, kAnchor);
  // RFC 3339 allows a lower-case t/z and a space separator.
  EXPECT_EQ(ParseIso("2026-11-21t07:17:21z", "at").value(), kAnchor);
  EXPECT_EQ(ParseIso("2026-11-21 07:17:21Z", "at").value(), kAnchor);
}

TEST(TimeUtilTest, RoundTripsFormatAndParse) {
  for (TimestampMs ms : {TimestampMs{0}, TimestampMs{1}, TimestampMs{-1}, kAnchor, kAnchor + 999,
                         TimestampMs{-2'208'988'800'000} /* 1900-01-01 */,
                         TimestampMs{7'289'654'399'999} /* 2200-12-31T23:59:59.999 */}) {
    std::string text = FormatIso(ms);
    auto back = ParseIso(text, "t");
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, ms) << text;
  }
}

TEST(TimeUtilTest, ParsesOffsetTimestamps) {
  struct Case {
    const char* text;
    TimestampMs want;
  };
  const Case cases[] = {
      {"2026-11-21T12:47:21+05:30", kAnchor},
      {"2026-11-21T01:17:21-06:00", kAnchor},
      {"2026-11-21T07:17:21+00:00", kAnchor},
      {"2026-11-21T07:17:21-00:00", kAnchor},
      // The offset moves the instant across a date boundary.
      {"2026-11-20T23:17:21-08:00", kAnchor},
      {"2026-11-22T00:17:21+17:00", kAnchor},
  };
  for (const auto& c : cases) {
    auto r = ParseIso(c.text, "at");
    ASSERT_TRUE(r) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(TimeUtilTest, ParsesFractionalSeconds) {
  struct Case {
    const char* text;
    TimestampMs want;
  };
  const Case cases[] = {
      {"2026-11-21T07:17:21.5Z", kAnchor + 500},
      {"2026-11-21T07:17:21.05Z", kAnchor + 50},
      {"2026-11-21T07:17:21.123Z", kAnchor + 123},
      {"2026-11-21T07:17:21.123999Z", kAnchor + 123},  // truncated, not rounded
      {"2026-11-21T07:17:21.123456789Z", kAnchor + 123},
      {"2026-11-21T12:47:21.250+05:30", kAnchor + 250},
  };
  for (const auto& c : cases) {
    auto r = ParseIso(c.text, "at");
    ASSERT_TRUE(r) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(TimeUtilTest, RejectsMalformedTimestamps) {
  const char* cases[] = {
      "",
      "garbage",
      "2026-11-21",                      // a date, not an instant
      "2026-11-21T07:17:21",             // no zone
      "2026-11-21T07:17:21.123",         // no zone after a fraction
      "2026-02-30T00:00:00Z",            // no such day
      "2026-13-01T00:00:00Z",            // no such month
      "2026-11-21T24:00:00Z",            // hour 24
      "2026-11-21T07:60:00Z",            // minute 60
      "2026-11-21T07:17:61Z",            // second 61
      "2026-11-21T07:17:21Zjunk",        // trailing junk
      "2026-11-21T07:17:21+05:30x",      // trailing junk after an offset
      "2026-11-21T07:17:21+0530",        // offset without a colon
      "2026-11-21T07:17:21+5:30",        // one-digit offset hour
      "2026-11-21T07:17:21+24:00",       // offset out of range
      "2026-11-21T07:17:21.Z",           // empty fraction
      "2026-11-21T07:17:21.1234567891Z", // more than nanoseconds
      "2026-11-21X07:17:21Z",            // bad separator
      "2026-11-21T7:17:21Z",             // one-digit hour
      "2026-11-21T+7:17:21Z",            // sign in a number
      "1899-12-31T23:59:59Z",            // before the supported range
      " 2026-11-21T07:17:21Z",           // leading space
  };
  for (const char* text : cases) {
    auto r = ParseIso(text, "due_at");
    ASSERT_FALSE(r) << "accepted '" << text << "' as " << *r;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << text;
    EXPECT_EQ(r.error().field, "due_at") << text;
  }
}

TEST(TimeUtilTest, ValidatesCalendarDates) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"2026-11-21", true},  {"2024-02-29", true},  {"2000-02-29", true},   // leap years
      {"2026-02-29", false}, {"1900-02-29", false}, {"2100-02-29", false},  // not leap years
      {"2026-02-28", true},  {"2026-04-31", false}, {"2026-12-31", true},
      {"2026-13-01", false}, {"2026-00-10", false}, {"2026-01-00", false},
      {"1900-01-01", true},  {"2200-12-31", true},  {"1899-12-31", false},  // supported range
      {"2201-01-01", false}, {"2026-1-01", false},  {"2026-01-1", false},
      {"2026/01/01", false}, {"2026-01-01T", false}, {"", false},
      {"abcd-ef-gh", false}, {"+026-01-01", false}, {"2026-+1-01", false},
  };
  for (const auto& c : cases) {
    auto st = ValidateDate(c.text, "due_date");
    EXPECT_EQ(static_cast<bool>(st), c.ok) << c.text;
    if (!st) {
      EXPECT_EQ(st.error().field, "due_date") << c.text;
    }
  }
}

TEST(TimeUtilTest, ValidatesTimesOfDay) {
  struct Case {
    const char* text;
    bool ok;
  };
  const Case cases[] = {
      {"00:00", true},  {"09:30", true},   {"23:59", true},     {"24:00", false}, {"12:60", false},
      {"9:30", false},  {"09:30:00", false}, {"0930", false},   {"ab:cd", false}, {"+9:30", false},
      {"", false},      {"09-30", false},  {" 9:30", false},
  };
  for (const auto& c : cases) {
    auto st = ValidateTimeOfDay(c.text, "due_time");
    EXPECT_EQ(static_cast<bool>(st), c.ok) << c.text;
    if (!st) {
      EXPECT_EQ(st.error().field, "due_time") << c.text;
    }
  }
}

TEST(TimeUtilTest, KnowsIanaTimeZones) {
  EXPECT_TRUE(IsValidTimeZone("America/Chicago"));
  EXPECT_TRUE(IsValidTimeZone("America/New_York"));
  EXPECT_TRUE(IsValidTimeZone("Asia/Kolkata"));
  EXPECT_TRUE(IsValidTimeZone("UTC"));
  EXPECT_FALSE(IsValidTimeZone("Mars/Base"));
  EXPECT_FALSE(IsValidTimeZone(""));
  EXPECT_FALSE(IsValidTimeZone("America/Chicago "));
  EXPECT_FALSE(IsValidTimeZone("../../etc/passwd"));
  EXPECT_FALSE(IsValidTimeZone(std::string(100, 'A')));
}

TEST(TimeUtilTest, LocalTimeFollowsSpringForwardInNewYork) {
  // 2026-03-08 (a Sunday): 02:00 EST jumps to 03:00 EDT at 07:00Z.
  const char* ny = "America/New_York";
  TimestampMs before = Utc("2026-03-08T06:59:59Z");
  TimestampMs after = Utc("2026-03-08T07:00:00Z");
  EXPECT_EQ(LocalHour(before, ny), 1);
  EXPECT_EQ(LocalHour(after, ny), 3);
  EXPECT_EQ(LocalDate(before, ny), "2026-03-08");
  EXPECT_EQ(LocalWeekday(after, ny), 7);
  // Late evening local time is already the next UTC day.
  EXPECT_EQ(LocalDate(Utc("2026-03-08T04:59:00Z"), ny), "2026-03-07");  // 23:59 EST
  EXPECT_EQ(LocalWeekday(Utc("2026-03-08T04:59:00Z"), ny), 6);
  EXPECT_EQ(LocalDate(Utc("2026-03-09T03:59:00Z"), ny), "2026-03-08");  // 23:59 EDT
  EXPECT_EQ(LocalDate(Utc("2026-03-09T04:00:00Z"), ny), "2026-03-09");  // 00:00 EDT
  EXPECT_EQ(LocalWeekday(Utc("2026-03-09T04:00:00Z"), ny), 1);
}

TEST(TimeUtilTest, LocalTimeFollowsFallBackInNewYork) {
  // 2026-11-01 (a Sunday): 02:00 EDT falls back to 01:00 EST at 06:00Z, so
  // 01:30 happens twice.
  const char* ny = "America/New_York";
  TimestampMs first = Utc("2026-11-01T05:30:00Z");
  TimestampMs second = Utc("2026-11-01T06:30:00Z");
  EXPECT_EQ(LocalHour(first, ny), 1);
  EXPECT_EQ(LocalHour(second, ny), 1);
  EXPECT_EQ(LocalHour(Utc("2026-11-01T07:00:00Z"), ny), 2);
  EXPECT_EQ(LocalDate(second, ny), "2026-11-01");
  EXPECT_EQ(LocalWeekday(second, ny), 7);
  EXPECT_EQ(LocalDate(Utc("2026-11-02T04:59:00Z"), ny), "2026-11-01");  // 23:59 EST
  EXPECT_EQ(LocalDate(Utc("2026-11-02T05:00:00Z"), ny), "2026-11-02");
}

TEST(TimeUtilTest, LocalPartsAgreeWithTheSingleFieldFunctions) {
  const char* ny = "America/New_York";
  for (const char* at : {"2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-03-08T04:59:00Z",
                         "2026-11-01T06:30:00Z", "2026-11-02T04:59:00Z", "1969-12-31T23:59:59Z"}) {
    TimestampMs t = Utc(at);
    LocalParts p = LocalPartsOf(t, ny);
    EXPECT_EQ(p.hour, LocalHour(t, ny)) << at;
    EXPECT_EQ(p.weekday, LocalWeekday(t, ny)) << at;
    EXPECT_EQ(AddDays("1970-01-01", static_cast<int>(p.day)), LocalDate(t, ny)) << at;
  }
}

TEST(TimeUtilTest, LocalMidnightAccountsForDst) {
  const char* ny = "America/New_York";
  EXPECT_EQ(LocalMidnight("2026-03-08", ny), Utc("2026-03-08T05:00:00Z"));  // EST
  EXPECT_EQ(LocalMidnight("2026-03-09", ny), Utc("2026-03-09T04:00:00Z"));  // EDT
  EXPECT_EQ(LocalMidnight("2026-11-01", ny), Utc("2026-11-01T04:00:00Z"));  // EDT
  EXPECT_EQ(LocalMidnight("2026-11-02", ny), Utc("2026-11-02T05:00:00Z"));  // EST
  // The change days are 23 and 25 hours long.
  EXPECT_EQ(LocalMidnight("2026-03-09", ny) - LocalMidnight("2026-03-08", ny), 23 * kMsPerHour);
  EXPECT_EQ(LocalMidnight("2026-11-02", ny) - LocalMidnight("2026-11-01", ny), 25 * kMsPerHour);
  EXPECT_EQ(LocalMidnight("2026-11-21", "UTC"), Utc("2026-11-21T00:00:00Z"));
  EXPECT_EQ(LocalMidnight("2026-11-21", "Asia/Kolkata"), Utc("2026-11-20T18:30:00Z"));
}

TEST(TimeUtilTest, LocalMidnightOfADayWithoutMidnightIsItsFirstInstant) {
  // Sao Paulo started DST on 2018-11-04 at 00:00, jumping to 01:00.
  const char* sp = "America/Sao_Paulo";
  TimestampMs start = LocalMidnight("2018-11-04", sp);
  EXPECT_EQ(start, Utc("2018-11-04T03:00:00Z"));
  EXPECT_EQ(LocalDate(start, sp), "2018-11-04");
  EXPECT_EQ(LocalHour(start, sp), 1);
  EXPECT_EQ(LocalDate(start - 1, sp), "2018-11-03");
}

TEST(TimeUtilTest, UnknownZoneFallsBackToUtc) {
  TimestampMs t = Utc("2026-11-21T23:30:00Z");
  EXPECT_EQ(LocalDate(t, "Mars/Base"), "2026-11-21");
  EXPECT_EQ(LocalHour(t, "Mars/Base"), 23);
  EXPECT_EQ(LocalMidnight("2026-11-21", "Mars/Base"), Utc("2026-11-21T00:00:00Z"));
}

TEST(TimeUtilTest, AddsDaysAcrossMonthAndYearEnds) {
  struct Case {
    const char* date;
    int days;
    const char* want;
  };
  const Case cases[] = {
      {"2026-11-21", 0, "2026-11-21"},  {"2026-01-31", 1, "2026-02-01"},  {"2026-02-28", 1, "2026-03-01"},
      {"2024-02-28", 1, "2024-02-29"},  {"2024-02-29", 1, "2024-03-01"},  {"2026-12-31", 1, "2027-01-01"},
      {"2027-01-01", -1, "2026-12-31"}, {"2026-03-01", -1, "2026-02-28"}, {"2024-03-01", -1, "2024-02-29"},
      {"2026-01-01", 365, "2027-01-01"}, {"2024-01-01", 366, "2025-01-01"}, {"2026-03-08", 7, "2026-03-15"},
  };
  for (const auto& c : cases) EXPECT_EQ(AddDays(c.date, c.days), c.want) << c.date << " + " << c.days;
}

}  // namespace
}  // namespace chosen
