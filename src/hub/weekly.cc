#include "hub/weekly.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time_util.h"
#include "hub/daily.h"
#include "hub/goals.h"

namespace chosen::hub {
namespace {

constexpr std::string_view kItemColumns = "id, user_id, week, day, position, title, status, created_at, updated_at";

json::object ItemJson(const store::Row& r) {
  return {{"id", r.Int(0)},
          {"user_id", r.Int(1)},
          {"week", r.Str(2)},
          {"day", r.IsNull(3) ? json::value(nullptr) : json::value(r.Int(3))},
          {"position", r.Int(4)},
          {"title", r.Str(5)},
          {"status", r.Str(6)},
          {"created_at", FormatIso(r.Int(7))},
          {"updated_at", FormatIso(r.Int(8))}};
}

// The Monday of the week containing `date` (empty: today in `tz`).
Result<std::string> WeekOf(const std::string& date, TimestampMs now, std::string_view tz) {
  if (date.empty()) return PeriodOf(Period::kWeek, LocalDate(now, tz)).from;
  if (auto st = ValidateDate(date, "week"); !st) return st.error();
  return PeriodOf(Period::kWeek, date).from;
}

// The item's fields from a body; each only when present. kInvalidArgument
// naming the field.
struct ItemFields {
  std::optional<std::string> title, status, week;
  std::optional<std::optional<std::int64_t>> day;  // present: null or 1-7
  std::optional<std::int64_t> position, user_id;
};

Result<ItemFields> ParseItem(const json::object& body, std::initializer_list<std::string_view> allowed) {
  ItemFields f;
  for (const auto& [k, v] : body) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end())
      return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(k)), std::string(k));
    if (k == "title") {
      std::string t = v.is_string() ? Trim(v.as_string()) : std::string();
      if (t.empty() || CharCount(t) > Weekly::kMaxTitleChars)
        return Error::Invalid(fmt::format("title must be 1 to {} characters", Weekly::kMaxTitleChars), "title");
      f.title = std::move(t);
    } else if (k == "status") {
      std::string s = v.is_string() ? std::string(v.as_string()) : std::string();
      if (s != "planned" && s != "done" && s != "skipped")
        return Error::Invalid("status must be one of: planned, done, skipped", "status");
      f.status = std::move(s);
    } else if (k == "week") {
      if (!v.is_string()) return Error::Invalid("week must be a date (YYYY-MM-DD)", "week");
      if (auto st = ValidateDate(v.as_string(), "week"); !st) return st.error();
      f.week = std::string(v.as_string());
    } else if (k == "day") {
      if (v.is_null()) {
        f.day = std::optional<std::int64_t>();
      } else {
        if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > 7)
          return Error::Invalid("day must be 1 (Monday) to 7 (Sunday), or null", "day");
        f.day = v.as_int64();
      }
    } else if (k == "position") {
      if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() > Weekly::kMaxItemsPerWeek)
        return Error::Invalid(fmt::format("position must be a whole number from 0 to {}", Weekly::kMaxItemsPerWeek),
                              "position");
      f.position = v.as_int64();
    } else if (k == "user_id") {
      if (!v.is_int64() || v.as_int64() < 1) return Error::Invalid("user_id must be a positive integer", "user_id");
      f.user_id = v.as_int64();
    }
  }
  return f;
}

std::string DayClause(const std::optional<std::int64_t>& day) { return day ? "day = ?" : "day IS NULL"; }

std::vector<store::Value> DayArgs(std::int64_t user_id, const std::string& week, const std::optional<std::int64_t>& day) {
  std::vector<store::Value> args{user_id, week};
  if (day) args.push_back(*day);
  return args;
}

// Numbers the items of one day 0..n-1 in the order of `ids`.
Status Renumber(store::Connection& c, const std::vector<std::int64_t>& ids, TimestampMs now) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (auto r = c.Exec("UPDATE plan_items SET position = ?, updated_at = ? WHERE id = ? AND position <> ?",
                        {static_cast<std::int64_t>(i), now, ids[i], static_cast<std::int64_t>(i)});
        !r)
      return r.error();
  return {};
}

Result<std::vector<std::int64_t>> DayIds(store::Connection& c, std::int64_t user_id, const std::string& week,
                                         const std::optional<std::int64_t>& day, std::int64_t except) {
  auto rows = c.Query(fmt::format("SELECT id FROM plan_items WHERE user_id = ? AND week = ? AND {} ORDER BY position, id",
                                  DayClause(day)),
                      DayArgs(user_id, week, day));
  if (!rows) return rows.error();
  std::vector<std::int64_t> ids;
  for (const auto& r : *rows)
    if (r.Int(0) != except) ids.push_back(r.Int(0));
  return ids;
}

