#include "pattern/patterns.h"

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::pattern {

Result<Patterns::CallHistory> Patterns::CallsOf(std::int64_t user_id, const std::string& timezone) {
  const TimestampMs to = clock_.Now(), from = to - kWindowDays * kMsPerDay;
  CallHistory h;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        // Reached: answered, or an outcome that needed an answer.
        "SELECT occurred_at, CASE WHEN outcome IN ('answered', 'appointment_set', 'application_taken') "
        "THEN 1 ELSE 0 END, CASE WHEN outcome IN ('appointment_set', 'application_taken') THEN 1 ELSE 0 END "
        "FROM activities WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? AND occurred_at < ?",
        {user_id, from, to});
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      Proportion& day = h.reached_by_weekday[static_cast<std::size_t>(LocalWeekday(r.Int(0), timezone))];
      ++day.trials;
      day.successes += r.Int(1);
      Proportion& hour = h.converted_by_hour[static_cast<std::size_t>(LocalHour(r.Int(0), timezone))];
      ++hour.trials;
      hour.successes += r.Int(2);
    }
    return {};
  });
  if (!st) return st.error();
  return h;
}

Result<std::string> Patterns::Target(const auth::Actor& actor, std::int64_t user_id) {
  const Error hidden{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
  std::string timezone;
  bool allowed = false;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT org_id, COALESCE(team_id, 0), timezone FROM users WHERE id = ?", {user_id});
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().Int(0) != actor.org_id) return {};
    std::int64_t team = rows->front().Int(1);
    // Own; a manager's team; an admin's org.
    allowed = user_id == actor.user_id || actor.role == auth::Role::kAdmin ||
              (actor.role == auth::Role::kManager && actor.team_id != 0 && team == actor.team_id);
    timezone = rows->front().Str(2);
    return {};
  });
  if (!st) return st.error();
  if (!allowed) return hidden;
  return timezone;
}

Result<json::object> Patterns::RefreshUser(std::int64_t user_id, const std::string& timezone) {
  // The newest event first: anything logged while computing makes the
  // stored findings older than the log, so the next refresh sees it.
  std::int64_t last_event = 0;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT COALESCE(MAX(id), 0) FROM events WHERE user_id = ?", {user_id});
    if (!rows) return rows.error();
    last_event = rows->front().Int(0);
    return {};
  });
  if (!st) return st.error();
  const TimestampMs to = clock_.Now();
  auto calls = CallsOf(user_id, timezone);
  if (!calls) return calls.error();
  json::array patterns;
  std::string generated_at = FormatIso(to);
  auto add = [&](json::object p, std::string_view kind) {
    p["kind"] = kind;
    p["subject"] = "calls";
    p["generated_at"] = generated_at;
    patterns.push_back(std::move(p));
  };
  if (auto best = FindBestDays(calls->reached_by_weekday)) add(best->ToJson(), "best_days");
  if (auto drop = FindEnergyDrop(calls->converted_by_hour)) add(drop->json, "energy");
  json::object out{{"user_id", user_id},
                   {"generated_at", generated_at},
                   {"period", json::object{{"from", FormatIso(to - kWindowDays * kMsPerDay)},
                                           {"to", generated_at},
                                           {"days", kWindowDays}}},
                   {"patterns", std::move(patterns)}};
  auto saved = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec(
        "INSERT INTO pattern_runs (user_id, refreshed_at, last_event_id, result) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET refreshed_at = excluded.refreshed_at, "
        "last_event_id = excluded.last_event_id, result = excluded.result",
        {user_id, to, last_event, ToJson(out)});
    if (!r) return r.error();
    return {};
  });
  if (!saved) return saved.error();
  return out;
}

Result<json::object> Patterns::Get(const auth::Actor& actor, std::int64_t user_id) {
  auto tz = Target(actor, user_id);
  if (!tz) return tz.error();
  std::optional<json::object> stored;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT result FROM pattern_runs WHERE user_id = ?", {user_id});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    auto parsed = ParseJsonObject(rows->front().Str(0));
    if (parsed) stored = std::move(*parsed);
    return {};
  });
  if (!st) return st.error();
  if (stored) return *std::move(stored);
  return RefreshUser(user_id, *tz);
}

Result<json::object> Patterns::Refresh(const auth::Actor& actor, std::int64_t user_id) {
  auto tz = Target(actor, user_id);
  if (!tz) return tz.error();
  return RefreshUser(user_id, *tz);
}

Result<int> Patterns::RefreshStale() {
  const TimestampMs now = clock_.Now();
  std::vector<std::pair<std::int64_t, std::string>> due;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // events_user (user_id, id) answers each MAX in one probe.
    auto rows = c.Query(
        "SELECT u.id, u.timezone FROM users u LEFT JOIN pattern_runs p ON p.user_id = u.id "
        "WHERE p.user_id IS NULL OR (p.refreshed_at <= ? AND "
        "(SELECT COALESCE(MAX(e.id), 0) FROM events e WHERE e.user_id = u.id) > p.last_event_id) ORDER BY u.id",
        {now - kMaxAge});
    if (!rows) return rows.error();
    for (const auto& r : *rows) due.emplace_back(r.Int(0), r.Str(1));
    return {};
  });
  if (!st) return st.error();
  for (const auto& [id, tz] : due)
    if (auto r = RefreshUser(id, tz); !r) return r.error();
  return static_cast<int>(due.size());
}

}  // namespace chosen::pattern
