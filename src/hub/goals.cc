#include "hub/goals.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time_util.h"

namespace chosen::hub {
namespace {

constexpr std::string_view kGoalColumns = "id, user_id, metric, period, target, set_by, created_at, updated_at";

json::object GoalJson(const store::Row& r) {
  return {{"id", r.Int(0)},
          {"user_id", r.Int(1)},
          {"metric", r.Str(2)},
          {"period", r.Str(3)},
          {"target", r.Int(4)},
          {"set_by", r.IsNull(5) ? json::value(nullptr) : json::value(r.Int(5))},
          {"created_at", FormatIso(r.Int(6))},
          {"updated_at", FormatIso(r.Int(7))}};
}

}  // namespace

const std::vector<std::string>& GoalMetrics() {
  static const std::vector<std::string> kMetrics{"calls",   "conversations",    "appointments", "applications",
                                                 "closings", "posts", "partner_meetings", "funded_volume"};
  return kMetrics;
}

std::size_t MetricIndex(std::string_view metric) {
  const auto& all = GoalMetrics();
  return static_cast<std::size_t>(std::find(all.begin(), all.end(), metric) - all.begin());
}

Result<std::string> ReadableUserTimezone(store::Connection& c, const auth::Actor& actor, std::int64_t user_id) {
  auto rows = c.Query("SELECT org_id, COALESCE(team_id, 0), timezone FROM users WHERE id = ?", {user_id});
  if (!rows) return rows.error();
  if (rows->empty() || rows->front().Int(0) != actor.org_id || !auth::MayRead(actor, user_id, rows->front().Int(1)))
    return Error{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
  return rows->front().Str(2);
}

Result<json::object> Goals::Put(const auth::Actor& actor, const json::object& body) {
  for (const auto& [k, v] : body)
    if (k != "metric" && k != "period" && k != "target" && k != "user_id")
      return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
  auto text = [&](std::string_view k) -> std::string {
    auto it = body.find(k);
    return it != body.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
  };
  const std::string metric = text("metric"), period = text("period");
  if (MetricIndex(metric) == GoalMetrics().size())
    return Error::Invalid("metric must be one of: calls, conversations, appointments, applications, closings, posts, "
                          "partner_meetings, funded_volume",
                          "metric");
  if (!ParsePeriod(period)) return Error::Invalid("period must be one of: day, week, month, cycle", "period");
  const std::int64_t max = metric == "funded_volume" ? kMaxVolumeTarget : kMaxCountTarget;
  auto t = body.find("target");
  if (t == body.end() || !t->value().is_int64() || t->value().as_int64() < 1 || t->value().as_int64() > max)
    return Error::Invalid(fmt::format("target must be a whole number from 1 to {}", max), "target");
  std::int64_t user_id = actor.user_id;
  if (auto u = body.find("user_id"); u != body.end()) {
    if (!u->value().is_int64() || u->value().as_int64() < 1)
      return Error::Invalid("user_id must be a positive integer", "user_id");
    user_id = u->value().as_int64();
  }
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto r = c.Exec(
        "INSERT INTO goals (org_id, user_id, metric, period, target, set_by, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, metric, period) DO UPDATE SET target = excluded.target, "
        "set_by = excluded.set_by, updated_at = excluded.updated_at",
        {actor.org_id, user_id, metric, period, t->value().as_int64(), actor.user_id, now, now});
    if (!r) return r.error();
    auto rows = c.Query(fmt::format("SELECT {} FROM goals WHERE user_id = ? AND metric = ? AND period = ?", kGoalColumns),
                        {user_id, metric, period});
    if (!rows) return rows.error();
    out = GoalJson(rows->front());
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::array> Goals::List(const auth::Actor& actor, std::int64_t user_id) {
  json::array out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto rows = c.Query(fmt::format("SELECT {} FROM goals WHERE user_id = ?", kGoalColumns), {user_id});
    if (!rows) return rows.error();
    std::vector<const store::Row*> sorted;
    for (const auto& r : *rows) sorted.push_back(&r);
    std::sort(sorted.begin(), sorted.end(), [](const store::Row* a, const store::Row* b) {
      const auto ma = MetricIndex(a->Str(2)), mb = MetricIndex(b->Str(2));
      return ma != mb ? ma < mb : ParsePeriod(a->Str(3)) < ParsePeriod(b->Str(3));
    });
    for (const auto* r : sorted) out.push_back(GoalJson(*r));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status Goals::Delete(const auth::Actor& actor, std::int64_t id) {
  return db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT user_id FROM goals WHERE id = ? AND org_id = ?", {id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound(fmt::format("goal {} not found", id));
    if (auto tz = ReadableUserTimezone(c, actor, rows->front().Int(0)); !tz)
      return Error::NotFound(fmt::format("goal {} not found", id));
    auto r = c.Exec("DELETE FROM goals WHERE id = ?", {id});
    if (!r) return r.error();
    return {};
  });
}

Result<MetricValues> CountMetrics(store::Connection& c, std::int64_t user_id, TimestampMs from, TimestampMs to) {
  auto acts = c.Query(
      "SELECT COALESCE(SUM(CASE WHEN a.type = 'call' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.type = 'call' AND a.outcome IN ('answered', 'appointment_set', "
      "'application_taken') THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.type = 'call' AND a.outcome IN ('appointment_set', 'application_taken') THEN 1 "
      "ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.type = 'call' AND a.outcome = 'application_taken' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN a.type IN ('video_post', 'social_post') THEN 1 ELSE 0 END), 0), "
      // Only a meeting looks its contact up (the scoreboard recounts the
      // day on every logged activity).
      "COALESCE(SUM(CASE WHEN a.type = 'meeting' AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = a.contact_id AND "
      "c.status = 'REFERRAL_PARTNER') THEN 1 ELSE 0 END), 0) "
      "FROM activities a WHERE a.owner_id = ? AND a.occurred_at >= ? AND a.occurred_at < ?",
      {user_id, from, to});
  if (!acts) return acts.error();
  auto won = c.Query(
      "SELECT COUNT(*), COALESCE(SUM(value_cents), 0) FROM deals WHERE owner_id = ? AND stage = 'Closed Won' AND "
      "closed_at >= ? AND closed_at < ?",
      {user_id, from, to});
  if (!won) return won.error();
  const auto& a = acts->front();
  auto d = [](std::int64_t v) { return static_cast<double>(v); };
  return MetricValues{d(a.Int(0)), d(a.Int(1)), d(a.Int(2)), d(a.Int(3)), d(won->front().Int(0)),
                      d(a.Int(4)), d(a.Int(5)), d(won->front().Int(1)) / 100.0};
}

json::value MetricJson(std::size_t metric, double value) {
  if (GoalMetrics()[metric] == "funded_volume") return value;
  return static_cast<std::int64_t>(value);
}

Result<json::object> ProgressOf(store::Connection& c, std::int64_t user_id, std::string_view tz, Period period,
                                TimestampMs now) {
  const DateRange range = PeriodOf(period, LocalDate(now, tz));
  auto actual = CountMetrics(c, user_id, LocalMidnight(range.from, tz), LocalMidnight(range.to, tz));
  if (!actual) return actual.error();
  auto goals = c.Query("SELECT metric, target FROM goals WHERE user_id = ? AND period = ?",
                       {user_id, std::string(PeriodName(period))});
  if (!goals) return goals.error();
  json::array metrics;
  for (std::size_t i = 0; i < GoalMetrics().size(); ++i) {
    json::object m{{"metric", GoalMetrics()[i]}, {"actual", MetricJson(i, (*actual)[i])}, {"target", nullptr},
                   {"percent", nullptr}};
    for (const auto& g : *goals)
      if (g.Str(0) == GoalMetrics()[i]) {
        m["target"] = g.Int(1);
        m["percent"] = std::round(10000 * (*actual)[i] / static_cast<double>(g.Int(1))) / 10000;
      }
    metrics.push_back(std::move(m));
  }
  return json::object{{"user_id", user_id},   {"period", PeriodName(period)}, {"from", range.from},
                      {"to", range.to},       {"timezone", tz},               {"metrics", std::move(metrics)}};
}

Result<json::object> Goals::Progress(const auth::Actor& actor, std::int64_t user_id, Period period) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto p = ProgressOf(c, user_id, *tz, period, clock_.Now());
    if (!p) return p.error();
    out = std::move(*p);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace chosen::hub
