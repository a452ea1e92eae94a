// "Your best days are Tuesdays and Thursdays": which weekdays an officer's
// calls reach people (are answered) more often than on their other days,
// with the evidence behind the claim, or nothing when the data do not
// support one.
#pragma once

#include <array>
#include <utility>
#include <optional>
#include <string>

#include "common/json_util.h"
#include "pattern/stats.h"

namespace chosen::pattern {

struct BestDaysOptions {
  std::int64_t min_calls_per_day = 40;    // a weekday with fewer calls is not tested
  std::int64_t min_calls_other = 40;      // nor one whose other days have fewer
  double fdr = 0.05;                      // Benjamini-Hochberg across the weekdays tested
  double min_difference = 0.03;           // and at least 3 points better, to be worth saying
  double shrink_strength = 20;            // pseudo-calls toward the officer's rate, for display
};

// Calls and answered calls per ISO weekday (index 1 = Monday .. 7 = Sunday;
// index 0 unused), in the officer's time zone.
using CallsByWeekday = std::array<Proportion, 8>;

// What a weekday is best at: reaching people (answered, or an outcome that
// needed an answer), setting appointments (appointment_set or
// application_taken) or taking applications (application_taken).
enum class DayMetric { kAnswer, kAppointment, kApplication };

struct BestDays {
  DayMetric metric = DayMetric::kAnswer;
  std::vector<int> days;  // ISO weekdays found better than the rest, ascending
  json::object ToJson() const { return json; }
  json::object json;      // the finding with its evidence (see FindBestDays)
};

// Tests each weekday with enough calls against all the officer's other
// calls (two-proportion z-test), controls the false discovery rate across
// the weekdays tested, and keeps those significantly and materially better.
// Returns nullopt when none is (silence, not a guess). The JSON: type,
// metric, days (names), message, evidence {comparisons: per day found: rate,
// calls, answered, rate_other, calls_other, difference, ci95 (Newcombe),
// p_value, q_value; tests, fdr, method}, by_weekday (all seven: calls,
// answered, rate, shrunk_rate). Pure.
std::optional<BestDays> FindBestDays(const CallsByWeekday& calls, const BestDaysOptions& options = {});

// The same for several metrics at once (each CallsByWeekday counting its
// own successes), with Benjamini-Hochberg across every weekday of every
// metric: one finding per metric with a better day. The answer metric's JSON
// names its successes "answered" (as FindBestDays), the others
// "appointments" and "applications"; its message names what the days are
// best for.
std::vector<BestDays> FindBestDaysByMetric(const std::vector<std::pair<DayMetric, CallsByWeekday>>& counts,
                                           const BestDaysOptions& options = {});

// "Monday".."Sunday" for 1..7.
const char* WeekdayName(int iso_weekday);

}  // namespace chosen::pattern
