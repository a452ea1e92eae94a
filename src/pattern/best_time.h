// "Call Jennifer at 2 PM: highest answer rate": when a contact answers, from
// their own call history shrunk toward the officer's hour-of-day answer
// curve (itself shrunk toward the org's), offered only in hours that are
// legal to call in the contact's time zone (8 AM to 9 PM) and inside the
// officer's working hours, and claimed only when the evidence supports it.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/clock.h"
#include "common/json_util.h"
#include "pattern/energy.h"
#include "pattern/stats.h"

namespace chosen::pattern {

struct BestTimeOptions {
  double contact_strength = 5;        // pseudo-calls pulling a contact's hour toward the officer's
  double officer_strength = 20;       // pseudo-calls pulling the officer's hour toward the org's
  double org_strength = 20;           // pseudo-calls pulling the org's hour toward its overall rate
  std::int64_t min_contact_calls = 5; // fewer: the contact's own history cannot carry a claim
  std::int64_t min_officer_calls = 40;  // at the best hour, for a claim from the officer's curve
  std::int64_t min_prior_calls = 20;    // fewer calls in the whole org: no prior to shrink toward
  int windows = 3;                    // how many windows to return
};

// An hour the officer could call: the contact's local hour `contact_hour`
// (inside 8 AM-9 PM there), the officer's local hour at that moment, and the
// next such moment inside the officer's working hours.
struct CallSlot {
  int contact_hour = 0;
  int officer_hour = 0;
  TimestampMs next_start = 0;
};

struct BestTimeInput {
  std::array<Proportion, 24> contact{};  // the contact's calls by the contact's local hour; success = reached
  std::array<Proportion, 24> officer{};  // the officer's calls by the officer's local hour
  std::array<Proportion, 24> org{};      // the org's officers' calls by each officer's local hour
  std::vector<CallSlot> slots;           // at most one per contact hour
};

// {"basis": "contact" | "officer" | "none", "claim": bool, "windows": [...],
//  "evidence": {...}}: windows ranked by estimated answer rate (shrunk),
// each with contact_hour, officer_hour, next_start, answer_rate, ci95
// (Wilson on the shrunk counts; without min_prior_calls in the org, the
// contact's raw rate, and null for an hour with no call to go on),
// contact_calls, contact_reached,
// officer_calls, officer_rate. `claim` is true only when the best window is
// materially better (its interval above the average) on enough data.
// Pure. `name` is the contact's, for the sentence.
json::object FindBestTime(const BestTimeInput& in, std::string_view name, const BestTimeOptions& options = {});

}  // namespace chosen::pattern
