// The statistics the pattern engine stands on: intervals for proportions and
// their differences, a two-proportion test, false-discovery control and
// beta-binomial shrinkage. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace chosen::pattern {

// 1.959964: the two-sided 95% normal quantile.
constexpr double kZ95 = 1.959963984540054;

// k successes in n trials.
struct Proportion {
  std::int64_t successes = 0;
  std::int64_t trials = 0;
  double rate() const { return trials > 0 ? static_cast<double>(successes) / static_cast<double>(trials) : 0.0; }
};

struct Interval {
  double low = 0, high = 0;
};

// Wilson score interval for a proportion (good coverage at small n and near
// 0 or 1, unlike the Wald interval). [0, 1] when trials is 0.
Interval WilsonInterval(Proportion p, double z = kZ95);

// Interval for rate(a) - rate(b): Newcombe's hybrid score method (method 10
// of Newcombe 1998, from the two Wilson intervals).
Interval NewcombeDifference(Proportion a, Proportion b, double z = kZ95);

// Two-sided p-value of the pooled two-proportion z-test of rate(a) = rate(b).
// 1 when either side has no trials or the pooled rate is 0 or 1.
double TwoProportionPValue(Proportion a, Proportion b);

// Benjamini-Hochberg adjusted p-values (q-values), in the input's order: the
// hypotheses with q <= alpha are the discoveries at false discovery rate
// alpha (valid for independent or positively dependent tests).
std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values);

// `x` rounded to `digits` decimals, for the evidence the API shows.
double Round(double x, int digits = 4);

// The posterior mean rate under a Beta prior with mean `prior_mean` worth
// `prior_strength` pseudo-trials: small groups are pulled toward the prior,
// large ones barely move.
double Shrink(Proportion p, double prior_mean, double prior_strength);

}  // namespace chosen::pattern