Result<json::array> Items(store::Connection& c, std::int64_t user_id, const std::string& week) {
  auto rows = c.Query(fmt::format("SELECT {} FROM plan_items WHERE user_id = ? AND week = ? ORDER BY COALESCE(day, 0), "
                                  "position, id",
                                  kItemColumns),
                      {user_id, week});
  if (!rows) return rows.error();
  json::array out;
  for (const auto& r : *rows) out.push_back(ItemJson(r));
  return out;
}

const char* const kWeekdays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

}  // namespace

std::pair<std::string, std::string> PeerBand(const std::vector<double>& group, double you) {
  // Mid-rank percentile: the share below, and half the ties (self included).
  double below = 0, tied = 0;
  for (double v : group) {
    below += v < you;
    tied += v == you;
  }
  const double pr = (below + tied / 2) / static_cast<double>(group.size());
  if (tied == static_cast<double>(group.size())) return {"level", "Level with everyone"};
  if (pr >= 0.9) return {"top_10", "Top 10%"};
  if (pr >= 0.75) return {"top_25", "Top 25%"};
  if (pr >= 0.5) return {"upper_half", "Upper half"};
  if (pr >= 0.25) return {"lower_half", "Lower half"};
  return {"bottom_25", "Lower quarter"};
}

Result<store::Rows> PeerGroup(store::Connection& c, const auth::Actor& actor, bool team) {
  return c.Query(fmt::format("SELECT id, name, timezone FROM users WHERE org_id = ? AND (id = ? OR (role = 'officer'{}))",
                             team ? " AND team_id = ?" : ""),
                 team ? std::vector<store::Value>{actor.org_id, actor.user_id, actor.team_id}
                      : std::vector<store::Value>{actor.org_id, actor.user_id});
}

