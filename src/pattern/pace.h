// "You usually complete 5 calls by 11 AM": an officer's typical pace on a
// working day, as the median (with the quartiles) of how many calls they had
// made by each hour, over the working days they called at all. A description
// of their own habit, for the hourly nudges and the dashboards; no claim of
// better or worse, so it is never pushed as an insight.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>

#include "common/json_util.h"

namespace chosen::pattern {

struct PaceOptions {
  int min_days = 20;  // working days with calls needed to describe a pace
};

// Per local day (days since 1970-01-01), the number of calls made in each
// local hour (0-23). Pass only working days. Returns nullopt with fewer
// than min_days days; otherwise JSON: type "pace", metric "calls", days,
// by_hour [{hour, median, p25, p75}] for hours `from`..`to` (the count made
// before that hour: "by 11 AM" is hour 11), message.
using CallsPerDayHour = std::map<std::int64_t, std::array<int, 24>>;
std::optional<json::object> FindPace(const CallsPerDayHour& days, int from, int to, const PaceOptions& options = {});

}  // namespace chosen::pattern
