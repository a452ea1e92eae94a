// The accountability hub's periods as local calendar dates: a day, a week
// (Monday to Sunday), a month, and a 90-day cycle: 13 weeks (91 days) from a
// Monday, back to back from Monday 2024-01-01, so every cycle starts on a
// Monday and has the same length, and a quarterly review closes each (they
// drift from calendar quarters by a day or so a year). Pure functions;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chosen::hub {

enum class Period { kDay, kWeek, kMonth, kCycle };

// "day", "week", "month", "cycle"; nullopt for anything else.
std::optional<Period> ParsePeriod(std::string_view text);
const char* PeriodName(Period p);

// The period containing `date` ("YYYY-MM-DD", valid): its first day and the
// day after its last, both "YYYY-MM-DD".
struct DateRange {
  std::string from, to;  // [from, to)
};
DateRange PeriodOf(Period period, std::string_view date);

// ISO weekday (1 = Monday .. 7 = Sunday) of a valid "YYYY-MM-DD".
int WeekdayOf(std::string_view date);

// Whether `date` is one of `work_days` (ISO weekdays, e.g. "1,2,3,4,5").
bool IsWorkingDay(std::string_view work_days, std::string_view date);

// "November" for a valid "YYYY-MM-DD" (or "YYYY-MM") in November.
const char* MonthName(std::string_view date);

// Days from valid date `from` to `to` (negative when `to` is earlier).
long DaysBetween(std::string_view from, std::string_view to);

}  // namespace chosen::hub
