#include "pattern/best_time.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::pattern {
namespace {

Proportion Total(const std::array<Proportion, 24>& a) {
  Proportion t;
  for (const auto& p : a) {
    t.trials += p.trials;
    t.successes += p.successes;
  }
  return t;
}

}  // namespace

json::object FindBestTime(const BestTimeInput& in, std::string_view name, const BestTimeOptions& o) {
  const Proportion org_total = Total(in.org), officer_total = Total(in.officer), contact_total = Total(in.contact);
  // Each level's rate at an hour is pulled toward the level above: the org's
  // hour toward its overall rate, the officer's hour toward the org's hour,
  // the contact's hour toward the officer's.
  auto org_rate = [&](int h) { return Shrink(in.org[h], org_total.rate(), o.org_strength); };
  auto officer_rate = [&](int h) { return Shrink(in.officer[h], org_rate(h), o.officer_strength); };

  struct Ranked {
    CallSlot slot;
    double rate = 0;
    Interval ci;
  };
  // Without enough calls in the whole org there is nothing to shrink toward:
  // an hour is then only what the contact's own calls say, or unknown.
  const bool have_prior = org_total.trials >= o.min_prior_calls;
  std::vector<Ranked> ranked;
  double weighted = 0, weight = 0;  // the contact's average over the allowed hours with an estimate
  for (const CallSlot& s : in.slots) {
    const Proportion& c = in.contact[s.contact_hour];
    Ranked r{s, std::nan(""), {}};
    if (have_prior) {
      r.rate = Shrink(c, officer_rate(s.officer_hour), o.contact_strength);
      // Wilson on the shrunk counts: the prior's pseudo-calls count as data.
      double n = static_cast<double>(c.trials) + o.contact_strength;
      r.ci = WilsonInterval({static_cast<std::int64_t>(std::lround(r.rate * n)), static_cast<std::int64_t>(std::lround(n))});
    } else if (c.trials > 0) {
      r.rate = c.rate();
      r.ci = WilsonInterval(c);
    }
    if (!std::isnan(r.rate)) {
      weighted += r.rate;
      weight += 1;
    }
    ranked.push_back(r);
  }
  // Best first; hours without an estimate last, in time order.
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (std::isnan(a.rate) || std::isnan(b.rate)) return !std::isnan(a.rate) && std::isnan(b.rate);
    return a.rate > b.rate;
  });
  const double average = weight > 0 ? weighted / weight : 0;

  // What the best window stands on, and whether it may be claimed.
  std::string basis = "none";
  bool claim = false;
  if (!ranked.empty() && !std::isnan(ranked.front().rate)) {
    const Ranked& best = ranked.front();
    if (contact_total.trials >= o.min_contact_calls) {
      basis = "contact";
      claim = best.ci.low > average && in.contact[best.slot.contact_hour].successes > 0;
    } else if (in.officer[best.slot.officer_hour].trials >= o.min_officer_calls) {
      basis = "officer";
      Interval officer_ci = WilsonInterval(in.officer[best.slot.officer_hour]);
      claim = officer_ci.low > officer_total.rate();
    }
  }

  json::array windows;
  for (std::size_t i = 0; i < ranked.size() && static_cast<int>(i) < o.windows; ++i) {
    const Ranked& r = ranked[i];
    const Proportion& c = in.contact[r.slot.contact_hour];
    const Proportion& off = in.officer[r.slot.officer_hour];
    windows.push_back(json::object{{"contact_hour", r.slot.contact_hour},
                                   {"officer_hour", r.slot.officer_hour},
                                   {"next_start", FormatIso(r.slot.next_start)},
                                   {"answer_rate", std::isnan(r.rate) ? json::value(nullptr) : json::value(Round(r.rate, 4))},
                                   {"ci95", std::isnan(r.rate) ? json::value(nullptr)
                                                               : json::value(json::array{Round(r.ci.low, 4), Round(r.ci.high, 4)})},
                                   {"contact_calls", c.trials},
                                   {"contact_reached", c.successes},
                                   {"officer_calls", off.trials},
                                   {"officer_rate", Round(officer_rate(r.slot.officer_hour), 4)}});
  }

  std::string message;
  if (ranked.empty()) {
    message = fmt::format("No time to call {} fits both their legal calling hours and your working hours.", name);
  } else if (claim) {
    const Ranked& best = ranked.front();
    const Proportion& c = in.contact[best.slot.contact_hour];
    message = basis == "contact"
                  ? fmt::format("Call {} around {} their time: they answered {} of {} calls then (about {:.0f}% "
                                "estimated, versus {:.0f}% on average over the hours you can call them).",
                                name, HourName(best.slot.contact_hour), c.successes, c.trials, 100 * best.rate,
                                100 * average)
                  : fmt::format("No pattern with {} yet; your calls are answered most around {} ({:.0f}% of {} "
                                "calls, versus {:.0f}% overall).",
                                name, HourName(best.slot.officer_hour),
                                100 * in.officer[best.slot.officer_hour].rate(),
                                in.officer[best.slot.officer_hour].trials, 100 * officer_total.rate());
  } else {
    message = fmt::format(
        "Not enough history to single out a best time for {}: the windows below are equally good as far as the "
        "data show.",
        name);
  }
  return json::object{
      {"basis", basis},
      {"claim", claim},
      {"message", message},
      {"windows", std::move(windows)},
      {"evidence",
       json::object{{"contact_calls", contact_total.trials},
                    {"contact_reached", contact_total.successes},
                    {"officer_calls", officer_total.trials},
                    {"officer_rate", Round(officer_total.rate(), 4)},
                    {"org_calls", org_total.trials},
                    {"org_rate", Round(org_total.rate(), 4)},
                    {"average_rate", weight > 0 ? json::value(Round(average, 4)) : json::value(nullptr)},
                    {"shrunk", have_prior},
                    {"prior_strength",
                     json::object{{"contact", o.contact_strength}, {"officer", o.officer_strength}, {"org", o.org_strength}}},
                    {"method",
                     "answer rate by hour: the contact's calls shrunk toward the officer's hour-of-day rate "
                     "(beta-binomial), the officer's toward the org's; 95% Wilson interval on the shrunk counts; "
                     "a best time is claimed only when its interval lies above the contact's average over the "
                     "offered hours (or, with fewer than 5 calls to the contact, the officer's best hour above "
                     "their overall rate on at least 40 calls)"}}}};
}

}  // namespace chosen::pattern
