#include "hub/jobs.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/time_util.h"
#include "hub/goals.h"
#include "hub/periods.h"
#include "hub/schedule.h"

namespace chosen::hub {
namespace {

bool IsWorkingDay(const HubUser& u, const std::string& date) {
  return hub::IsWorkingDay(u.work_days, date);
}

// The first of the user's working days on or after `from`, before `to`.
std::string FirstWorkingDay(const HubUser& u, const std::string& from, const std::string& to) {
  for (int i = 0; i < 100; ++i)  // a month or a cycle: at most 91 days
    if (const std::string d = AddDays(from, i); d < to && IsWorkingDay(u, d)) return d;
  return {};
}

// "12 calls, 3 applications and 1 closing": the counted metrics of `values`.
std::string Totals(const MetricValues& values) {
  std::vector<std::string> parts;
  for (std::size_t i : {0, 1, 3, 4}) {
    std::string noun = GoalMetrics()[i];
    if (values[i] == 1) noun.pop_back();
    parts.push_back(fmt::format("{:g} {}", values[i], noun));
  }
  return fmt::format("{}, {}, {} and {}", parts[0], parts[1], parts[2], parts[3]);
}

}  // namespace

Result<std::optional<NewNotification>> Jobs::Compose(const HubUser& u, std::string_view job, const std::string& date,
                                                     int hour, TimestampMs now) {
  using Out = std::optional<NewNotification>;
  const auth::Actor& a = u.actor;
  NewNotification n{a.org_id, a.user_id, std::string(job), {}, {}, {}, {}};
  if (job == "morning_push") {
    auto today = must_do_.Of(a);
    if (!today) return today.error();
    const auto& items = today->at("items").as_array();
    if (items.empty()) return Out();  // nothing to push today
    n.title = fmt::format("Your {} must-do {} today", items.size(), items.size() == 1 ? "activity" : "activities");
    for (std::size_t i = 0; i < items.size(); ++i)
      n.body += fmt::format("{}{}. {}: {}.", i ? " " : "", i + 1, std::string(items[i].at("title").as_string()),
                            std::string(items[i].at("reason").as_string()));
    n.data = {{"date", date}, {"items", items}};
    return Out(std::move(n));
  }
  Out out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    if (job == "pace_nudge") {
      auto pace = PaceAt(c, u, date, hour, now);
      if (!pace) return pace.error();
      if (!*pace || !(**pace).at("behind").as_bool()) return {};
      // Fewer when ignored: after n unread nudges in a row, the next waits
      // 2^n hours from the last (n at most kMaxIgnoredBackoff).
      auto recent = c.Query(
          "SELECT created_at, read_at FROM notifications WHERE user_id = ? AND kind = 'pace_nudge' AND created_at > ? "
          "ORDER BY id DESC LIMIT ?",
          {a.user_id, now - 7 * kMsPerDay, std::int64_t{kMaxIgnoredBackoff}});
      if (!recent) return recent.error();
      int ignored = 0;
      while (ignored < static_cast<int>(recent->size()) && (*recent)[ignored].IsNull(1)) ++ignored;
      if (ignored > 0 && now - recent->front().Int(0) < ((TimestampMs{1} << ignored) * 3600 - 300) * 1000) return {};
      const auto& p = **pace;
      n.title = "You're behind your usual pace";
      n.body = std::string(p.at("message").as_string());
      n.data = {{"date", date}, {"hour", hour}, {"actual", p.at("actual")}, {"usual", p.at("usual")}};
      out = std::move(n);
    } else if (job == "daily_summary") {
      auto s = Daily::SummaryOf(c, u, date);
      if (!s) return s.error();
      if (!*s) return {};
      n.title = std::move((*s)->title);
      n.body = std::move((*s)->body);
      n.data = std::move((*s)->data);
      out = std::move(n);
    } else if (job == "weekly_plan") {
      const std::string week = PeriodOf(Period::kWeek, date).from;
      auto rows = c.Query(
          "SELECT (SELECT COUNT(*) FROM plan_items WHERE user_id = ? AND week = ?), "
          "(SELECT COUNT(*) FROM goals WHERE user_id = ? AND period = 'week')",
          {a.user_id, week, a.user_id});
      if (!rows) return rows.error();
      const std::int64_t planned = rows->front().Int(0), goals = rows->front().Int(1);
      n.title = "Plan your week";
      n.body = planned ? fmt::format("Your plan has {} item{}: put each on a day.", planned, planned == 1 ? "" : "s")
                       : "Set three things you will get done this week and give each a day.";
      if (goals) n.body += fmt::format(" You have {} weekly goal{}.", goals, goals == 1 ? "" : "s");
      n.data = {{"week", week}};
      out = std::move(n);
    } else if (job == "monthly_report") {
      const std::string last = AddDays(PeriodOf(Period::kMonth, date).from, -1);
      const DateRange month = PeriodOf(Period::kMonth, last);
      auto totals = CountMetrics(c, a.user_id, LocalMidnight(month.from, a.timezone), LocalMidnight(month.to, a.timezone));
      if (!totals) return totals.error();
      n.title = fmt::format("Your {} report is ready", MonthName(month.from));
      n.body = fmt::format("{} in {}. See what moved and what to adjust.", Totals(*totals), MonthName(month.from));
      n.data = {{"month", month.from.substr(0, 7)}};
      out = std::move(n);
    } else if (job == "cycle_review") {
      const DateRange cycle = PeriodOf(Period::kCycle, AddDays(PeriodOf(Period::kCycle, date).from, -1));
      auto totals = CountMetrics(c, a.user_id, LocalMidnight(cycle.from, a.timezone), LocalMidnight(cycle.to, a.timezone));
      if (!totals) return totals.error();
      n.title = "Your 90-day review is ready";
      n.body = fmt::format("{} to {}: {}. Set the next cycle's goals.", cycle.from, AddDays(cycle.to, -1),
                           Totals(*totals));
      n.data = {{"from", cycle.from}, {"to", cycle.to}};
      out = std::move(n);
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<bool> Jobs::Deliver(const HubUser& u, std::string_view job, const std::string& slot,
                           const std::optional<NewNotification>& n, TimestampMs now) {
  bool sent = false;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto claimed = c.Query(
        "INSERT INTO hub_runs (user_id, job, slot, ran_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, job, slot) "
        "DO NOTHING RETURNING user_id",
        {u.actor.user_id, std::string(job), slot, now});
    if (!claimed) return claimed.error();
    if (claimed->empty() || !n) return {};  // another server ran it, or nothing to say
    NewNotification with_key = *n;
    with_key.dedupe_key = fmt::format("{}:{}", job, slot);
    auto added = notifications_.Add(c, with_key);
    if (!added) return added.error();
    sent = added->has_value();
    return {};
  });
  if (!st) return st.error();
  return sent;
}

Result<int> Jobs::Run() {
  const TimestampMs now = clock_.Now();
  std::vector<HubUser> users;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto all = LoadHubUsers(c);
    if (!all) return all.error();
    users = std::move(*all);
    return {};
  });
  if (!st) return st.error();
  int sent = 0;
  for (const auto& u : users) {
    const std::string& tz = u.actor.timezone;
    struct Due {
      std::string_view job;
      Slot slot;
      int hour = 0;
    };
    std::vector<Due> due;
    auto latest = [&](std::string_view job, int minutes, std::string_view days, TimestampMs grace, int hour = 0) {
      auto slots = SlotsBetween(tz, minutes, days, now - grace, now);
      if (!slots.empty()) due.push_back({job, slots.back(), hour});
    };
    latest("morning_push", u.morning_minutes, u.work_days, kGrace);
    if (u.daily_summary) latest("daily_summary", u.work_end, u.work_days, kGrace);
    latest("weekly_plan", u.work_start, "1", kGrace);
    if (u.pace_nudges)  // on the hour, inside working hours only
      for (int h = u.work_start / 60 + 1; h * 60 <= u.work_end; ++h) latest("pace_nudge", h * 60, u.work_days, kNudgeGrace, h);
    // The reviews: on the first working day of a month or cycle.
    for (auto period : {Period::kMonth, Period::kCycle}) {
      auto slots = SlotsBetween(tz, u.work_start, u.work_days, now - kGrace, now);
      if (slots.empty()) continue;
      const DateRange range = PeriodOf(period, slots.back().date);
      if (FirstWorkingDay(u, range.from, range.to) == slots.back().date)
        due.push_back({period == Period::kMonth ? "monthly_report" : "cycle_review", slots.back(), 0});
    }
    for (const auto& d : due) {
      const std::string slot = d.job == "pace_nudge" ? fmt::format("{}:{:02}", d.slot.date, d.hour) : d.slot.date;
      bool ran = false;
      auto seen = db_.Read([&](store::Connection& c) -> Status {
        auto rows = c.Query("SELECT 1 FROM hub_runs WHERE user_id = ? AND job = ? AND slot = ?",
                            {u.actor.user_id, std::string(d.job), slot});
        if (!rows) return rows.error();
        ran = !rows->empty();
        return {};
      });
      if (!seen) return seen.error();  // the database itself: nothing else would work either
      if (ran) continue;
      // One user's failure must not cost everyone after them their slot.
      auto n = Compose(u, d.job, d.slot.date, d.hour, now);
      auto delivered = n ? Deliver(u, d.job, slot, *n, now) : Result<bool>(n.error());
      if (!delivered) {
        spdlog::warn("hub job {} for user {} at {}: {}", d.job, u.actor.user_id, slot, delivered.error().message);
        continue;
      }
      sent += *delivered;
    }
  }
  auto pruned = db_.Write([&](store::Connection& c) -> Status {
    auto r = c.Exec("DELETE FROM hub_runs WHERE ran_at < ?", {now - kKeepRuns});
    if (!r) return r.error();
    return {};
  });
  if (!pruned) return pruned.error();
  return sent;
}

}  // namespace chosen::hub
