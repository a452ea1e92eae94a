#include "hub/live.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/text.h"
#include "common/time_util.h"
#include "hub/goals.h"
#include "notify/relay.h"

namespace chosen::hub {
namespace {

bool Reached(std::string_view outcome) {
  return outcome == "answered" || outcome == "appointment_set" || outcome == "application_taken";
}

// "20 calls", "1 partner meeting", "$250,000 funded".
std::string Amount(std::string_view metric, double value) {
  if (metric == "funded_volume") return fmt::format("${} funded", WithCommas(static_cast<std::int64_t>(value)));
  std::string noun(metric);
  std::replace(noun.begin(), noun.end(), '_', ' ');
  if (value == 1 && noun.ends_with('s')) noun.pop_back();
  return fmt::format("{} {}", static_cast<std::int64_t>(value), noun);
}

const char* PeriodPhrase(Period p) {
  switch (p) {
    case Period::kDay: return "today";
    case Period::kWeek: return "this week";
    case Period::kMonth: return "this month";
    case Period::kCycle: return "this 90-day cycle";
  }
  return "";
}

const char* PeriodAdjective(Period p) {
  switch (p) {
    case Period::kDay: return "daily";
    case Period::kWeek: return "weekly";
    case Period::kMonth: return "monthly";
    case Period::kCycle: return "90-day";
  }
  return "";
}

double ActualOf(const json::object& progress, std::size_t metric) {
  return progress.at("metrics").as_array().at(metric).at("actual").to_number<double>();
}

}  // namespace

Status Live::OnEvent(store::Connection& c, const crm::Event& e) {
  const std::string& a = e.action;
  const bool won = a == "deal_closed" && e.metadata.contains("won") && e.metadata.at("won").is_bool() &&
                   e.metadata.at("won").as_bool();
  if (a != "task_completed" && a != "call_logged" && a != "video_post_logged" && a != "social_post_logged" &&
      a != "meeting_logged" && !won)
    return {};
  auto user = c.Query("SELECT timezone FROM users WHERE id = ?", {e.user_id});
  if (!user) return user.error();
  if (user->empty()) return {};
  const std::string tz = user->front().Str(0);
  if (a == "task_completed") return OnTaskCompleted(c, e, tz);

  // What this event adds to each metric, and when it counts.
  MetricValues delta{};
  TimestampMs when = e.created_at;
  if (won) {
    delta[4] = 1;
    if (auto v = e.metadata.find("value"); v != e.metadata.end() && v->value().is_number())
      delta[7] = v->value().to_number<double>();
  } else {
    if (auto t = ParseIso(StringOr(e.metadata, "occurred_at"), "occurred_at")) when = *t;
    if (a == "call_logged") {
      const std::string outcome = StringOr(e.metadata, "outcome");
      delta[0] = 1;
      delta[1] = Reached(outcome);
      delta[2] = outcome == "appointment_set" || outcome == "application_taken";
      delta[3] = outcome == "application_taken";
    } else if (a == "meeting_logged") {
      auto contact = e.metadata.find("contact_id");
      if (contact == e.metadata.end() || !contact->value().is_int64()) return {};
      auto status = c.Query("SELECT status FROM contacts WHERE id = ?", {contact->value().as_int64()});
      if (!status) return status.error();
      if (status->empty() || status->front().Str(0) != "REFERRAL_PARTNER") return {};
      delta[6] = 1;
    } else {
      delta[5] = 1;
    }
  }

  const std::string today = LocalDate(e.created_at, tz);
  auto board = ProgressOf(c, e.user_id, tz, Period::kDay, e.created_at);
  if (!board) return board.error();
  if (auto st = notify::Relay::Publish(c, e.user_id, "scoreboard", *board); !st) return st;

  // A goal is reached by the event that takes its period's count from below
  // its target to at least it (a backdated activity counts for the period
  // it happened in, which may not be the current one: no celebration then).
  auto goals = c.Query("SELECT metric, period, target FROM goals WHERE user_id = ?", {e.user_id});
  if (!goals) return goals.error();
  std::map<Period, MetricValues> counts;
  for (const auto& g : *goals) {
    const auto& metrics = GoalMetrics();
    const std::size_t m = MetricIndex(g.Str(0));
    auto period = ParsePeriod(g.Str(1));
    if (m == metrics.size() || !period || delta[m] <= 0) continue;
    const DateRange range = PeriodOf(*period, today);
    const TimestampMs from = LocalMidnight(range.from, tz), to = LocalMidnight(range.to, tz);
    if (when < from || when >= to) continue;
    double actual = 0;
    if (*period == Period::kDay) {
      actual = ActualOf(*board, m);
    } else {
      auto it = counts.find(*period);
      if (it == counts.end()) {
        auto n = CountMetrics(c, e.user_id, from, to);
        if (!n) return n.error();
        it = counts.emplace(*period, *n).first;
      }
      actual = it->second[m];
    }
    const double target = static_cast<double>(g.Int(2));
    if (actual < target || actual - delta[m] >= target) continue;
    json::object celebration{{"kind", "goal"},
                             {"title", fmt::format("Goal reached: {} {}", Amount(metrics[m], target),
                                                   PeriodPhrase(*period))},
                             {"body", fmt::format("You hit your {} goal of {}. That is {}.", PeriodAdjective(*period),
                                                  Amount(metrics[m], target), Amount(metrics[m], actual))},
                             {"metric", metrics[m]},
                             {"period", PeriodName(*period)},
                             {"value", MetricJson(m, actual)},
                             {"target", g.Int(2)}};
    if (auto st = Celebrate(notifications_, c, e.org_id, e.user_id, std::move(celebration),
                            fmt::format("goal:{}:{}:{}", metrics[m], PeriodName(*period), range.from));
        !st)
      return st;
  }

  if (a == "call_logged" && LocalDate(when, tz) == today) {
    if (auto st = PersonalBest(c, e, tz, today, "calls", static_cast<std::int64_t>(ActualOf(*board, 0))); !st)
      return st;
    if (delta[1] > 0)
      if (auto st = PersonalBest(c, e, tz, today, "conversations", static_cast<std::int64_t>(ActualOf(*board, 1)));
          !st)
        return st;
  }
  return {};
}

Status Live::OnTaskCompleted(store::Connection& c, const crm::Event& e, const std::string& tz) {
  const std::string today = LocalDate(e.created_at, tz);
  auto task = c.Query(
      "SELECT title, (SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND status = 'completed' AND completed_at >= ?), "
      "(SELECT COUNT(*) FROM tasks WHERE owner_id = ? AND due_date = ?) FROM tasks WHERE id = ?",
      {e.user_id, LocalMidnight(today, tz), e.user_id, today, e.entity_id});
  if (!task) return task.error();
  if (task->empty()) return {};
  const auto& r = task->front();
  return notify::Relay::Publish(c, e.user_id, "celebration",
                                json::object{{"kind", "task"},
                                             {"title", "Task done"},
                                             {"body", r.Str(0)},
                                             {"task_id", e.entity_id},
                                             {"tasks", {{"done_today", r.Int(1)}, {"due_today", r.Int(2)}}}});
}

Status Live::PersonalBest(store::Connection& c, const crm::Event& e, const std::string& tz, const std::string& date,
                          std::string_view metric, std::int64_t today) {
  auto row = c.Query("SELECT best, best_date, first_date FROM personal_bests WHERE user_id = ? AND metric = ?",
                     {e.user_id, std::string(metric)});
  if (!row) return row.error();
  std::int64_t best = 0;
  std::string best_date, first_date = date;
  if (row->empty()) {
    // First use: the best day of the last year before today, from the
    // activities (an index range read, once per officer and metric).
    const TimestampMs midnight = LocalMidnight(date, tz);
    auto calls = c.Query(fmt::format("SELECT occurred_at FROM activities WHERE owner_id = ? AND type = 'call' AND "
                                     "occurred_at >= ? AND occurred_at < ?{}",
                                     metric == "conversations"
                                         ? " AND outcome IN ('answered', 'appointment_set', 'application_taken')"
                                         : ""),
                         {e.user_id, midnight - 366 * kMsPerDay, midnight});
    if (!calls) return calls.error();
    std::map<std::string, std::int64_t> per_day;
    for (const auto& r : *calls) ++per_day[LocalDate(r.Int(0), tz)];
    for (const auto& [day, n] : per_day)
      if (n > best) best = n, best_date = day;
    if (!per_day.empty()) first_date = per_day.begin()->first;
    if (best_date.empty()) best_date = first_date;
    auto ins = c.Exec("INSERT INTO personal_bests (user_id, metric, best, best_date, first_date) VALUES (?, ?, ?, ?, ?)",
                      {e.user_id, std::string(metric), best, best_date, first_date});
    if (!ins) return ins.error();
  } else {
    best = row->front().Int(0);
    best_date = row->front().Str(1);
    first_date = row->front().Str(2);
  }
  if (today <= best) return {};
  auto up = c.Exec("UPDATE personal_bests SET best = ?, best_date = ? WHERE user_id = ? AND metric = ?",
                   {today, date, e.user_id, std::string(metric)});
  if (!up) return up.error();
  // Once a day (the first call past the old best), and only against a real
  // history: on an officer's first days every day is a "best".
  if (best_date >= date || best < 1 || DaysBetween(first_date, date) < kBestHistoryDays) return {};
  const std::string noun(metric);
  json::object celebration{
      {"kind", "personal_best"},
      {"title", fmt::format("Personal best: {} {} in a day", today, noun)},
      {"body", fmt::format("More {} than on any day before: your best was {} on {}.", noun, best, best_date)},
      {"metric", noun},
      {"period", "day"},
      {"value", today},
      {"target", best}};
  return Celebrate(notifications_, c, e.org_id, e.user_id, std::move(celebration), fmt::format("best:{}:{}", noun, date));
}

}  // namespace chosen::hub
