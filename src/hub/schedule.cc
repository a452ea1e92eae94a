#include "hub/schedule.h"

#include "common/time_util.h"
#include "hub/periods.h"

namespace chosen::hub {

std::vector<Slot> SlotsBetween(std::string_view tz, int minutes, std::string_view days, TimestampMs after,
                               TimestampMs upto) {
  std::vector<Slot> out;
  if (upto <= after) return out;
  // From the local date before `after` (a slot late in that day may still be
  // ahead of it in UTC terms) to the one after `upto`.
  const std::string last = AddDays(LocalDate(upto, tz), 1);
  for (std::string d = AddDays(LocalDate(after, tz), -1); d <= last; d = AddDays(d, 1)) {
    const TimestampMs at = LocalTimeOn(d, minutes, tz);
    if (at <= after || at > upto) continue;
    if (!days.empty() && !IsWorkingDay(days, d))
      continue;
    out.push_back({d, at});
  }
  return out;
}

DueSlots Due(std::string_view tz, int minutes, std::string_view days, TimestampMs after, TimestampMs now,
             TimestampMs grace) {
  DueSlots out;
  auto slots = SlotsBetween(tz, minutes, days, after, now);
  if (slots.empty()) return out;
  if (now - slots.back().at <= grace) {
    out.run = slots.back();
    slots.pop_back();
  }
  out.skipped = std::move(slots);
  return out;
}

}  // namespace chosen::hub
