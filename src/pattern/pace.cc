#include "pattern/pace.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "pattern/energy.h"

namespace chosen::pattern {
namespace {

// The q-quantile of sorted `v` (linear interpolation between order statistics).
double Quantile(const std::vector<int>& v, double q) {
  if (v.empty()) return 0;
  double pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<std::size_t>(pos);
  std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

std::optional<json::object> FindPace(const CallsPerDayHour& days, int from, int to, const PaceOptions& o) {
  if (static_cast<int>(days.size()) < o.min_days) return std::nullopt;
  from = std::clamp(from, 1, 24);
  to = std::clamp(to, from, 24);
  json::array by_hour;
  std::vector<double> medians(25, 0.0);
  for (int h = from; h <= to; ++h) {
    std::vector<int> made;  // calls made before hour h, per day
    made.reserve(days.size());
    for (const auto& [day, hours] : days) {
      int n = 0;
      for (int k = 0; k < h; ++k) n += hours[static_cast<std::size_t>(k)];
      made.push_back(n);
    }
    std::sort(made.begin(), made.end());
    medians[static_cast<std::size_t>(h)] = Quantile(made, 0.5);
    by_hour.push_back(json::object{{"hour", h},
                                   {"median", Quantile(made, 0.5)},
                                   {"p25", Quantile(made, 0.25)},
                                   {"p75", Quantile(made, 0.75)}});
  }
  // The sentence names mid-morning and mid-afternoon when they are working
  // hours, else the middle and the end of the day.
  int a = from <= 11 && 11 <= to ? 11 : (from + to) / 2;
  int b = from <= 15 && 15 <= to ? 15 : to;
  auto calls = [&](int h) {
    long n = std::lround(medians[static_cast<std::size_t>(h)]);
    return fmt::format("{} call{}", n, n == 1 ? "" : "s");
  };
  std::string message =
      a == b ? fmt::format("On a working day you usually make {} by {} (the median of {} days you called).",
                           calls(a), HourName(a), days.size())
             : fmt::format("On a working day you usually make {} by {} and {} by {} (the median of {} days "
                           "you called).",
                           calls(a), HourName(a), calls(b), HourName(b), days.size());
  return json::object{{"type", "pace"},
                      {"metric", "calls"},
                      {"days", static_cast<std::int64_t>(days.size())},
                      {"message", message},
                      {"by_hour", std::move(by_hour)},
                      {"evidence",
                       json::object{{"days", static_cast<std::int64_t>(days.size())},
                                    {"method",
                                     "for each hour, the calls made before it on each working day with at least one "
                                     "call, in your time zone: median and quartiles across those days"}}}};
}

}  // namespace chosen::pattern
