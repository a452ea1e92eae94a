#include "pattern/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chosen::pattern {

Interval WilsonInterval(Proportion p, double z) {
  if (p.trials <= 0) return {0.0, 1.0};
  const double n = static_cast<double>(p.trials), phat = p.rate(), z2 = z * z;
  const double centre = (phat + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(phat * (1 - phat) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Interval NewcombeDifference(Proportion a, Proportion b, double z) {
  const double p1 = a.rate(), p2 = b.rate(), d = p1 - p2;
  const Interval w1 = WilsonInterval(a, z), w2 = WilsonInterval(b, z);
  const double delta = std::sqrt((p1 - w1.low) * (p1 - w1.low) + (w2.high - p2) * (w2.high - p2));
  const double epsilon = std::sqrt((w1.high - p1) * (w1.high - p1) + (p2 - w2.low) * (p2 - w2.low));
  return {d - delta, d + epsilon};
}

double TwoProportionPValue(Proportion a, Proportion b) {
  if (a.trials <= 0 || b.trials <= 0) return 1.0;
  const double n1 = static_cast<double>(a.trials), n2 = static_cast<double>(b.trials);
  const double pooled = static_cast<double>(a.successes + b.successes) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se <= 0) return 1.0;
  const double zstat = std::fabs(a.rate() - b.rate()) / se;
  return std::erfc(zstat / std::sqrt(2.0));
}

std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p_values[x] < p_values[y]; });
  std::vector<double> q(m);
  double running = 1.0;
  for (std::size_t r = m; r-- > 0;) {  // from the largest p down: q_(r) = min over ranks >= r
    const std::size_t i = order[r];
    running = std::min(running, p_values[i] * static_cast<double>(m) / static_cast<double>(r + 1));
    q[i] = std::min(1.0, running);
  }
  return q;
}

double Shrink(Proportion p, double prior_mean, double prior_strength) {
  const double alpha = prior_mean * prior_strength;
  return (static_cast<double>(p.successes) + alpha) / (static_cast<double>(p.trials) + prior_strength);
}

double Round(double x, int digits) {
  double f = std::pow(10.0, digits);
  return std::round(x * f) / f;
}

}  // namespace chosen::pattern
