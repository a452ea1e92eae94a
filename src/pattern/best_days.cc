#include "pattern/best_days.h"

#include <cmath>

#include <fmt/format.h>

namespace chosen::pattern {

namespace {

std::string Percent(double r) { return fmt::format("{:.0f}%", r * 100); }

// "Tuesdays", "Tuesdays and Thursdays", "Mondays, Tuesdays and Thursdays".
std::string DayList(const std::vector<int>& days) {
  std::string out;
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i) out += i + 1 == days.size() ? " and " : ", ";
    out += WeekdayName(days[i]);
    if (days.size() > 1) out += 's';  // "Tuesdays and Thursdays", but "Thursday"
  }
  return out;
}

}  // namespace

const char* WeekdayName(int d) {
  static const char* kNames[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return d >= 1 && d <= 7 ? kNames[d] : "";
}

std::optional<BestDays> FindBestDays(const CallsByWeekday& calls, const BestDaysOptions& options) {
  Proportion total;
  for (int d = 1; d <= 7; ++d) {
    total.successes += calls[d].successes;
    total.trials += calls[d].trials;
  }
  // One test per weekday with enough data on both sides.
  std::vector<int> tested;
  std::vector<double> p_values;
  for (int d = 1; d <= 7; ++d) {
    Proportion other{total.successes - calls[d].successes, total.trials - calls[d].trials};
    if (calls[d].trials < options.min_calls_per_day || other.trials < options.min_calls_other) continue;
    tested.push_back(d);
    p_values.push_back(TwoProportionPValue(calls[d], other));
  }
  if (tested.empty()) return std::nullopt;
  std::vector<double> q = BenjaminiHochberg(p_values);

  BestDays out;
  json::array comparisons;
  for (std::size_t i = 0; i < tested.size(); ++i) {
    int d = tested[i];
    Proportion other{total.successes - calls[d].successes, total.trials - calls[d].trials};
    double diff = calls[d].rate() - other.rate();
    Interval ci = NewcombeDifference(calls[d], other);
    if (q[i] > options.fdr || diff < options.min_difference || ci.low <= 0) continue;
    out.days.push_back(d);
    comparisons.push_back(json::object{{"weekday", WeekdayName(d)},
                                       {"rate", Round(calls[d].rate(), 4)},
                                       {"calls", calls[d].trials},
                                       {"answered", calls[d].successes},
                                       {"rate_other", Round(other.rate(), 4)},
                                       {"calls_other", other.trials},
                                       {"difference", Round(diff, 4)},
                                       {"ci95", json::array{Round(ci.low, 4), Round(ci.high, 4)}},
                                       {"p_value", p_values[i]},
                                       {"q_value", q[i]}});
  }
  if (out.days.empty()) return std::nullopt;

  // The sentence compares the best days pooled with the rest pooled.
  Proportion best, rest;
  for (int d = 1; d <= 7; ++d) {
    bool is_best = std::find(out.days.begin(), out.days.end(), d) != out.days.end();
    Proportion& into = is_best ? best : rest;
    into.successes += calls[d].successes;
    into.trials += calls[d].trials;
  }
  json::array by_weekday;
  for (int d = 1; d <= 7; ++d)
    by_weekday.push_back(json::object{{"weekday", WeekdayName(d)},
                                      {"calls", calls[d].trials},
                                      {"answered", calls[d].successes},
                                      {"rate", Round(calls[d].rate(), 4)},
                                      {"shrunk_rate", Round(Shrink(calls[d], total.rate(), options.shrink_strength), 4)}});
  json::array names;
  for (int d : out.days) names.push_back(json::string(WeekdayName(d)));
  out.json = json::object{
      {"type", "best_days"},
      {"metric", "answer_rate"},
      {"days", std::move(names)},
      {"message", fmt::format("Your best {} {}: your calls are answered {} of the time then, versus {} on "
                              "other days ({} and {} calls).",
                              out.days.size() == 1 ? "day is" : "days are", DayList(out.days), Percent(best.rate()),
                              Percent(rest.rate()), best.trials, rest.trials)},
      {"evidence",
       json::object{{"comparisons", std::move(comparisons)},
                    {"tests", static_cast<std::int64_t>(tested.size())},
                    {"fdr", options.fdr},
                    {"method",
                     "each weekday's answer rate against all other days: two-proportion z-test; Benjamini-Hochberg "
                     "across the weekdays tested; 95% interval of the difference by Newcombe's score method"}}},
      {"by_weekday", std::move(by_weekday)}};
  return out;
}

}  // namespace chosen::pattern
