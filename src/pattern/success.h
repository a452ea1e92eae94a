// "What top performers do differently": in an org large enough to stay
// anonymous, the officers who opened the most loans lately against the
// rest, metric by metric (calls a day, conversations, the mix of texts and
// emails, meetings, posts, morning calls, speed to a new lead), with a rank
// test per metric and false-discovery control across them. Only group
// medians leave the engine; an officer is shown their own value beside
// them. An association, worded as one. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/json_util.h"

namespace chosen::pattern {

struct SuccessOptions {
  int min_officers = 10;        // eligible officers the org needs
  int min_group = 5;            // officers in each group, at least
  double fdr = 0.05;            // Benjamini-Hochberg across the metrics tested
  double min_effect = 0.4;      // |rank-biserial correlation| at least
  double min_relative = 0.2;    // medians at least 20% apart (of the larger)
};

// One officer's window: the outcome (loans opened) and the metrics that
// could be measured for them (a metric is absent when it could not be).
struct OfficerWindow {
  std::int64_t user_id = 0;
  std::int64_t loans = 0;
  std::map<std::string, double> metrics;
};

// The metrics, their words, and whether more is better for the wording
// (speed to lead: fewer hours is faster). Keys of OfficerWindow::metrics.
struct SuccessMetric {
  std::string key, noun;  // "calls_per_day", "calls per working day"
};
const std::vector<SuccessMetric>& SuccessMetrics();

// A metric's value in words: "38%" for a share, "9.1" otherwise.
std::string FormatMetric(const std::string& key, double value);

// Two-sided p-value of the Mann-Whitney U test that `a` and `b` come from
// one distribution: exact (every split of the pooled ranks) when there are
// at most 100,000 splits, else the normal approximation with the tie
// correction. Also the rank-biserial correlation of `a` over `b` (-1..1).
struct RankTest {
  double p_value = 1;
  double effect = 0;
};
RankTest MannWhitney(const std::vector<double>& a, const std::vector<double>& b);

// The top group: the officers with the most loans, max(min_group, n/4
// rounded up) of them, with ties at the boundary included; none when the org
// has fewer than min_officers eligible, the rest would be under min_group,
// or the top group opened no loans. Each finding (JSON: type
// "success_pattern", metric, noun, message, evidence {top {officers,
// median}, rest {officers, median}, difference (top - rest), ci95 (percentile
// bootstrap), effect, p_value, q_value, tests, fdr, method}, and "values":
// {user id: value} for the caller to pick the
// reader's own from, never to show) is a metric whose medians differ
// materially with q <= fdr.
std::vector<json::object> FindSuccessPatterns(const std::vector<OfficerWindow>& officers,
                                              const SuccessOptions& options = {});

}  // namespace chosen::pattern
