// "You convert 40% better after video posts": whether an officer's calls
// convert more often in the days after they post (a video, a social post)
// than at other times, per kind of post, with the evidence, or nothing when
// the data do not support it. An association in the officer's own history,
// worded as one: it says "after", never "because of".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json_util.h"
#include "pattern/stats.h"

namespace chosen::pattern {

struct BehaviorOptions {
  TimestampMs window = 2 * 24 * 3600 * 1000LL;  // a call within this long after a post counts as "after" it
  std::int64_t min_calls_side = 60;              // calls needed after and otherwise to test a kind of post
  std::int64_t min_posts = 4;                    // a kind posted fewer times is not tested
  double fdr = 0.05;                             // Benjamini-Hochberg across the kinds tested
  double min_difference = 0.02;                  // at least 2 points higher after,
  double min_relative_lift = 0.2;                // and at least 20% higher than otherwise
};

struct CallOutcome {
  TimestampMs at = 0;
  bool converted = false;  // appointment set or application taken
};

// `calls` and each kind's post instants in any order. For each kind posted
// at least min_posts times, compares the conversion of calls within
// `window` after one of its posts with all other calls (two-proportion
// z-test), controls the false discovery rate across the kinds tested, and
// returns each kind significantly and materially better after (JSON: type
// "behavior_link", metric, activity, message, evidence {after{calls,
// converted, rate}, otherwise{...}, difference, relative_lift, ci95,
// p_value, q_value, posts, window_hours, tests, fdr, method}). Pure.
std::vector<json::object> FindBehaviorLinks(std::vector<CallOutcome> calls,
                                            std::map<std::string, std::vector<TimestampMs>> posts,
                                            const BehaviorOptions& options = {});

}  // namespace chosen::pattern
