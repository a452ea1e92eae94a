#include "pattern/best_days.h"

#include <algorithm>
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

namespace {

struct MetricWords {
  const char* key;      // "answer_rate"
  const char* counted;  // the JSON name of the successes where it is not "successes" alone
  const char* purpose;  // what the days are best for ("" for reaching people: the plain "best days")
  const char* rate;     // "your calls are answered {} of the time then"
  const char* test;     // what was compared
};

const MetricWords& WordsOf(DayMetric m) {
  static const MetricWords kWords[] = {
      {"answer_rate", "answered", "", "your calls are answered {} of the time then",
       "each weekday's answer rate"},
      {"appointment_rate", "appointments", " for setting appointments",
       "{} of your calls set an appointment (or took an application) then",
       "each weekday's share of calls that set an appointment or took an application"},
      {"application_rate", "applications", " for taking applications",
       "{} of your calls took an application then", "each weekday's share of calls that took an application"},
  };
  return kWords[static_cast<int>(m)];
}

struct DayTest {
  int day = 0;
  double p = 1, q = 1;
};

Proportion Total(const CallsByWeekday& calls) {
  Proportion total;
  for (int d = 1; d <= 7; ++d) {
    total.successes += calls[d].successes;
    total.trials += calls[d].trials;
  }
  return total;
}

// One test per weekday with enough data on both sides.
std::vector<DayTest> Tests(const CallsByWeekday& calls, const BestDaysOptions& options) {
  const Proportion total = Total(calls);
  std::vector<DayTest> out;
  for (int d = 1; d <= 7; ++d) {
    Proportion other{total.successes - calls[d].successes, total.trials - calls[d].trials};
    if (calls[d].trials < options.min_calls_per_day || other.trials < options.min_calls_other) continue;
    out.push_back({d, TwoProportionPValue(calls[d], other), 1});
  }
  return out;
}

std::optional<BestDays> Build(DayMetric metric, const CallsByWeekday& calls, const std::vector<DayTest>& tests,
                              std::size_t all_tests, std::size_t metrics, const BestDaysOptions& options) {
  const MetricWords& words = WordsOf(metric);
  const Proportion total = Total(calls);
  BestDays out;
  json::array comparisons;
  for (const auto& t : tests) {
    const int d = t.day;
    Proportion other{total.successes - calls[d].successes, total.trials - calls[d].trials};
    double diff = calls[d].rate() - other.rate();
    Interval ci = NewcombeDifference(calls[d], other);
    if (t.q > options.fdr || diff < options.min_difference || ci.low <= 0) continue;
    out.days.push_back(d);
    comparisons.push_back(json::object{{"weekday", WeekdayName(d)},
                                       {"rate", Round(calls[d].rate(), 4)},
                                       {"calls", calls[d].trials},
                                       {words.counted, calls[d].successes},
                                       {"rate_other", Round(other.rate(), 4)},
                                       {"calls_other", other.trials},
                                       {"difference", Round(diff, 4)},
                                       {"ci95", json::array{Round(ci.low, 4), Round(ci.high, 4)}},
                                       {"p_value", t.p},
                                       {"q_value", t.q}});
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
                                      {words.counted, calls[d].successes},
                                      {"rate", Round(calls[d].rate(), 4)},
                                      {"shrunk_rate", Round(Shrink(calls[d], total.rate(), options.shrink_strength), 4)}});
  json::array names;
  for (int d : out.days) names.push_back(json::string(WeekdayName(d)));
  const bool one = out.days.size() == 1;
  const std::string head =
      fmt::format("Your best {}{} {} {}", one ? "day" : "days", words.purpose, one ? "is" : "are", DayList(out.days));
  out.json = json::object{
      {"type", "best_days"},
      {"metric", words.key},
      {"days", std::move(names)},
      {"message", fmt::format("{}: {}, versus {} on other days ({} and {} calls).", head,
                              fmt::format(fmt::runtime(words.rate), Percent(best.rate())), Percent(rest.rate()),
                              best.trials, rest.trials)},
      {"evidence",
       json::object{{"comparisons", std::move(comparisons)},
                    {"tests", static_cast<std::int64_t>(all_tests)},
                    {"metrics_tested", static_cast<std::int64_t>(metrics)},
                    {"fdr", options.fdr},
                    {"method", fmt::format("{} against all other days: two-proportion z-test; Benjamini-Hochberg "
                                           "across the {} tested; 95% interval of the difference by Newcombe's "
                                           "score method",
                                           words.test, all_tests == tests.size() ? "weekdays" : "weekdays and metrics")}}},
      {"by_weekday", std::move(by_weekday)}};
  return out;
}

}  // namespace

std::vector<BestDays> FindBestDaysByMetric(const std::vector<std::pair<DayMetric, CallsByWeekday>>& counts,
                                           const BestDaysOptions& options) {
  std::vector<std::vector<DayTest>> tests;
  std::vector<double> p;
  for (const auto& [metric, calls] : counts) {
    tests.push_back(Tests(calls, options));
    for (const auto& t : tests.back()) p.push_back(t.p);
  }
  const auto q = BenjaminiHochberg(p);
  std::size_t next = 0;
  for (auto& per_metric : tests)
    for (auto& t : per_metric) t.q = q[next++];
  std::vector<BestDays> out;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (auto found = Build(counts[i].first, counts[i].second, tests[i], p.size(), counts.size(), options)) {
      found->metric = counts[i].first;
      out.push_back(std::move(*found));
    }
  return out;
}

std::optional<BestDays> FindBestDays(const CallsByWeekday& calls, const BestDaysOptions& options) {
  auto found = FindBestDaysByMetric({{DayMetric::kAnswer, calls}}, options);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

}  // namespace chosen::pattern
