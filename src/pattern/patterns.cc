#include "pattern/patterns.h"

#include "common/time_util.h"

namespace chosen::pattern {

Result<CallsByWeekday> Patterns::CallsByWeekdayOf(const auth::Actor& actor) {
  const TimestampMs to = clock_.Now(), from = to - kWindowDays * kMsPerDay;
  CallsByWeekday calls{};
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT occurred_at, CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END FROM activities "
        "WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? AND occurred_at < ?",
        {actor.user_id, from, to});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      Proportion& day = calls[static_cast<std::size_t>(LocalWeekday(r.Int(0), actor.timezone))];
      ++day.trials;
      day.successes += r.Int(1);
    }
    return {};
  });
  if (!st) return st.error();
  return calls;
}

Result<json::object> Patterns::ForUser(const auth::Actor& actor) {
  const TimestampMs to = clock_.Now();
  auto calls = CallsByWeekdayOf(actor);
  if (!calls) return calls.error();
  json::array patterns;
  if (auto best = FindBestDays(*calls)) patterns.push_back(best->ToJson());
  return json::object{{"period", json::object{{"from", FormatIso(to - kWindowDays * kMsPerDay)},
                                              {"to", FormatIso(to)},
                                              {"days", kWindowDays}}},
                      {"patterns", std::move(patterns)}};
}

}  // namespace chosen::pattern
