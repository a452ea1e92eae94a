#include "hub/monthly.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "common/text.h"
#include "common/time_util.h"
#include "hub/daily.h"
#include "hub/goals.h"

namespace chosen::hub {
namespace {

constexpr std::string_view kEpoch = "2024-01-01";  // the first 90-day cycle's Monday (hub/periods.h)

// "2026-11" -> "2026-11-01"; kInvalidArgument naming month otherwise.
Result<std::string> MonthStart(std::string_view text) {
  bool ok = text.size() == 7 && text[4] == '-';
  for (std::size_t i : {0, 1, 2, 3, 5, 6}) ok = ok && std::isdigit(static_cast<unsigned char>(text[i]));
  if (ok) ok = static_cast<bool>(ValidateDate(std::string(text) + "-01", "month"));
  if (!ok) return Error::Invalid("month must be a month as YYYY-MM", "month");
  return std::string(text) + "-01";
}

json::object Range(const DateRange& r) { return {{"from", r.from}, {"to", r.to}}; }

Result<MetricValues> Count(store::Connection& c, std::int64_t user_id, std::string_view tz, const DateRange& r) {
  return CountMetrics(c, user_id, LocalMidnight(r.from, tz), LocalMidnight(r.to, tz));
}

// Whether a change between two counts is more than chance: the difference
// of two Poisson counts against its standard error (normal approximation,
// two-sided 5%).
int Direction(double current, double previous) {
  if (current + previous <= 0) return 0;
  const double z = (current - previous) / std::sqrt(current + previous);
  return z > 1.96 ? 1 : z < -1.96 ? -1 : 0;
}

Result<json::object> Trend(store::Connection& c, std::int64_t user_id, std::string_view tz, const DateRange& cur,
                           const DateRange& prev) {
  auto a = Count(c, user_id, tz, cur);
  if (!a) return a.error();
  auto b = Count(c, user_id, tz, prev);
  if (!b) return b.error();
  json::array metrics;
  for (std::size_t m = 0; m < GoalMetrics().size(); ++m) {
    const double x = (*a)[m], y = (*b)[m];
    // Dollars are not counts: funded volume moves with the closings test.
    const int dir = m == 7 ? ((x - y) * Direction((*a)[4], (*b)[4]) > 0 ? Direction((*a)[4], (*b)[4]) : 0)
                           : Direction(x, y);
    metrics.push_back(json::object{
        {"metric", GoalMetrics()[m]},
        {"current", MetricJson(m, x)},
        {"previous", MetricJson(m, y)},
        {"change", MetricJson(m, x - y)},
        {"percent_change", y > 0 ? json::value(std::round(1000 * (x - y) / y) / 1000) : json::value(nullptr)},
        {"direction", dir > 0 ? "up" : dir < 0 ? "down" : "steady"}});
  }
  return json::object{{"current", Range(cur)}, {"previous", Range(prev)}, {"metrics", std::move(metrics)}};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Amount(std::size_t m, double v) {
  if (GoalMetrics()[m] == "funded_volume") return "$" + WithCommas(std::llround(v));
  return WithCommas(std::llround(v));
}

// Raise, hold or lower each goal from its attainment over the last complete
// periods of its kind (docs/coaching-rules.md).
Result<json::array> Recommendations(store::Connection& c, const HubUser& u, const std::string& today,
                                    const std::string& joined) {
  const std::string& tz = u.actor.timezone;
  auto goals = c.Query("SELECT id, metric, period, target FROM goals WHERE user_id = ? ORDER BY id",
                       {u.actor.user_id});
  if (!goals) return goals.error();
  json::array out;
  for (const auto& g : *goals) {
    const auto& metrics = GoalMetrics();
    const std::size_t m = MetricIndex(g.Str(1));
    const auto period = ParsePeriod(g.Str(2));
    if (m == metrics.size() || !period) continue;
    // The periods: the last 10 working days, 4 weeks, 3 months or 2 cycles
    // before the current one, none from before the officer joined.
    const int wanted = *period == Period::kDay ? 10 : *period == Period::kWeek ? 4 : *period == Period::kMonth ? 3 : 2;
    const int needed = *period == Period::kDay ? 5 : *period == Period::kWeek ? 3 : 2;
    std::vector<DateRange> periods;
    DateRange p = PeriodOf(*period, today);
    for (int guard = 0; static_cast<int>(periods.size()) < wanted && guard < 40; ++guard) {
      p = PeriodOf(*period, AddDays(p.from, -1));
      if (p.from < joined) break;
      if (*period == Period::kDay && !IsWorkingDay(u.work_days, p.from))
        continue;
      periods.push_back(p);
    }
    const double target = static_cast<double>(g.Int(3));
    std::vector<double> percents, actuals;
    json::array history;
    for (const auto& r : periods) {
      auto v = Count(c, u.actor.user_id, tz, r);
      if (!v) return v.error();
      const double actual = (*v)[m];
      actuals.push_back(actual);
      percents.push_back(actual / target);
      history.push_back(json::object{{"from", r.from}, {"actual", MetricJson(m, actual)},
                                     {"percent", std::round(1000 * actual / target) / 1000}});
    }
    const char* unit = *period == Period::kDay ? "working days" : *period == Period::kWeek ? "weeks"
                       : *period == Period::kMonth                          ? "months"
                                                                            : "90-day cycles";
    const int n = static_cast<int>(periods.size());
    const int met = static_cast<int>(std::count_if(percents.begin(), percents.end(), [](double x) { return x >= 1; }));
    const double median = Median(percents);
    std::string action = "hold", reason;
    double suggested = target;
    if (n < needed) {
      reason = fmt::format("Not enough history yet: {} of the {} complete {} needed.", n, needed, unit);
    } else if (met == n && median >= 1.2) {
      action = "raise";
      suggested = std::max(target + 1, std::round(Median(actuals)));
      reason = fmt::format("You met it in all of the last {} {}, at a median of {:.0f}%: raise it to {}.", n, unit,
                           100 * median, Amount(m, suggested));
    } else if (met * 4 <= n && median < 0.7) {
      action = "lower";
      suggested = std::min(target - 1, std::max(1.0, std::round(1.1 * Median(actuals))));
      if (suggested < 1) suggested = 1, action = "hold";
      reason = fmt::format("You met it in {} of the last {} {}, at a median of {:.0f}%: a target you reach builds "
                           "momentum; try {}.",
                           met, n, unit, 100 * median, Amount(m, suggested));
    } else {
      reason = fmt::format("You met it in {} of the last {} {} (median {:.0f}%): it stretches you; keep it.", met, n,
                           unit, 100 * median);
    }
    out.push_back(json::object{{"goal_id", g.Int(0)},
                               {"metric", metrics[m]},
                               {"period", g.Str(2)},
                               {"target", g.Int(3)},
                               {"action", action},
                               {"suggested_target", static_cast<std::int64_t>(suggested)},
                               {"reason", reason},
                               {"history", std::move(history)}});
  }
  return out;
}

// The month's celebrations; streak milestones only for the officer
// themself (streaks are private).
Result<json::array> Achievements(store::Connection& c, std::int64_t user_id, TimestampMs from, TimestampMs to,
                                 bool own) {
  auto rows = c.Query(
      "SELECT title, body, created_at, data FROM notifications WHERE user_id = ? AND kind = 'celebration' AND "
      "created_at >= ? AND created_at < ? ORDER BY id LIMIT 100",
      {user_id, from, to});
  if (!rows) return rows.error();
  json::array out;
  for (const auto& r : *rows) {
    if (!own) {
      json::error_code ec;
      auto data = json::parse(r.IsNull(3) ? std::string("{}") : r.Str(3), ec);
      if (ec || !data.is_object() || StringOr(data.as_object(), "kind") == "streak") continue;
    }
    if (out.size() < 50)
      out.push_back(json::object{{"title", r.Str(0)}, {"body", r.Str(1)}, {"created_at", FormatIso(r.Int(2))}});
  }
  return out;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string Text(const json::value& v) {
  if (v.is_string()) return Escape(v.as_string());
  if (v.is_null()) return "&mdash;";
  if (v.is_double()) return WithCommas(std::llround(v.as_double()));
  return Escape(json::serialize(v));
}

std::string Label(std::string_view metric) {
  std::string s(metric);
  std::replace(s.begin(), s.end(), '_', ' ');
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string Page(std::string_view title, const std::string& body) {
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{0}</title>
<style>
body{{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;max-width:820px;margin:2rem auto;padding:0 1rem}}
h1{{font-size:1.5rem;margin:0 0 .25rem}} h2{{font-size:1.1rem;margin:1.75rem 0 .5rem;border-bottom:1px solid #cbd5e1;padding-bottom:.25rem}}
table{{border-collapse:collapse;width:100%}} th,td{{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e2e8f0}}
td.n,th.n{{text-align:right}} .muted{{color:#475569}} .up{{color:#047857}} .down{{color:#b91c1c}}
@media print{{body{{margin:0;max-width:none}} a{{color:inherit;text-decoration:none}}}}
</style></head><body>
{1}
</body></html>
)",
                     Escape(title), body);
}

}  // namespace

Result<json::object> Monthly::Month(const auth::Actor& actor, std::int64_t user_id, const std::string& month) {
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    if (auto tz = ReadableUserTimezone(c, actor, user_id); !tz) return tz.error();
    auto users = LoadHubUsers(c, user_id);
    if (!users) return users.error();
    const HubUser& u = users->front();
    const std::string& tz = u.actor.timezone;
    const std::string today = LocalDate(now, tz);
    std::string first = PeriodOf(Period::kMonth, today).from;
    if (!month.empty()) {
      auto m = MonthStart(month);
      if (!m) return m.error();
      first = *m;
    }
    const DateRange range = PeriodOf(Period::kMonth, first);
    // The reference day: today, or the selected month's last day if past.
    const std::string ref = range.to <= today ? AddDays(range.to, -1) : std::min(today, AddDays(range.to, -1));
    auto progress = ProgressOf(c, user_id, tz, Period::kMonth, LocalTimeOn(range.from, 12 * 60, tz));
    if (!progress) return progress.error();

    const DateRange cycle = PeriodOf(Period::kCycle, ref);
    auto cycle_progress = ProgressOf(c, user_id, tz, Period::kCycle, LocalTimeOn(ref, 12 * 60, tz));
    if (!cycle_progress) return cycle_progress.error();
    const long day = DaysBetween(cycle.from, ref) + 1;
    // The quarterly review: the last complete cycle against its goals.
    const DateRange last = PeriodOf(Period::kCycle, AddDays(cycle.from, -1));
    auto totals = Count(c, user_id, tz, last);
    if (!totals) return totals.error();
    auto goals = c.Query("SELECT metric, target FROM goals WHERE user_id = ? AND period = 'cycle'", {user_id});
    if (!goals) return goals.error();
    json::array review_metrics;
    int met = 0;
    for (std::size_t m = 0; m < GoalMetrics().size(); ++m) {
      json::value target = nullptr, percent = nullptr;
      for (const auto& g : *goals)
        if (g.Str(0) == GoalMetrics()[m]) {
          target = g.Int(1);
          const double p = (*totals)[m] / static_cast<double>(g.Int(1));
          percent = std::round(10000 * p) / 10000;
          met += p >= 1;
        }
      review_metrics.push_back(json::object{
          {"metric", GoalMetrics()[m]}, {"actual", MetricJson(m, (*totals)[m])}, {"target", target}, {"percent", percent}});
    }
    auto created = c.Query("SELECT created_at FROM users WHERE id = ?", {user_id});
    if (!created) return created.error();
    const std::string joined = LocalDate(created->front().Int(0), tz);
    json::value review = nullptr;
    if (last.to > joined)
      review = json::object{{"number", DaysBetween(kEpoch, last.from) / 91 + 1},
                            {"from", last.from},
                            {"to", last.to},
                            {"goals", goals->size()},
                            {"goals_met", met},
                            {"metrics", std::move(review_metrics)}};

    // Trends: the last complete week and month before the reference day.
    const DateRange week = PeriodOf(Period::kWeek, AddDays(PeriodOf(Period::kWeek, ref).from, -1));
    const DateRange week_before = PeriodOf(Period::kWeek, AddDays(week.from, -1));
    const DateRange month_done =
        range.to <= today ? range : PeriodOf(Period::kMonth, AddDays(range.from, -1));
    const DateRange month_before = PeriodOf(Period::kMonth, AddDays(month_done.from, -1));
    auto weekly = Trend(c, user_id, tz, week, week_before);
    if (!weekly) return weekly.error();
    auto monthly = Trend(c, user_id, tz, month_done, month_before);
    if (!monthly) return monthly.error();
    auto recs = Recommendations(c, u, today, joined);
    if (!recs) return recs.error();
    auto achievements =
        Achievements(c, user_id, LocalMidnight(range.from, tz), LocalMidnight(range.to, tz), user_id == actor.user_id);
    if (!achievements) return achievements.error();
    out = {{"user_id", user_id},
           {"month", Range(range)},
           {"timezone", tz},
           {"progress", std::move(*progress)},
           {"cycle",
            {{"number", DaysBetween(kEpoch, cycle.from) / 91 + 1},
             {"from", cycle.from},
             {"to", cycle.to},
             {"day", day},
             {"days", 91},
             {"elapsed_percent", std::lround(100.0 * static_cast<double>(day) / 91)},
             {"progress", std::move(*cycle_progress)},
             {"review", std::move(review)}}},
           {"trends", {{"week", std::move(*weekly)}, {"month", std::move(*monthly)}}},
           {"recommendations", std::move(*recs)},
           {"achievements", std::move(*achievements)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Monthly::Report(const auth::Actor& actor, std::int64_t user_id, const std::string& month) {
  std::string which = month;
  if (which.empty()) {
    std::string tz;
    auto st = db_.Read([&](store::Connection& c) -> Status {
      auto t = ReadableUserTimezone(c, actor, user_id);
      if (!t) return t.error();
      tz = *t;
      return {};
    });
    if (!st) return st.error();
    which = AddDays(PeriodOf(Period::kMonth, LocalDate(clock_.Now(), tz)).from, -1).substr(0, 7);
  }
  auto view = Month(actor, user_id, which);
  if (!view) return view.error();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto name = c.Query("SELECT name FROM users WHERE id = ?", {user_id});
    if (!name) return name.error();
    json::array patterns;
    for (const char* kind : {"best_days", "energy", "pace", "behavior_link", "content_demand", "success_pattern"}) {
      auto found = StoredFindings(c, user_id, kind);
      if (!found) return found.error();
      for (const auto& f : *found)
        if (f.contains("message") && patterns.size() < 8) patterns.push_back(f.at("message"));
    }
    out = {{"user_id", user_id},
           {"name", name->front().Str(0)},
           {"month", which},
           {"generated_at", FormatIso(clock_.Now())},
           {"totals", view->at("progress")},
           {"trends", view->at("trends")},
           {"recommendations", view->at("recommendations")},
           {"achievements", view->at("achievements")},
           {"patterns", std::move(patterns)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

std::string Monthly::ReportHtml(const json::object& r) {
  const std::string month(r.at("month").as_string());
  const std::string title = fmt::format("Monthly coaching report: {}, {} {}", std::string(r.at("name").as_string()),
                                        MonthName(month + "-01"), month.substr(0, 4));
  std::string b = fmt::format("<h1>{}</h1><p class=\"muted\">Generated {}</p>", Escape(title), Text(r.at("generated_at")));
  b += "<h2>The month against its goals</h2><table><tr><th>Metric</th><th class=\"n\">Done</th><th class=\"n\">Goal</th>"
       "<th class=\"n\">Attained</th></tr>";
  for (const auto& m : r.at("totals").at("metrics").as_array())
    b += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                     Escape(Label(m.at("metric").as_string())), Text(m.at("actual")), Text(m.at("target")),
                     m.at("percent").is_null() ? "&mdash;"
                                               : fmt::format("{:.0f}%", 100 * m.at("percent").to_number<double>()));
  b += "</table>";
  for (const char* span : {"month", "week"}) {
    const auto& t = r.at("trends").at(span);
    b += fmt::format("<h2>{} over {}: {} to {} against {} to {}</h2><table><tr><th>Metric</th><th class=\"n\">Then</th>"
                     "<th class=\"n\">Now</th><th>Direction</th></tr>",
                     span[0] == 'm' ? "Month" : "Week", span, Text(t.at("current").at("from")),
                     Text(t.at("current").at("to")), Text(t.at("previous").at("from")), Text(t.at("previous").at("to")));
    for (const auto& m : t.at("metrics").as_array()) {
      const std::string dir(m.at("direction").as_string());
      b += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td></tr>",
                       Escape(Label(m.at("metric").as_string())), Text(m.at("previous")), Text(m.at("current")), dir,
                       dir == "steady" ? "steady (within chance)" : dir);
    }
    b += "</table>";
  }
  b += "<h2>Goals to adjust</h2>";
  if (r.at("recommendations").as_array().empty()) b += "<p class=\"muted\">No goals set.</p>";
  else b += "<ul>";
  for (const auto& g : r.at("recommendations").as_array())
    b += fmt::format("<li><strong>{} ({}): {}</strong>. {}</li>", Escape(Label(g.at("metric").as_string())),
                     Text(g.at("period")), Text(g.at("action")), Text(g.at("reason")));
  if (!r.at("recommendations").as_array().empty()) b += "</ul>";
  b += "<h2>Achievements</h2>";
  if (r.at("achievements").as_array().empty()) b += "<p class=\"muted\">None this month.</p>";
  for (const auto& a : r.at("achievements").as_array())
    b += fmt::format("<p><strong>{}</strong> {}</p>", Text(a.at("title")), Text(a.at("body")));
  b += "<h2>Your patterns</h2>";
  if (r.at("patterns").as_array().empty()) b += "<p class=\"muted\">Not enough history for a pattern yet.</p>";
  for (const auto& p : r.at("patterns").as_array()) b += fmt::format("<p>{}</p>", Text(p));
  return Page(title, b);
}

Result<json::object> Monthly::Team(const auth::Actor& actor, std::int64_t team_id, const std::string& month) {
  if (actor.role == auth::Role::kOfficer)
    return Error{ErrorCode::kPermissionDenied, "only a manager or an admin may read a team's roll-up", {}};
  if (team_id == 0) team_id = actor.team_id;
  if (team_id == 0) return Error::Invalid("team_id is required", "team_id");
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto team = c.Query("SELECT name FROM teams WHERE id = ? AND org_id = ?", {team_id, actor.org_id});
    if (!team) return team.error();
    if (team->empty() || (actor.role == auth::Role::kManager && team_id != actor.team_id))
      return Error{ErrorCode::kNotFound, fmt::format("team {} not found", team_id), "team_id"};
    auto members = c.Query(
        "SELECT id, name, timezone FROM users WHERE team_id = ? AND role = 'officer' ORDER BY name, id", {team_id});
    if (!members) return members.error();
    std::string first;
    if (!month.empty()) {
      auto m = MonthStart(month);
      if (!m) return m.error();
      first = *m;
    } else {
      first = AddDays(PeriodOf(Period::kMonth, LocalDate(clock_.Now(), actor.timezone)).from, -1);
    }
    const DateRange range = PeriodOf(Period::kMonth, first);
    MetricValues totals{};
    json::array list;
    for (const auto& r : *members) {
      auto v = Count(c, r.Int(0), r.Str(2), range);
      if (!v) return v.error();
      auto goals = c.Query("SELECT metric, target FROM goals WHERE user_id = ? AND period = 'month'", {r.Int(0)});
      if (!goals) return goals.error();
      json::object metrics;
      for (std::size_t m = 0; m < GoalMetrics().size(); ++m) {
        metrics[GoalMetrics()[m]] = MetricJson(m, (*v)[m]);
        totals[m] += (*v)[m];
      }
      int met = 0;
      for (const auto& g : *goals) {
        const auto m = MetricIndex(g.Str(0));
        met += m < v->size() && (*v)[m] >= static_cast<double>(g.Int(1));
      }
      list.push_back(json::object{{"user_id", r.Int(0)},
                                  {"name", r.Str(1)},
                                  {"metrics", std::move(metrics)},
                                  {"goals", goals->size()},
                                  {"goals_met", met}});
    }
    json::object sum;
    for (std::size_t m = 0; m < GoalMetrics().size(); ++m) sum[GoalMetrics()[m]] = MetricJson(m, totals[m]);
    out = {{"team_id", team_id},
           {"team", team->front().Str(0)},
           {"month", range.from.substr(0, 7)},
           {"members", std::move(list)},
           {"totals", std::move(sum)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

std::string Monthly::TeamHtml(const json::object& r) {
  const std::string month(r.at("month").as_string());
  const std::string title = fmt::format("Team roll-up: {}, {} {}", std::string(r.at("team").as_string()),
                                        MonthName(month + "-01"), month.substr(0, 4));
  std::string b = fmt::format("<h1>{}</h1><table><tr><th>Officer</th>", Escape(title));
  for (const auto& m : GoalMetrics()) b += fmt::format("<th class=\"n\">{}</th>", Escape(Label(m)));
  b += "<th class=\"n\">Goals met</th></tr>";
  for (const auto& p : r.at("members").as_array()) {
    b += fmt::format("<tr><td>{}</td>", Text(p.at("name")));
    for (const auto& m : GoalMetrics()) b += fmt::format("<td class=\"n\">{}</td>", Text(p.at("metrics").at(m)));
    b += fmt::format("<td class=\"n\">{} of {}</td></tr>", Text(p.at("goals_met")), Text(p.at("goals")));
  }
  b += "<tr><th>Team</th>";
  for (const auto& m : GoalMetrics()) b += fmt::format("<th class=\"n\">{}</th>", Text(r.at("totals").at(m)));
  b += "<th></th></tr></table>";
  return Page(title, b);
}

}  // namespace chosen::hub
