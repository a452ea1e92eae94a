#include "pattern/patterns.h"

#include "common/time_util.h"

namespace chosen::pattern {

Result<Patterns::CallHistory> Patterns::CallsOf(const auth::Actor& actor) {
  const TimestampMs to = clock_.Now(), from = to - kWindowDays * kMsPerDay;
  CallHistory h;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        // Reached: answered, or an outcome that needed an answer.
        "SELECT occurred_at, CASE WHEN outcome IN ('answered', 'appointment_set', 'application_taken') "
        "THEN 1 ELSE 0 END, CASE WHEN outcome IN ('appointment_set', 'application_taken') THEN 1 ELSE 0 END "
        "FROM activities WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? AND occurred_at < ?",
        {actor.user_id, from, to});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      Proportion& day = h.reached_by_weekday[static_cast<std::size_t>(LocalWeekday(r.Int(0), actor.timezone))];
      ++day.trials;
      day.successes += r.Int(1);
      Proportion& hour = h.converted_by_hour[static_cast<std::size_t>(LocalHour(r.Int(0), actor.timezone))];
      ++hour.trials;
      hour.successes += r.Int(2);
    }
    return {};
  });
  if (!st) return st.error();
  return h;
}

Result<json::object> Patterns::ForUser(const auth::Actor& actor) {
  const TimestampMs to = clock_.Now();
  auto calls = CallsOf(actor);
  if (!calls) return calls.error();
  json::array patterns;
  if (auto best = FindBestDays(calls->reached_by_weekday)) patterns.push_back(best->ToJson());
  if (auto drop = FindEnergyDrop(calls->converted_by_hour)) patterns.push_back(drop->json);
  return json::object{{"period", json::object{{"from", FormatIso(to - kWindowDays * kMsPerDay)},
                                              {"to", FormatIso(to)},
                                              {"days", kWindowDays}}},
                      {"patterns", std::move(patterns)}};
}

}  // namespace chosen::pattern
