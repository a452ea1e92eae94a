#include "common/time_util.h"

#include <charconv>
#include <chrono>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace chosen {
namespace {

using std::chrono::milliseconds;
using SysMs = date::sys_time<milliseconds>;

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Parses "YYYY-MM-DD" (any four-digit year) into a valid year_month_day.
std::optional<date::year_month_day> ParseAnyYmd(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) || !ParseInt(s.substr(8, 2), d))
    return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// As ParseAnyYmd, for the years input may name: 1900 to 2200.
std::optional<date::year_month_day> ParseYmd(std::string_view s) {
  auto ymd = ParseAnyYmd(s);
  if (!ymd || static_cast<int>(ymd->year()) < 1900 || static_cast<int>(ymd->year()) > 2200) return std::nullopt;
  return ymd;
}

const date::time_zone* Zone(std::string_view tz) {
  try {
    return date::locate_zone(tz);
  } catch (const std::exception&) {
    return date::locate_zone("UTC");
  }
}

date::local_time<milliseconds> ToLocal(TimestampMs ms, std::string_view tz) {
  return Zone(tz)->to_local(SysMs{milliseconds{ms}});
}

}  // namespace

std::string FormatIso(TimestampMs ms) {
  SysMs tp{milliseconds{ms}};
  auto day = date::floor<date::days>(tp);
  date::year_month_day ymd{day};
  date::hh_mm_ss<milliseconds> hms{tp - day};
  int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999)
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count(), hms.subseconds().count());
  // Every list row carries two or three instants: digits by hand, not fmt's
  // format-string interpreter (it was 13% of GET /api/tasks).
  char out[] = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t at, std::size_t width, long long v) {
    for (std::size_t i = width; i-- > 0; v /= 10) out[at + i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, hms.hours().count());
  put(14, 2, hms.minutes().count());
  put(17, 2, hms.seconds().count());
  put(20, 3, hms.subseconds().count());
  return std::string(out, sizeof out - 1);
}

Result<TimestampMs> ParseIso(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return Error::Invalid(fmt::format("{} must be an RFC 3339 timestamp like 2026-11-21T14:30:00Z", field),
                          std::string(field));
  };
  if (s.size() < 20) return bad();
  auto ymd = ParseYmd(s.substr(0, 10));
  if (!ymd || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return bad();
  int hh = 0, mm = 0, ss = 0;
  if (!ParseInt(s.substr(11, 2), hh) || !ParseInt(s.substr(14, 2), mm) || !ParseInt(s.substr(17, 2), ss))
    return bad();
  if (hh > 23 || mm > 59 || ss > 60) return bad();
  std::size_t i = 19;
  int frac_ms = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 9) return bad();
    for (int k = digits; k < 3; ++k) frac_ms *= 10;
  }
  int offset_min = 0;
  if (i >= s.size()) return bad();
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (s.size() - i != 6 || s[i + 3] != ':' || !ParseInt(s.substr(i + 1, 2), oh) ||
        !ParseInt(s.substr(i + 4, 2), om) || oh > 23 || om > 59)
      return bad();
    offset_min = sign * (oh * 60 + om);
    i += 6;
  } else {
    return bad();
  }
  if (i != s.size()) return bad();
  auto days = date::sys_days{*ymd}.time_since_epoch();
  TimestampMs ms = std::chrono::duration_cast<milliseconds>(days).count() + hh * kMsPerHour + mm * kMsPerMinute +
                   ss * 1000LL + frac_ms - offset_min * kMsPerMinute;
  return ms;
}

Status ValidateDate(std::string_view s, std::string_view field) {
  if (!ParseYmd(s))
    return Error::Invalid(fmt::format("{} must be a date like 2026-11-21", field), std::string(field));
  return {};
}

Status ValidateTimeOfDay(std::string_view s, std::string_view field) {
  int h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || !ParseInt(s.substr(0, 2), h) || !ParseInt(s.substr(3, 2), m) || h > 23 ||
      m > 59)
    return Error::Invalid(fmt::format("{} must be a time of day like 09:30", field), std::string(field));
  return {};
}

bool IsValidTimeZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::string LocalDate(TimestampMs ms, std::string_view tz) {
  auto local = ToLocal(ms, tz);
  date::year_month_day ymd{date::floor<date::days>(local)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

int LocalHour(TimestampMs ms, std::string_view tz) {
  auto local = ToLocal(ms, tz);
  return static_cast<int>(date::floor<std::chrono::hours>(local - date::floor<date::days>(local)).count());
}

int LocalWeekday(TimestampMs ms, std::string_view tz) {
  auto local = ToLocal(ms, tz);
  return static_cast<int>(date::weekday{date::floor<date::days>(local)}.iso_encoding());
}

LocalParts LocalPartsOf(TimestampMs ms, std::string_view tz) {
  auto local = ToLocal(ms, tz);
  auto day = date::floor<date::days>(local);
  return {day.time_since_epoch().count(),
          static_cast<int>(date::floor<std::chrono::hours>(local - day).count()),
          static_cast<int>(date::weekday{day}.iso_encoding())};
}

TimestampMs LocalMidnight(std::string_view d, std::string_view tz) { return LocalTimeOn(d, 0, tz); }

TimestampMs LocalTimeOn(std::string_view d, int minutes, std::string_view tz) {
  auto ymd = ParseYmd(d);
  if (!ymd) return 0;
  date::local_time<std::chrono::minutes> lt{date::local_days{*ymd} + std::chrono::minutes{minutes}};
  auto sys = Zone(tz)->to_sys(lt, date::choose::earliest);
  return std::chrono::duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

std::string AddDays(std::string_view d, int days) {
  // Any year: arithmetic near the edges of the input range (a week that
  // starts on 2200-12-29) must still move.
  auto ymd = ParseAnyYmd(d);
  if (!ymd) return std::string(d);
  date::year_month_day out{date::sys_days{*ymd} + date::days{days}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(out.year()), static_cast<unsigned>(out.month()),
                     static_cast<unsigned>(out.day()));
}

}  // namespace chosen
