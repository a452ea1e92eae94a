// Instants, calendar dates and time zones. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace chosen {

constexpr TimestampMs kMsPerMinute = 60'000;
constexpr TimestampMs kMsPerHour = 3'600'000;
constexpr TimestampMs kMsPerDay = 86'400'000;

// "2026-11-21T07:17:21.123Z".
std::string FormatIso(TimestampMs ms);

// Parses RFC 3339 ("2026-11-21T07:17:21Z", fractional seconds and a numeric
// offset allowed). Returns kInvalidArgument naming `field` otherwise.
Result<TimestampMs> ParseIso(std::string_view text, std::string_view field);

// Validates a calendar date "YYYY-MM-DD" (a real date, years 1900-2200).
Status ValidateDate(std::string_view text, std::string_view field);

// Validates a time of day "HH:MM" (00:00-23:59).
Status ValidateTimeOfDay(std::string_view text, std::string_view field);

// True when `name` is an IANA time zone known to the system tz database.
bool IsValidTimeZone(std::string_view name);

// The calendar date ("YYYY-MM-DD") of `ms` in time zone `tz` (which must be
// valid; "UTC" on failure).
std::string LocalDate(TimestampMs ms, std::string_view tz);

// Local wall-clock hour (0-23) and ISO weekday (1=Mon..7=Sun) of `ms` in `tz`.
int LocalHour(TimestampMs ms, std::string_view tz);
int LocalWeekday(TimestampMs ms, std::string_view tz);

// All three from one time-zone conversion: the local day (days since
// 1970-01-01 in `tz`), hour (0-23) and ISO weekday (1=Mon..7=Sun).
struct LocalParts {
  std::int64_t day = 0;
  int hour = 0;
  int weekday = 1;
};
LocalParts LocalPartsOf(TimestampMs ms, std::string_view tz);

// The UTC instant of local midnight starting `date` ("YYYY-MM-DD") in `tz`.
TimestampMs LocalMidnight(std::string_view date, std::string_view tz);

// The UTC instant `minutes` after local midnight of `date` on the wall clock
// of `tz`: where a daylight-saving change skips that time, the instant the
// clock jumps; where it repeats, the first of the two. 0 for a bad date.
TimestampMs LocalTimeOn(std::string_view date, int minutes, std::string_view tz);

// Adds `days` to a "YYYY-MM-DD" date.
std::string AddDays(std::string_view date, int days);

}  // namespace chosen
