#include "pattern/success.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "pattern/stats.h"

namespace chosen::pattern {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A 95% percentile-bootstrap interval for median(a) - median(b): each group
// resampled with replacement, a fixed seed so the same data give the same
// interval.
Interval MedianDifferenceInterval(const std::vector<double>& a, const std::vector<double>& b, int resamples = 1000) {
  std::uint64_t state = 0xC0FFEE1234567ULL;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  auto resample = [&](const std::vector<double>& v) {
    std::vector<double> out(v.size());
    for (auto& x : out) x = v[next() % v.size()];
    return Median(std::move(out));
  };
  std::vector<double> diffs;
  for (int r = 0; r < resamples; ++r) diffs.push_back(resample(a) - resample(b));
  std::sort(diffs.begin(), diffs.end());
  auto at = [&](double q) { return diffs[static_cast<std::size_t>(std::lround(q * (resamples - 1)))]; };
  return {at(0.025), at(0.975)};
}

bool IsShare(const std::string& key) { return key.ends_with("_share") || key == "morning_calls"; }

}  // namespace

std::string FormatMetric(const std::string& key, double v) {
  return IsShare(key) ? fmt::format("{:.0f}%", 100 * v) : fmt::format("{:.1f}", v);
}

const std::vector<SuccessMetric>& SuccessMetrics() {
  static const std::vector<SuccessMetric> kMetrics{
      {"calls_per_day", "calls per working day"},
      {"conversations_per_day", "conversations (calls that reached someone) per working day"},
      {"text_share", "of their calls, texts and emails as texts"},
      {"email_share", "of their calls, texts and emails as emails"},
      {"meetings_per_week", "meetings per week"},
      {"posts_per_week", "video and social posts per week"},
      {"morning_calls", "of their calls before noon"},
      {"speed_to_lead_hours", "hours from a new lead's arrival to the first touch"},
  };
  return kMetrics;
}

RankTest MannWhitney(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t na = a.size(), nb = b.size(), n = na + nb;
  if (na == 0 || nb == 0) return {};
  // Mid-ranks of the pooled values, doubled so they are integers.
  std::vector<std::pair<double, bool>> pooled;
  for (double x : a) pooled.emplace_back(x, true);
  for (double x : b) pooled.emplace_back(x, false);
  std::sort(pooled.begin(), pooled.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::int64_t> rank2(n);
  double tie_term = 0;  // sum of t^3 - t over tie groups
  std::int64_t observed2 = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && pooled[j].first == pooled[i].first) ++j;
    const auto mid2 = static_cast<std::int64_t>(i + j + 1);  // 2 x (i+1 + j) / 2
    const auto t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k) {
      rank2[k] = mid2;
      if (pooled[k].second) observed2 += mid2;
    }
    i = j;
  }
  const double dna = static_cast<double>(na), dnb = static_cast<double>(nb), dn = static_cast<double>(n);
  const double u = static_cast<double>(observed2) / 2 - dna * (dna + 1) / 2;
  RankTest out;
  out.effect = 2 * u / (dna * dnb) - 1;
  const double expected2 = dna * (dn + 1);  // doubled expected rank sum
  const double distance = std::abs(static_cast<double>(observed2) - expected2);
  if (n <= 60) {
    // Exact: how many ways na of the pooled ranks sum to each total.
    const auto max_sum = static_cast<std::size_t>(std::accumulate(rank2.begin(), rank2.end(), std::int64_t{0}));
    std::vector<std::vector<long double>> ways(na + 1, std::vector<long double>(max_sum + 1, 0));
    ways[0][0] = 1;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = std::min(i + 1, na); k >= 1; --k)
        for (std::size_t s = max_sum; s >= static_cast<std::size_t>(rank2[i]); --s)
          ways[k][s] += ways[k - 1][s - static_cast<std::size_t>(rank2[i])];
    long double total = 0, extreme = 0;
    for (std::size_t s = 0; s <= max_sum; ++s) {
      total += ways[na][s];
      if (std::abs(static_cast<double>(s) - expected2) >= distance - 1e-9) extreme += ways[na][s];
    }
    out.p_value = static_cast<double>(std::min<long double>(1, extreme / total));
    return out;
  }
  const double var = dna * dnb / 12 * ((dn + 1) - tie_term / (dn * (dn - 1)));
  if (!(var > 0)) return out;
  const double z = (distance / 2) / std::sqrt(var);
  out.p_value = std::erfc(z / std::sqrt(2.0));
  return out;
}

