#include "pattern/energy.h"

#include <cmath>

#include <fmt/format.h>

namespace chosen::pattern {

namespace {

Proportion Sum(const CallsByHour& calls, int from, int to) {
  Proportion p;
  for (int h = from; h < to; ++h) {
    p.successes += calls[static_cast<std::size_t>(h)].successes;
    p.trials += calls[static_cast<std::size_t>(h)].trials;
  }
  return p;
}

}  // namespace

json::object ConversionSide(const Proportion& p) {
  return json::object{{"calls", p.trials}, {"converted", p.successes}, {"rate", Round(p.rate())}};
}

std::string HourName(int hour) {
  int h12 = hour % 12 == 0 ? 12 : hour % 12;
  return fmt::format("{} {}", h12, hour < 12 ? "AM" : "PM");
}

std::optional<EnergyDrop> FindEnergyDrop(const CallsByHour& calls, const EnergyOptions& options) {
  std::vector<int> tested;
  std::vector<double> p_values;
  for (int h = options.first_split; h <= options.last_split; ++h) {
    Proportion before = Sum(calls, 0, h), after = Sum(calls, h, 24);
    if (before.trials < options.min_calls_side || after.trials < options.min_calls_side) continue;
    tested.push_back(h);
    p_values.push_back(TwoProportionPValue(before, after));
  }
  if (tested.empty()) return std::nullopt;
  std::vector<double> q = BenjaminiHochberg(p_values);

  int best = -1;
  for (std::size_t i = 0; i < tested.size(); ++i) {
    Proportion before = Sum(calls, 0, tested[i]), after = Sum(calls, tested[i], 24);
    double diff = before.rate() - after.rate();
    if (q[i] > options.fdr || diff < options.min_difference || before.rate() <= 0 ||
        diff / before.rate() < options.min_relative_drop || NewcombeDifference(before, after).low <= 0)
      continue;
    if (best < 0 || q[i] < q[static_cast<std::size_t>(best)]) best = static_cast<int>(i);
  }
  if (best < 0) return std::nullopt;

  const auto i = static_cast<std::size_t>(best);
  const int h = tested[i];
  Proportion before = Sum(calls, 0, h), after = Sum(calls, h, 24);
  Interval ci = NewcombeDifference(before, after);
  json::array by_hour;
  for (int hour = 0; hour < 24; ++hour) {
    const Proportion& p = calls[static_cast<std::size_t>(hour)];
    if (p.trials > 0)
      by_hour.push_back(json::object{{"hour", hour}, {"calls", p.trials}, {"converted", p.successes},
                                     {"rate", Round(p.rate())}});
  }
  EnergyDrop out;
  out.split_hour = h;
  out.json = json::object{
      {"type", "energy_drop"},
      {"metric", "conversion_rate"},
      {"split_hour", h},
      {"message", fmt::format("Your conversion drops after {}: {:.0f}% of your calls set an appointment or take an "
                              "application before then, {:.0f}% after ({} and {} calls). Put your most important "
                              "calls earlier, or take a break before the late stretch.",
                              HourName(h), before.rate() * 100, after.rate() * 100, before.trials, after.trials)},
      {"evidence",
       json::object{{"before", ConversionSide(before)},
                    {"after", ConversionSide(after)},
                    {"difference", Round(before.rate() - after.rate())},
                    {"ci95", json::array{Round(ci.low), Round(ci.high)}},
                    {"p_value", p_values[i]},
                    {"q_value", q[i]},
                    {"tests", static_cast<std::int64_t>(tested.size())},
                    {"fdr", options.fdr},
                    {"method",
                     "calls before each candidate hour against calls from it on: two-proportion z-test; "
                     "Benjamini-Hochberg across the hours tested; 95% interval of the difference by Newcombe's "
                     "score method"}}},
      {"by_hour", std::move(by_hour)}};
  return out;
}

}  // namespace chosen::pattern