Result<json::object> Weekly::Plan(const auth::Actor& actor, std::int64_t user_id, const std::string& week) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto monday = WeekOf(week, clock_.Now(), *tz);
    if (!monday) return monday.error();
    auto items = Items(c, user_id, *monday);
    if (!items) return items.error();
    out = {{"user_id", user_id}, {"week", *monday}, {"items", std::move(*items)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Weekly::AddItem(const auth::Actor& actor, const json::object& body) {
  auto f = ParseItem(body, {"title", "week", "day", "status", "user_id"});
  if (!f) return f.error();
  if (!f->title) return Error::Invalid(fmt::format("title must be 1 to {} characters", kMaxTitleChars), "title");
  const std::int64_t user_id = f->user_id.value_or(actor.user_id);
  const std::optional<std::int64_t> day = f->day.value_or(std::nullopt);
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto monday = WeekOf(f->week.value_or(""), now, *tz);
    if (!monday) return monday.error();
    auto count = c.Query("SELECT COUNT(*) FROM plan_items WHERE user_id = ? AND week = ?", {user_id, *monday});
    if (!count) return count.error();
    if (count->front().Int(0) >= kMaxItemsPerWeek)
      return Error::Invalid(fmt::format("a week's plan holds at most {} items", kMaxItemsPerWeek), "week");
    auto ids = DayIds(c, user_id, *monday, day, 0);
    if (!ids) return ids.error();
    auto rows = c.Query(fmt::format("INSERT INTO plan_items (org_id, user_id, week, day, position, title, status, "
                                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {}",
                                    kItemColumns),
                        {actor.org_id, user_id, *monday, day ? store::Value{*day} : store::Value{},
                         static_cast<std::int64_t>(ids->size()), *f->title, f->status.value_or("planned"), now, now});
    if (!rows) return rows.error();
    out = ItemJson(rows->front());
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Weekly::UpdateItem(const auth::Actor& actor, std::int64_t id, const json::object& body) {
  auto f = ParseItem(body, {"title", "status", "day", "position"});
  if (!f) return f.error();
  const TimestampMs now = clock_.Now();
  std::int64_t user_id = 0;
  std::string week;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT user_id, week, day, position FROM plan_items WHERE id = ? AND org_id = ?",
                        {id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound(fmt::format("plan item {} not found", id));
    const auto& r = rows->front();
    user_id = r.Int(0);
    week = r.Str(1);
    if (!ReadableUserTimezone(c, actor, user_id)) return Error::NotFound(fmt::format("plan item {} not found", id));
    const std::optional<std::int64_t> from = r.IsNull(2) ? std::nullopt : std::optional<std::int64_t>(r.Int(2));
    if (f->day || f->position) {
      // A move: out of its day, into `to` at `position` (clamped), both
      // days renumbered.
      const std::optional<std::int64_t> to = f->day ? *f->day : from;
      auto source = DayIds(c, user_id, week, from, id);
      if (!source) return source.error();
      auto target = to == from ? source : DayIds(c, user_id, week, to, id);
      if (!target) return target.error();
      const auto at = std::min<std::size_t>(static_cast<std::size_t>(f->position.value_or(
                                                static_cast<std::int64_t>(target->size()))),
                                            target->size());
      target->insert(target->begin() + static_cast<std::ptrdiff_t>(at), id);
      if (auto u = c.Exec("UPDATE plan_items SET day = ?, updated_at = ? WHERE id = ?",
                          {to ? store::Value{*to} : store::Value{}, now, id});
          !u)
        return u.error();
      if (to != from)
        if (auto s = Renumber(c, *source, now); !s) return s;
      if (auto s = Renumber(c, *target, now); !s) return s;
    }
    if (f->title)
      if (auto u = c.Exec("UPDATE plan_items SET title = ?, updated_at = ? WHERE id = ?", {*f->title, now, id}); !u)
        return u.error();
    if (f->status)
      if (auto u = c.Exec("UPDATE plan_items SET status = ?, updated_at = ? WHERE id = ?", {*f->status, now, id}); !u)
        return u.error();
    return {};
  });
  if (!st) return st.error();
  return Plan(actor, user_id, week);
}

Status Weekly::DeleteItem(const auth::Actor& actor, std::int64_t id) {
  return db_.Write([&](store::Connection& c) -> Status {
    auto rows = c.Query("SELECT user_id, week, day FROM plan_items WHERE id = ? AND org_id = ?", {id, actor.org_id});
    if (!rows) return rows.error();
    if (rows->empty() || !ReadableUserTimezone(c, actor, rows->front().Int(0)))
      return Error::NotFound(fmt::format("plan item {} not found", id));
    const auto& r = rows->front();
    const std::optional<std::int64_t> day = r.IsNull(2) ? std::nullopt : std::optional<std::int64_t>(r.Int(2));
    auto rest = DayIds(c, r.Int(0), r.Str(1), day, id);
    if (!rest) return rest.error();
    if (auto d = c.Exec("DELETE FROM plan_items WHERE id = ?", {id}); !d) return d.error();
    return Renumber(c, *rest, clock_.Now());
  });
}

Result<json::object> Weekly::Week(const auth::Actor& actor, std::int64_t user_id, const std::string& week) {
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto tz = ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto monday = WeekOf(week, now, *tz);
    if (!monday) return monday.error();
    const DateRange range = PeriodOf(Period::kWeek, *monday);
    auto progress = ProgressOf(c, user_id, *tz, Period::kWeek, LocalTimeOn(range.from, 12 * 60, *tz));
    if (!progress) return progress.error();
    auto items = Items(c, user_id, *monday);
    if (!items) return items.error();

    // The thermometer: each weekly goal's attainment (capped at 100%) and,
    // with a plan, the share of its items done, averaged; a set plan is
    // itself the first 10% (work toward the week starts with planning it).
    std::vector<double> parts;
    int goals = 0, met = 0;
    for (const auto& m : progress->at("metrics").as_array()) {
      if (m.at("percent").is_null()) continue;
      ++goals;
      const double p = m.at("percent").to_number<double>();
      met += p >= 1;
      parts.push_back(std::min(1.0, p));
    }
    std::int64_t planned = 0, done = 0;
    for (const auto& i : *items) {
      if (i.at("status") == "skipped") continue;
      ++planned;
      done += i.at("status") == "done";
    }
    if (planned > 0) parts.push_back(static_cast<double>(done) / static_cast<double>(planned));
    const bool plan_credit = planned > 0;
    double mean = 0;
    for (double p : parts) mean += p;
    if (!parts.empty()) mean /= static_cast<double>(parts.size());
    const auto percent = parts.empty() ? 0 : std::lround((plan_credit ? 10.0 : 0.0) + (plan_credit ? 90.0 : 100.0) * mean);
    std::string message;
    if (parts.empty()) {
      message = "Set a weekly goal or plan your week to start the thermometer.";
    } else {
      std::vector<std::string> bits;
      if (goals) bits.push_back(fmt::format("{} of {} weekly goal{} met", met, goals, goals == 1 ? "" : "s"));
      if (planned) bits.push_back(fmt::format("{} of {} plan item{} done", done, planned, planned == 1 ? "" : "s"));
      message = fmt::format("{}% of the way: {}.", percent, bits.size() == 2 ? bits[0] + ", " + bits[1] : bits[0]);
    }

    json::array best;
    auto days = StoredFindings(c, user_id, "best_days");
    if (!days) return days.error();
    for (const auto& d : *days) best.push_back(json::object{{"subject", d.at("subject")}, {"days", d.at("days")},
                                                            {"message", d.at("message")}});

    // The content calendar: the topics many open leads share, one per
    // working day spread over the week's remaining working days.
    json::array calendar;
    auto topics = StoredFindings(c, user_id, "content_demand");
    if (!topics) return topics.error();
    auto user = c.Query("SELECT work_days FROM users WHERE id = ?", {user_id});
    if (!user) return user.error();
    const std::string today = LocalDate(now, *tz);
    std::vector<std::string> open_days;
    for (int i = 0; i < 7; ++i)
      if (const std::string d = AddDays(range.from, i);
          d >= today && IsWorkingDay(user->front().Str(0), d))
        open_days.push_back(d);
    for (std::size_t i = 0; i < topics->size() && !open_days.empty(); ++i) {
      const auto& t = (*topics)[i];
      const std::size_t slot = topics->size() == 1 ? 0 : i * (open_days.size() - 1) / (topics->size() - 1);
      const std::string& d = open_days[std::min(slot, open_days.size() - 1)];
      const std::string topic(t.at("topic").as_string());
      auto posted = c.Query(
          "SELECT COUNT(*) FROM activities WHERE owner_id = ? AND type IN ('video_post', 'social_post') AND "
          "occurred_at >= ? AND occurred_at < ? AND lower(topic) = ?",
          {user_id, LocalMidnight(range.from, *tz), LocalMidnight(range.to, *tz), ToLower(topic)});
      if (!posted) return posted.error();
      calendar.push_back(json::object{{"date", d},
                                      {"weekday", kWeekdays[WeekdayOf(d)]},
                                      {"topic", topic},
                                      {"open_contacts", t.at("evidence").at("open_contacts")},
                                      {"posted", posted->front().Int(0) > 0}});
    }
    out = {{"user_id", user_id},
           {"week", {{"from", range.from}, {"to", range.to}}},
           {"timezone", *tz},
           {"progress", std::move(*progress)},
           {"thermometer",
            {{"percent", percent},
             {"goals", goals},
             {"goals_met", met},
             {"plan_items", planned},
             {"plan_done", done},
             {"plan_credit", plan_credit},
             {"message", message}}},
           {"best_days", std::move(best)},
           {"content_calendar", std::move(calendar)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Weekly::Peers(const auth::Actor& actor, std::string_view scope, std::string_view period_name) {
  if (scope != "team" && scope != "org") return Error::Invalid("scope must be team or org", "scope");
  const auto period = ParsePeriod(period_name);
  if (period != Period::kWeek && period != Period::kMonth)
    return Error::Invalid("period must be week or month", "period");
  const TimestampMs now = clock_.Now();
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // The group: the scope's officers, and the caller.
    const bool team = scope == "team";
    auto rows = PeerGroup(c, actor, team);
    if (!rows) return rows.error();
    const std::size_t n = team && actor.team_id == 0 ? 1 : rows->size();
    const DateRange mine = PeriodOf(*period, LocalDate(now, actor.timezone));
    out = {{"scope", scope},         {"period", PeriodName(*period)}, {"from", mine.from},
           {"to", mine.to},          {"group_size", n},               {"min_group", kMinPeerGroup},
           {"status", "too_small"},  {"metrics", json::array()}};
    if (n < static_cast<std::size_t>(kMinPeerGroup)) {
      out["message"] = fmt::format(
          "Peer bands need at least {} officers in your {} so that no one's numbers can be singled out{}.",
          kMinPeerGroup, scope, team && actor.team_id == 0 ? "; you are not on a team" : "");
      return {};
    }
    // Each officer's own current period in their own time zone.
    std::vector<MetricValues> values;
    MetricValues you{};
    for (const auto& r : *rows) {
      const DateRange p = PeriodOf(*period, LocalDate(now, r.Str(2)));
      auto v = CountMetrics(c, r.Int(0), LocalMidnight(p.from, r.Str(2)), LocalMidnight(p.to, r.Str(2)));
      if (!v) return v.error();
      if (r.Int(0) == actor.user_id) you = *v;
      values.push_back(*v);
    }
    json::array metrics;
    for (std::size_t m = 0; m < GoalMetrics().size(); ++m) {
      std::vector<double> group;
      for (const auto& v : values) group.push_back(v[m]);
      const auto [band, label] = PeerBand(group, you[m]);
      metrics.push_back(json::object{{"metric", GoalMetrics()[m]}, {"you", MetricJson(m, you[m])}, {"band", band},
                                     {"label", label}});
    }
    out["status"] = "ok";
    out["message"] = fmt::format("Where you stand among the {} officers of your {} this {}; no one else's numbers are "
                                 "shown.",
                                 n, scope, PeriodName(*period));
    out["metrics"] = std::move(metrics);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace chosen::hub
