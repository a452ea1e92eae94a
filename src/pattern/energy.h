// "Your conversion drops after 3 PM — take a break": whether an officer's
// calls convert (set an appointment or take an application) less often late
// in the day than earlier, with the evidence, or nothing when the data do
// not support it.
#pragma once

#include <array>
#include <optional>

#include "common/json_util.h"
#include "pattern/stats.h"

namespace chosen::pattern {

struct EnergyOptions {
  int first_split = 12, last_split = 17;  // candidate "after" hours (local), each one test
  std::int64_t min_calls_side = 60;       // calls needed before and after a split to test it
  double fdr = 0.05;                      // Benjamini-Hochberg across the splits tested
  double min_difference = 0.02;           // at least 2 points lower after,
  double min_relative_drop = 0.2;         // and at least 20% lower than before
};

// Calls and converting calls per local hour (0-23).
using CallsByHour = std::array<Proportion, 24>;

struct EnergyDrop {
  int split_hour = 0;  // conversion is lower from this hour on
  json::object json;   // the finding with its evidence
};

// For each split hour h in [first_split, last_split], compares calls before
// h with calls from h on (two-proportion z-test), controls the false
// discovery rate across the splits tested, and keeps the split with the
// strongest drop that is significant and material. JSON: type
// "energy_drop", metric, split_hour, message, evidence {before{calls,
// converted, rate}, after{...}, difference, ci95, p_value, q_value, tests,
// fdr, method}, by_hour (hours with calls: calls, converted, rate). Pure.
std::optional<EnergyDrop> FindEnergyDrop(const CallsByHour& calls, const EnergyOptions& options = {});

// {"calls", "converted", "rate"} of one side of a conversion comparison.
json::object ConversionSide(const Proportion& p);

// "3 PM" for 15.
std::string HourName(int hour);

}  // namespace chosen::pattern
