#include "hub/daily.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time_util.h"
#include "hub/goals.h"
#include "pattern/energy.h"

namespace chosen::hub {
namespace {

int Minutes(const std::string& hhmm) {
  return hhmm.size() == 5 ? std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)) : 0;
}

}  // namespace

Result<std::vector<HubUser>> LoadHubUsers(store::Connection& c, std::int64_t user_id) {
  auto rows = c.Query(fmt::format("SELECT u.id, u.org_id, COALESCE(u.team_id, 0), u.role, u.timezone, u.work_start, "
                                  "u.work_end, u.work_days, COALESCE(s.morning_minutes, 360), "
                                  "COALESCE(s.pace_nudges, 1), COALESCE(s.daily_summary, 1) FROM users u "
                                  "LEFT JOIN coach_settings s ON s.user_id = u.id{} ORDER BY u.id",
                                  user_id ? " WHERE u.id = ?" : ""),
                      user_id ? std::vector<store::Value>{user_id} : std::vector<store::Value>{});
  if (!rows) return rows.error();
  std::vector<HubUser> out;
  for (const auto& r : *rows) {
    HubUser u;
    auth::Role role = auth::Role::kOfficer;
    auth::ParseRole(r.Str(3), &role);
    u.actor = {r.Int(0), r.Int(1), r.Int(2), role, r.Str(4)};
    u.work_start = Minutes(r.Str(5));
    u.work_end = Minutes(r.Str(6));
    u.work_days = r.Str(7);
    u.morning_minutes = static_cast<int>(r.Int(8));
    u.pace_nudges = r.Int(9) != 0;
    u.daily_summary = r.Int(10) != 0;
    out.push_back(std::move(u));
  }
  return out;
}

Result<std::vector<json::object>> StoredFindings(store::Connection& c, std::int64_t user_id, std::string_view kind) {
  auto run = c.Query("SELECT result FROM pattern_runs WHERE user_id = ?", {user_id});
  if (!run) return run.error();
  std::vector<json::object> out;
  if (run->empty()) return out;
  json::error_code ec;
  json::value result = json::parse(run->front().Str(0), ec);
  if (ec || !result.is_object() || !result.as_object().contains("patterns")) return out;
  for (const auto& p : result.at("patterns").as_array())
    if (p.is_object() && p.as_object().contains("kind") && p.at("kind").is_string() && p.at("kind").as_string() == kind)
      out.push_back(p.as_object());
  return out;
}

Result<std::optional<json::object>> PaceAt(store::Connection& c, const HubUser& u, const std::string& date, int hour,
                                           TimestampMs now) {
  auto paces = StoredFindings(c, u.actor.user_id, "pace");
  if (!paces) return paces.error();
  for (const auto& p : *paces) {
    for (const auto& h : p.at("by_hour").as_array()) {
      if (h.at("hour").to_number<int>() != hour) continue;
      const double usual = h.at("median").to_number<double>(), p25 = h.at("p25").to_number<double>();
      const TimestampMs from = LocalMidnight(date, u.actor.timezone), to = now;
      auto n = c.Query("SELECT COUNT(*) FROM activities WHERE owner_id = ? AND type = 'call' AND occurred_at >= ? "
                       "AND occurred_at < ?",
                       {u.actor.user_id, from, to});
      if (!n) return n.error();
      const std::int64_t actual = n->front().Int(0);
      // Behind: fewer than on three in four of the officer's own days by
      // this hour (their 25th percentile), never against a norm of nothing.
      const bool behind = usual >= 1 && static_cast<double>(actual) < p25;
      const std::string by = pattern::HourName(hour);
      return std::optional<json::object>(json::object{
          {"hour", hour},
          {"usual", usual},
          {"p25", p25},
          {"actual", actual},
          {"behind", behind},
          {"message", behind ? fmt::format("You usually make {:g} calls by {}: you're at {}.", usual, by, actual)
                             : fmt::format("On pace: {} calls so far (you usually make {:g} by {}).", actual, usual, by)}});
    }
  }
  return std::optional<json::object>();
}

Result<json::object> Daily::Today(const auth::Actor& actor, std::int64_t user_id) {
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto users = LoadHubUsers(c, user_id);
    if (!users) return users.error();
    if (users->empty() || users->front().actor.org_id != actor.org_id ||
        !auth::MayRead(actor, user_id, users->front().actor.team_id))
      return Error{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
    const HubUser& u = users->front();
    const std::string& tz = u.actor.timezone;
    const std::string date = LocalDate(now, tz);
    auto board = ProgressOf(c, user_id, tz, Period::kDay, now);
    if (!board) return board.error();
    // The pace by the last whole hour inside working hours, on a working day.
    json::value pace = nullptr;
    const auto local = LocalPartsOf(now, tz);
    const int hour = local.hour;
    if (IsWorkingDay(u.work_days, date) && hour * 60 > u.work_start &&
        hour * 60 <= u.work_end) {
      auto p = PaceAt(c, u, date, hour, now);
      if (!p) return p.error();
      if (*p) pace = std::move(**p);
    }
    // Two index ranges: open tasks due by today, tasks completed since midnight.
    auto tasks = c.Query(
        "SELECT COALESCE(SUM(CASE WHEN due_date = ? THEN 1 ELSE 0 END), 0), "
        "(SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND status = 'completed' AND completed_at >= ?), "
        "COALESCE(SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 END), 0) "
        "FROM tasks WHERE owner_id = ? AND status <> 'completed' AND due_date <= ?",
        {date, user_id, LocalMidnight(date, tz), date, user_id, date});
    if (!tasks) return tasks.error();
    const auto& t = tasks->front();
    out = {{"user_id", user_id},
           {"date", date},
           {"timezone", tz},
           {"scoreboard", std::move(*board)},
           {"pace", std::move(pace)},
           {"tasks", {{"due_today", t.Int(0)}, {"done_today", t.Int(1)}, {"overdue", t.Int(2)}}}};
    return {};
  });
  if (!st) return st.error();
  auto must = must_do_.Today(actor, user_id);
  if (!must) return must.error();
  out["must_do"] = std::move(must->at("items"));
  return out;
}

