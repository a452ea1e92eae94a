// The accountability hub's scheduling, pure: when a job that runs daily at a
// local time of day (the 6 AM push, the end-of-day summary, the hourly
// nudges as 9 such jobs) falls for a user, across daylight-saving changes,
// and what runs after an outage. Persisting that a slot ran (exactly once
// across servers and restarts) is the caller's. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace chosen::hub {

// One occurrence of a daily job: the local date it belongs to (its key for
// "ran once") and the instant it falls at.
struct Slot {
  std::string date;
  TimestampMs at = 0;
  bool operator==(const Slot&) const = default;
};

// The slots of a job run at `minutes` after local midnight in `tz`, on the
// ISO weekdays listed in `days` ("1,2,3,4,5"; empty: every day), falling in
// (after, upto], in order. On the day the clock skips that time (spring
// forward) the slot is the instant it jumps; on the day it repeats (fall
// back) only the first of the two counts: one slot per local date, always.
std::vector<Slot> SlotsBetween(std::string_view tz, int minutes, std::string_view days, TimestampMs after,
                               TimestampMs upto);

// After an outage: of the slots since `after` up to `now`, only the latest
// runs, and only if it is at most `grace` late; every other one is skipped
// (a morning push five hours late, or three at once, helps no one).
struct DueSlots {
  std::optional<Slot> run;
  std::vector<Slot> skipped;
};
DueSlots Due(std::string_view tz, int minutes, std::string_view days, TimestampMs after, TimestampMs now,
             TimestampMs grace);

}  // namespace chosen::hub
