#include "hub/periods.h"

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::hub {
namespace {

int Year(std::string_view d) { return std::stoi(std::string(d.substr(0, 4))); }
int Month(std::string_view d) { return std::stoi(std::string(d.substr(5, 2))); }

std::string FirstOfMonth(int year, int month) { return fmt::format("{:04}-{:02}-01", year, month); }

// Days from 1970-01-01 to a civil date (Howard Hinnant's days_from_civil).
long DaysOf(std::string_view date) {
  int y = Year(date);
  const unsigned m = static_cast<unsigned>(Month(date)), d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

constexpr std::string_view kCycleAnchor = "2024-01-01";  // a Monday
constexpr int kCycleDays = 91;

}  // namespace

std::optional<Period> ParsePeriod(std::string_view text) {
  if (text == "day") return Period::kDay;
  if (text == "week") return Period::kWeek;
  if (text == "month") return Period::kMonth;
  if (text == "cycle") return Period::kCycle;
  return std::nullopt;
}

const char* PeriodName(Period p) {
  switch (p) {
    case Period::kDay: return "day";
    case Period::kWeek: return "week";
    case Period::kMonth: return "month";
    case Period::kCycle: return "cycle";
  }
  return "";
}

long DaysBetween(std::string_view from, std::string_view to) { return DaysOf(to) - DaysOf(from); }

int WeekdayOf(std::string_view date) {
  // Sakamoto's method: 0 = Sunday.
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int y = Year(date), m = Month(date), d = std::stoi(std::string(date.substr(8, 2)));
  if (m < 3) --y;
  const int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
  return w == 0 ? 7 : w;
}

DateRange PeriodOf(Period period, std::string_view date) {
  const std::string d(date);
  switch (period) {
    case Period::kDay: return {d, AddDays(d, 1)};
    case Period::kWeek: {
      const std::string monday = AddDays(d, 1 - WeekdayOf(d));
      return {monday, AddDays(monday, 7)};
    }
    case Period::kMonth: {
      const int y = Year(d), m = Month(d);
      return {FirstOfMonth(y, m), m == 12 ? FirstOfMonth(y + 1, 1) : FirstOfMonth(y, m + 1)};
    }
    case Period::kCycle: {
      const long since = DaysOf(d) - DaysOf(kCycleAnchor);
      const long k = since >= 0 ? since / kCycleDays : -((-since + kCycleDays - 1) / kCycleDays);
      const std::string start = AddDays(kCycleAnchor, static_cast<int>(k * kCycleDays));
      return {start, AddDays(start, kCycleDays)};
    }
  }
  return {d, AddDays(d, 1)};
}

bool IsWorkingDay(std::string_view work_days, std::string_view date) {
  return work_days.find(static_cast<char>('0' + WeekdayOf(date))) != std::string_view::npos;
}

const char* MonthName(std::string_view date) {
  static const char* const kNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
  return kNames[(date[5] - '0') * 10 + (date[6] - '0') - 1];
}

}  // namespace chosen::hub