Result<std::optional<Daily::Summary>> Daily::SummaryOf(store::Connection& c, const HubUser& u,
                                                       const std::string& date) {
  const std::string& tz = u.actor.timezone;
  const std::int64_t user_id = u.actor.user_id;
  const TimestampMs from = LocalMidnight(date, tz), to = LocalMidnight(AddDays(date, 1), tz);
  auto board = ProgressOf(c, user_id, tz, Period::kDay, from);
  if (!board) return board.error();
  // Completion: each daily goal's attainment, capped at 100%, averaged.
  double attained = 0;
  int goals = 0;
  std::vector<std::string> done;
  for (const auto& m : board->at("metrics").as_array()) {
    const double actual = m.at("actual").to_number<double>();
    if (!m.at("percent").is_null()) {
      ++goals;
      attained += std::min(1.0, m.at("percent").to_number<double>());
    }
    if (actual > 0) {
      std::string metric(m.at("metric").as_string());
      std::replace(metric.begin(), metric.end(), '_', ' ');
      done.push_back(metric == "funded volume" ? fmt::format("${:.0f} funded", actual)
                                               : fmt::format("{:g} {}", actual, metric));
    }
  }
  auto moved = c.Query(
      "SELECT (SELECT COUNT(*) FROM events WHERE user_id = ? AND action = 'deal_stage_changed' AND created_at >= ? "
      "AND created_at < ?), (SELECT COUNT(*) FROM deals WHERE owner_id = ? AND stage = 'Closed Won' AND closed_at >= ? "
      "AND closed_at < ?), (SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND status = 'completed' AND completed_at >= "
      "? AND completed_at < ?), (SELECT COUNT(*) FROM contacts WHERE owner_id = ? AND created_at >= ? AND created_at < ?)",
      {user_id, from, to, user_id, from, to, user_id, from, to, user_id, from, to});
  if (!moved) return moved.error();
  const auto& mv = moved->front();
  const std::int64_t advanced = mv.Int(0), won = mv.Int(1), tasks_done = mv.Int(2), new_contacts = mv.Int(3);
  if (goals == 0 && done.empty() && advanced + won + tasks_done + new_contacts == 0)
    return std::optional<Summary>();  // nothing to sum up: silence, not a zero
  auto insight = c.Query(
      "SELECT id, message FROM coach_insights WHERE user_id = ? AND dismissed = 0 AND resolved_at IS NULL AND "
      "(expires_at IS NULL OR expires_at > ?) ORDER BY rank DESC, created_at DESC, id DESC LIMIT 1",
      {user_id, to});
  if (!insight) return insight.error();
  json::value percent = nullptr;
  Summary s;
  if (goals > 0) {
    const auto p = static_cast<std::int64_t>(std::lround(100 * attained / goals));
    percent = p;
    s.title = fmt::format("Your day: {}% of your daily goals", p);
  } else {
    s.title = "Your day in numbers";
  }
  std::vector<std::string> parts;
  if (!done.empty()) {
    std::string list;
    for (std::size_t i = 0; i < done.size(); ++i) list += (i ? ", " : "") + done[i];
    parts.push_back(list);
  }
  auto count = [](std::int64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  if (advanced) parts.push_back(count(advanced, "deal moved forward", "deals moved forward"));
  if (won) parts.push_back(count(won, "loan closed", "loans closed"));
  if (tasks_done) parts.push_back(count(tasks_done, "task done", "tasks done"));
  if (new_contacts) parts.push_back(count(new_contacts, "new contact", "new contacts"));
  for (std::size_t i = 0; i < parts.size(); ++i) s.body += (i ? ". " : "") + parts[i];
  if (!s.body.empty()) s.body += ".";
  json::value tip = nullptr;
  if (!insight->empty()) {
    s.body += fmt::format("{}Tomorrow: {}", s.body.empty() ? "" : " ", insight->front().Str(1));
    tip = json::object{{"id", insight->front().Int(0)}, {"message", insight->front().Str(1)}};
  }
  s.data = {{"date", date},
            {"completion_percent", std::move(percent)},
            {"metrics", board->at("metrics")},
            {"moved",
             {{"deals_advanced", advanced}, {"deals_won", won}, {"tasks_done", tasks_done}, {"new_contacts", new_contacts}}},
            {"insight", std::move(tip)}};
  return std::optional<Summary>(std::move(s));
}

}  // namespace chosen::hub