std::vector<json::object> FindSuccessPatterns(const std::vector<OfficerWindow>& officers,
                                              const SuccessOptions& options) {
  std::vector<json::object> out;
  const auto n = static_cast<int>(officers.size());
  if (n < options.min_officers) return out;
  std::vector<const OfficerWindow*> by_loans;
  for (const auto& o : officers) by_loans.push_back(&o);
  std::sort(by_loans.begin(), by_loans.end(), [](const auto* a, const auto* b) {
    return a->loans != b->loans ? a->loans > b->loans : a->user_id < b->user_id;
  });
  const int k = std::max(options.min_group, (n + 3) / 4);
  const std::int64_t threshold = by_loans[static_cast<std::size_t>(k - 1)]->loans;
  if (threshold <= 0) return out;
  std::size_t top_n = 0;
  while (top_n < by_loans.size() && by_loans[top_n]->loans >= threshold) ++top_n;  // ties stay together
  if (n - static_cast<int>(top_n) < options.min_group) return out;

  struct Tested {
    const SuccessMetric* metric;
    std::vector<double> top, rest;
    RankTest test;
  };
  std::vector<Tested> tested;
  for (const auto& m : SuccessMetrics()) {
    Tested t{&m, {}, {}, {}};
    for (std::size_t i = 0; i < by_loans.size(); ++i)
      if (auto it = by_loans[i]->metrics.find(m.key); it != by_loans[i]->metrics.end())
        (i < top_n ? t.top : t.rest).push_back(it->second);
    if (static_cast<int>(t.top.size()) < options.min_group || static_cast<int>(t.rest.size()) < options.min_group)
      continue;
    t.test = MannWhitney(t.top, t.rest);
    tested.push_back(std::move(t));
  }
  std::vector<double> p;
  for (const auto& t : tested) p.push_back(t.test.p_value);
  const auto q = BenjaminiHochberg(p);
  for (std::size_t i = 0; i < tested.size(); ++i) {
    const auto& t = tested[i];
    const double top = Median(t.top), rest = Median(t.rest);
    const double scale = std::max(std::abs(top), std::abs(rest));
    if (q[i] > options.fdr || std::abs(t.test.effect) < options.min_effect || !(scale > 0) ||
        std::abs(top - rest) / scale < options.min_relative)
      continue;
    const std::string& key = t.metric->key;
    const Interval ci = MedianDifferenceInterval(t.top, t.rest);
    const std::string& noun = t.metric->noun;
    json::object values;
    for (std::size_t j = 0; j < by_loans.size(); ++j)
      if (auto it = by_loans[j]->metrics.find(key); it != by_loans[j]->metrics.end())
        values[std::to_string(by_loans[j]->user_id)] = Round(it->second, 4);
    out.push_back(json::object{
        {"type", "success_pattern"},
        {"metric", key},
        {"noun", noun},
        {"message", fmt::format("Top performers here (the {} officers who opened the most loans lately): a median "
                                "{} {}; the other {}: {}.",
                                top_n, FormatMetric(key, top), noun, by_loans.size() - top_n, FormatMetric(key, rest))},
        {"evidence",
         json::object{{"top", json::object{{"officers", static_cast<std::int64_t>(t.top.size())}, {"median", Round(top)}}},
                      {"rest", json::object{{"officers", static_cast<std::int64_t>(t.rest.size())}, {"median", Round(rest)}}},
                      {"difference", Round(top - rest)},
                      {"ci95", json::array{Round(ci.low), Round(ci.high)}},
                      {"effect", Round(t.test.effect)},
                      {"p_value", Round(t.test.p_value, 6)},
                      {"q_value", Round(q[i], 6)},
                      {"tests", static_cast<std::int64_t>(tested.size())},
                      {"fdr", options.fdr},
                      {"method", "Mann-Whitney U (exact up to 60 officers) of the top group against the rest; "
                                 "Benjamini-Hochberg across the metrics tested; effect: rank-biserial correlation; "
                                 "95% interval of the difference of medians by percentile bootstrap"}}},
        {"values", std::move(values)}});
  }
  return out;
}

}  // namespace chosen::pattern
