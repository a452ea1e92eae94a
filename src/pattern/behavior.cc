#include "pattern/behavior.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "pattern/energy.h"

namespace chosen::pattern {
namespace {

// "video posts" for "video_post".
std::string Plural(const std::string& kind) {
  std::string s = kind;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s + "s";
}

}  // namespace

std::vector<json::object> FindBehaviorLinks(std::vector<CallOutcome> calls,
                                            std::map<std::string, std::vector<TimestampMs>> posts,
                                            const BehaviorOptions& o) {
  struct Test {
    std::string kind;
    Proportion after, otherwise;
    std::size_t posts = 0;
  };
  std::vector<Test> tests;
  for (auto& [kind, at] : posts) {
    if (static_cast<std::int64_t>(at.size()) < o.min_posts) continue;
    std::sort(at.begin(), at.end());
    Test t{kind, {}, {}, at.size()};
    for (const CallOutcome& c : calls) {
      // The latest post at or before the call.
      auto it = std::upper_bound(at.begin(), at.end(), c.at);
      bool after = it != at.begin() && c.at - *std::prev(it) <= o.window;
      Proportion& side = after ? t.after : t.otherwise;
      ++side.trials;
      side.successes += c.converted;
    }
    if (t.after.trials < o.min_calls_side || t.otherwise.trials < o.min_calls_side) continue;
    tests.push_back(std::move(t));
  }
  std::vector<json::object> out;
  if (tests.empty()) return out;
  std::vector<double> p;
  for (const Test& t : tests) p.push_back(TwoProportionPValue(t.after, t.otherwise));
  std::vector<double> q = BenjaminiHochberg(p);
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const Test& t = tests[i];
    double diff = t.after.rate() - t.otherwise.rate();
    Interval ci = NewcombeDifference(t.after, t.otherwise);
    if (q[i] > o.fdr || diff < o.min_difference || t.otherwise.rate() <= 0 ||
        diff / t.otherwise.rate() < o.min_relative_lift || ci.low <= 0)
      continue;
    double lift = diff / t.otherwise.rate();
    out.push_back(json::object{
        {"type", "behavior_link"},
        {"metric", "conversion_rate"},
        {"activity", t.kind},
        {"message",
         fmt::format("You convert {:.0f}% better in the {} days after {}: {:.1f}% of your calls then set an "
                     "appointment or take an application, versus {:.1f}% otherwise ({} and {} calls).",
                     100 * lift, o.window / (24 * 3600 * 1000LL), Plural(t.kind), 100 * t.after.rate(),
                     100 * t.otherwise.rate(), t.after.trials, t.otherwise.trials)},
        {"evidence",
         json::object{{"after", ConversionSide(t.after)},
                      {"otherwise", ConversionSide(t.otherwise)},
                      {"difference", Round(diff)},
                      {"relative_lift", Round(lift)},
                      {"ci95", json::array{Round(ci.low), Round(ci.high)}},
                      {"p_value", p[i]},
                      {"q_value", q[i]},
                      {"posts", static_cast<std::int64_t>(t.posts)},
                      {"window_hours", o.window / (3600 * 1000LL)},
                      {"tests", static_cast<std::int64_t>(tests.size())},
                      {"fdr", o.fdr},
                      {"method",
                       "calls within the window after a post of this kind against all other calls: two-proportion "
                       "z-test; Benjamini-Hochberg across the kinds of post tested; 95% interval of the difference "
                       "by Newcombe's score method. An association in your own history, not proof of cause."}}}});
  }
  return out;
}

}  // namespace chosen::pattern
