#include "game/game.h"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/time_util.h"
#include "hub/goals.h"
#include "hub/periods.h"

namespace chosen::game {
namespace {

// The actions whose events can earn points (AwardFor gives every other
// action nothing).
constexpr std::array<std::string_view, 9> kAwarded = {"call_logged",       "text_logged",        "email_logged",
                                                      "meeting_logged",    "video_post_logged", "social_post_logged",
                                                      "task_completed",    "deal_created",       "deal_closed"};

bool Awarded(std::string_view action) { return std::find(kAwarded.begin(), kAwarded.end(), action) != kAwarded.end(); }

// The same list as SQL: ('call_logged', ...).
const std::string& AwardedActionsSql() {
  static const std::string sql = "('" + fmt::format("{}", fmt::join(kAwarded, "', '")) + "')";
  return sql;
}

// Every version of an org's table, to price events at their own time.
class TableHistory {
 public:
  static Result<TableHistory> Load(store::Connection& c, std::int64_t org_id) {
    auto rows = c.Query("SELECT effective_from, action, points FROM points_rules WHERE org_id = ? ORDER BY "
                        "effective_from, action",
                        {org_id});
    if (!rows) return rows.error();
    TableHistory h;
    for (const auto& r : *rows) h.changes_.push_back({r.Int(0), r.Str(1), r.Int(2)});
    return h;
  }
  PointsTable At(TimestampMs at) const {
    PointsTable t = DefaultPointsTable();
    for (const auto& ch : changes_) {
      if (ch.from > at) break;
      t[ch.action] = ch.points;
    }
    return t;
  }
  TimestampMs last_change() const { return changes_.empty() ? 0 : changes_.back().from; }

 private:
  struct Change {
    TimestampMs from;
    std::string action;
    std::int64_t points;
  };
  std::vector<Change> changes_;
};

json::object ParseObject(const std::string& text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

// The user's time zone and working days.
struct UserDays {
  std::string tz, work_days;
};
Result<UserDays> DaysOf(store::Connection& c, std::int64_t user_id) {
  auto rows = c.Query("SELECT timezone, work_days FROM users WHERE id = ?", {user_id});
  if (!rows) return rows.error();
  if (rows->empty()) return UserDays{"UTC", "1,2,3,4,5"};
  return UserDays{rows->front().Str(0), rows->front().Str(1)};
}

// The counters an award adds to, plus partner meetings (a meeting with a
// contact who is a referral partner now).
Result<std::vector<std::string>> CountersOf(store::Connection& c, std::string_view action, const json::object& meta,
                                            const Award& award) {
  std::vector<std::string> counters = award.counters;
  if (action == "meeting_logged") {
    auto contact = meta.find("contact_id");
    if (contact != meta.end() && contact->value().is_int64()) {
      auto status = c.Query("SELECT status FROM contacts WHERE id = ?", {contact->value().as_int64()});
      if (!status) return status.error();
      if (!status->empty() && status->front().Str(0) == "REFERRAL_PARTNER") counters.push_back("partner_meetings");
    }
  }
  return counters;
}

// The local date a call_logged event's call happened on.
std::string CallDay(const json::object& meta, TimestampMs fallback, std::string_view tz) {
  auto at = ParseIso(StringOr(meta, "occurred_at"), "occurred_at");
  return LocalDate(at ? *at : fallback, tz);
}

}  // namespace

namespace {

// Actions paid once per record: closing the same deal won again after a
// reopen, or completing a task again, earns nothing the second time.
bool OncePerRecord(std::string_view action) { return action == "deal_closed" || action == "task_completed"; }

}  // namespace

Result<Award> Game::AwardOf(store::Connection& c, const crm::Event& e, const PointsTable& table) {
  Award award = AwardFor(e.action, e.metadata, table);
  if (award.counters.empty() || !OncePerRecord(e.action) || e.entity_id == 0) return award;
  auto earlier = c.Query("SELECT 1 FROM events e JOIN points_ledger l ON l.event_id = e.id WHERE e.entity_type = ? AND "
                         "e.entity_id = ? AND e.action = ? AND e.id < ? AND l.points > 0 LIMIT 1",
                         {e.entity_type, e.entity_id, e.action, e.id});
  if (!earlier) return earlier.error();
  if (earlier->empty()) return award;
  // Recorded (so the event is not awarded later) at no points, counting nothing.
  return Award{0, "paid once per record: " + award.reason, {}};
}

Result<PointsTable> Game::TableAt(store::Connection& c, std::int64_t org_id, TimestampMs at) {
  auto h = TableHistory::Load(c, org_id);
  if (!h) return h.error();
  return h->At(at);
}

Result<bool> Game::Apply(store::Connection& c, const crm::Event& e, const Award& award) {
  auto row = c.Exec(
      "INSERT INTO points_ledger (org_id, user_id, kind, points, event_id, reason, created_at) VALUES "
      "(?, ?, 'award', ?, ?, ?, ?) ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING",
      {e.org_id, e.user_id, award.points, e.id, award.reason, e.created_at});
  if (!row) return row.error();
  if (*row == 0) return false;  // awarded already: once per event
  auto up = c.Exec(
      "INSERT INTO user_points (user_id, org_id, lifetime, balance) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO "
      "UPDATE SET lifetime = user_points.lifetime + excluded.lifetime, balance = user_points.balance + "
      "excluded.balance",
      {e.user_id, e.org_id, award.points, award.points});
  if (!up) return up.error();
  auto counters = CountersOf(c, e.action, e.metadata, award);
  if (!counters) return counters.error();
  for (const auto& m : *counters)
    if (auto r = c.Exec("INSERT INTO game_counters (user_id, metric, value) VALUES (?, ?, 1) ON CONFLICT (user_id, "
                        "metric) DO UPDATE SET value = game_counters.value + 1",
                        {e.user_id, m});
        !r)
      return r.error();
  return true;
}

namespace {

// The key of a day's or a week's count of `metric` among game_counters:
// "calls@day:2026-11-20", "calls@week:2026-11-16".
std::string PeriodKey(std::string_view metric, Badge::Scope scope, const std::string& date) {
  return scope == Badge::Scope::kDay ? fmt::format("{}@day:{}", metric, date)
                                     : fmt::format("{}@week:{}", metric, hub::PeriodOf(hub::Period::kWeek, date).from);
}

}  // namespace

Status Game::OnEvent(store::Connection& c, const crm::Event& e) {
  if (e.user_id == 0 || !Awarded(e.action)) return {};
  auto table = TableAt(c, e.org_id, e.created_at);
  if (!table) return table.error();
  auto awarded = AwardOf(c, e, *table);
  if (!awarded) return awarded.error();
  const Award& award = *awarded;
  if (award.counters.empty() && award.reason.empty()) return {};
  auto applied = Apply(c, e, award);
  if (!applied) return applied.error();
  if (!*applied) return {};
  auto days = DaysOf(c, e.user_id);
  if (!days) return days.error();
  bool new_day = false;
  std::string day;
  if (e.action == "call_logged") {
    day = CallDay(e.metadata, e.created_at, days->tz);
    // The day's and week's counts the day and week badges read (O(1) per
    // call, where recounting the week's activities would grow with it).
    for (const auto& b : Badges())
      if ((b.scope == Badge::Scope::kDay || b.scope == Badge::Scope::kWeek) &&
          std::find(award.counters.begin(), award.counters.end(), b.metric) != award.counters.end())
        if (auto r = c.Exec("INSERT INTO game_counters (user_id, metric, value) VALUES (?, ?, 1) ON CONFLICT (user_id, "
                            "metric) DO UPDATE SET value = game_counters.value + 1",
                            {e.user_id, PeriodKey(b.metric, b.scope, day)});
            !r)
          return r.error();
    auto added = c.Query("INSERT INTO streak_days (user_id, day) VALUES (?, ?) ON CONFLICT (user_id, day) DO NOTHING "
                         "RETURNING day",
                         {e.user_id, day});
    if (!added) return added.error();
    new_day = !added->empty();
  }
  std::optional<json::object> streak;
  if (new_day) {
    auto s = StreakOf(c, e.user_id, days->tz, days->work_days);
    if (!s) return s.error();
    streak = std::move(*s);
    // A streak milestone, the day it is reached.
    const auto n = streak->at("current").as_int64();
    const auto& ms = StreakMilestones();
    if (day == LocalDate(e.created_at, days->tz) && std::find(ms.begin(), ms.end(), n) != ms.end())
      if (auto st = hub::Celebrate(
              notifications_, c, e.org_id, e.user_id,
              json::object{{"kind", "streak"},
                           {"title", fmt::format("{}-day call streak", n)},
                           {"body", fmt::format("A call on each of your last {} working days. Keep it going.", n)},
                           {"metric", "streak"},
                           {"value", n}},
              fmt::format("streak:{}:{}", n, std::string(streak->at("since").as_string())));
          !st)
        return st;
  }
  return CheckBadges(c, e, award, day, streak);
}

Status Game::CheckBadges(store::Connection& c, const crm::Event& e, const Award& award, const std::string& day,
                         const std::optional<json::object>& streak) {
  auto touched = [&](const Badge& b) {
    if (b.scope == Badge::Scope::kStreak) return streak.has_value();
    if (b.metric == "partner_meetings") return e.action == "meeting_logged";
    return std::find(award.counters.begin(), award.counters.end(), b.metric) != award.counters.end();
  };
  std::vector<const Badge*> candidates;
  for (const auto& b : Badges())
    if (touched(b)) candidates.push_back(&b);
  if (candidates.empty()) return {};
  auto earned = c.Query("SELECT badge FROM badges_earned WHERE user_id = ?", {e.user_id});
  if (!earned) return earned.error();
  std::set<std::string> have;
  for (const auto& r : *earned) have.insert(r.Str(0));
  for (const Badge* b : candidates) {
    if (have.contains(b->key)) continue;
    std::int64_t value = 0;
    if (b->scope == Badge::Scope::kStreak) {
      value = streak->at("current").as_int64();
    } else {
      const std::string key = b->scope == Badge::Scope::kLifetime ? b->metric : PeriodKey(b->metric, b->scope, day);
      auto v = c.Query("SELECT value FROM game_counters WHERE user_id = ? AND metric = ?", {e.user_id, key});
      if (!v) return v.error();
      value = v->empty() ? 0 : v->front().Int(0);
    }
    if (value < b->threshold) continue;
    auto ins = c.Query("INSERT INTO badges_earned (user_id, badge, earned_at) VALUES (?, ?, ?) ON CONFLICT (user_id, "
                       "badge) DO NOTHING RETURNING badge",
                       {e.user_id, b->key, e.created_at});
    if (!ins) return ins.error();
    if (ins->empty()) continue;
    if (auto st = hub::Celebrate(notifications_, c, e.org_id, e.user_id,
                                 json::object{{"kind", "badge"},
                                              {"title", fmt::format("Badge unlocked: {}", b->name)},
                                              {"body", b->description},
                                              {"badge", b->key}},
                                 "badge:" + b->key);
        !st)
      return st;
  }
  return {};
}

Result<json::object> Game::StreakOf(store::Connection& c, std::int64_t user_id, const std::string& tz,
                                    const std::string& work_days) {
  const std::string today = LocalDate(clock_.Now(), tz);
  const std::string from = AddDays(today, -401);
  auto rows = c.Query("SELECT day FROM streak_days WHERE user_id = ? AND day >= ?", {user_id, from});
  if (!rows) return rows.error();
  auto frozen_rows = c.Query("SELECT day FROM streak_freezes WHERE user_id = ? AND day >= ?", {user_id, from});
  if (!frozen_rows) return frozen_rows.error();
  std::set<std::string> days, frozen;
  for (const auto& r : *rows) days.insert(r.Str(0));
  int used = 0;
  for (const auto& r : *frozen_rows) {
    frozen.insert(r.Str(0));
    used += r.Str(0).substr(0, 7) == today.substr(0, 7);
  }
  const Streak s = ComputeStreak(days, frozen, work_days, today);
  json::value next = nullptr;
  for (int m : StreakMilestones())
    if (m > s.current) {
      next = m;
      break;
    }
  json::array frozen_list;
  for (const auto& d : frozen)
    if (d >= AddDays(today, -kFreezeWindowDays)) frozen_list.push_back(json::value(d));
  return json::object{{"current", s.current},
                      {"today_done", s.today_done},
                      {"since", s.since.empty() ? json::value(nullptr) : json::value(s.since)},
                      {"next_milestone", next},
                      {"freezes_left", std::max(0, kFreezesPerMonth - used)},
                      {"recent_freezes", std::move(frozen_list)}};
}

Result<int> Game::Prune() {
  int n = 0;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    // The key ends in its date: "calls@day:2026-11-20".
    auto r = c.Exec("DELETE FROM game_counters WHERE metric LIKE '%@%' AND substr(metric, length(metric) - 9) < ?",
                    {AddDays(LocalDate(clock_.Now(), "UTC"), -kKeepPeriodDays)});
    if (!r) return r.error();
    n = static_cast<int>(*r);
    return {};
  });
  if (!st) return st.error();
  return n;
}

Result<json::object> Game::Table(const auth::Actor& actor) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto h = TableHistory::Load(c, actor.org_id);
    if (!h) return h.error();
    const PointsTable now = h->At(clock_.Now());
    json::array actions;
    for (const auto& a : PointsActions())
      actions.push_back(json::object{{"key", a.key}, {"label", a.label}, {"points", now.at(a.key)}, {"default", a.points}});
    out = {{"actions", std::move(actions)},
           {"updated_at", h->last_change() ? json::value(FormatIso(h->last_change())) : json::value(nullptr)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Game::PutTable(const auth::Actor& actor, const json::object& body) {
  if (actor.role != auth::Role::kAdmin)
    return Error{ErrorCode::kPermissionDenied, "only an admin may change the points table", {}};
  for (const auto& kv : body)
    if (kv.key() != "points") return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(kv.key())), std::string(kv.key()));
  auto p = body.find("points");
  if (p == body.end() || !p->value().is_object() || p->value().as_object().empty())
    return Error::Invalid("points must be an object of action: points", "points");
  const auto defaults = DefaultPointsTable();
  std::vector<std::pair<std::string, std::int64_t>> changes;
  for (const auto& kv : p->value().as_object()) {
    const std::string key(kv.key());
    const std::string field = "points." + key;
    if (!defaults.contains(key)) return Error::Invalid(fmt::format("unknown action '{}'", key), field);
    if (!kv.value().is_int64() || kv.value().as_int64() < 0 || kv.value().as_int64() > kMaxActionPoints)
      return Error::Invalid(fmt::format("{} must be a whole number from 0 to {}", field, kMaxActionPoints), field);
    changes.emplace_back(key, kv.value().as_int64());
  }
  const TimestampMs now = clock_.Now();
  auto st = db_.Write([&](store::Connection& c) -> Status {
    for (const auto& [key, points] : changes)
      if (auto r = c.Exec("INSERT INTO points_rules (org_id, action, points, effective_from, set_by) VALUES (?, ?, ?, ?, "
                          "?) ON CONFLICT (org_id, action, effective_from) DO UPDATE SET points = excluded.points",
                          {actor.org_id, key, points, now, actor.user_id});
          !r)
        return r.error();
    return {};
  });
  if (!st) return st.error();
  return Table(actor);
}

Result<json::object> Game::Profile(const auth::Actor& actor, std::int64_t user_id) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto tz = hub::ReadableUserTimezone(c, actor, user_id);
    if (!tz) return tz.error();
    auto points = c.Query("SELECT lifetime, balance FROM user_points WHERE user_id = ?", {user_id});
    if (!points) return points.error();
    const std::int64_t lifetime = points->empty() ? 0 : points->front().Int(0);
    const std::int64_t balance = points->empty() ? 0 : points->front().Int(1);
    auto counters = c.Query("SELECT metric, value FROM game_counters WHERE user_id = ?", {user_id});
    if (!counters) return counters.error();
    std::map<std::string, std::int64_t> count;
    for (const auto& r : *counters) count[r.Str(0)] = r.Int(1);
    auto earned = c.Query("SELECT badge, earned_at FROM badges_earned WHERE user_id = ?", {user_id});
    if (!earned) return earned.error();
    std::map<std::string, TimestampMs> got;
    for (const auto& r : *earned) got[r.Str(0)] = r.Int(1);
    auto days = DaysOf(c, user_id);
    if (!days) return days.error();
    auto streak = StreakOf(c, user_id, *tz, days->work_days);
    if (!streak) return streak.error();
    const std::string today = LocalDate(clock_.Now(), *tz);
    json::array badges;
    for (const auto& b : Badges()) {
      std::int64_t value = 0;
      if (b.scope == Badge::Scope::kLifetime) value = count[b.metric];
      else if (b.scope == Badge::Scope::kStreak) value = user_id == actor.user_id ? streak->at("current").as_int64() : 0;
      else value = count[PeriodKey(b.metric, b.scope, today)];
      auto it = got.find(b.key);
      badges.push_back(json::object{
          {"key", b.key},
          {"name", b.name},
          {"description", b.description},
          {"earned_at", it == got.end() ? json::value(nullptr) : json::value(FormatIso(it->second))},
          // Streaks are private: others see whether the badge is earned, not how close.
          {"progress", b.scope == Badge::Scope::kStreak && user_id != actor.user_id
                           ? json::value(nullptr)
                           : json::value(json::object{{"value", std::min(value, b.threshold)}, {"threshold", b.threshold}})}});
    }
    json::object counts;
    for (const auto& [k, v] : count)
      if (k.find('@') == std::string::npos) counts[k] = v;
    out = {{"user_id", user_id},
           {"points", {{"lifetime", lifetime}, {"balance", balance}}},
           {"level", LevelJson(lifetime)},
           {"badges", std::move(badges)},
           {"counters", std::move(counts)},
           {"streak", user_id == actor.user_id ? json::value(std::move(*streak)) : json::value(nullptr)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Game::Ledger(const auth::Actor& actor, std::int64_t user_id, int limit, std::int64_t before) {
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    if (auto tz = hub::ReadableUserTimezone(c, actor, user_id); !tz) return tz.error();
    auto rows = c.Query(
        "SELECT id, kind, points, reason, event_id, redemption_id, created_at FROM points_ledger WHERE user_id = ? AND "
        "id < ? ORDER BY id DESC LIMIT ?",
        {user_id, before > 0 ? before : std::numeric_limits<std::int64_t>::max(), std::int64_t{limit + 1}});
    if (!rows) return rows.error();
    json::array items;
    for (std::size_t i = 0; i < rows->size() && static_cast<int>(i) < limit; ++i) {
      const auto& r = (*rows)[i];
      items.push_back(json::object{{"id", r.Int(0)},
                                   {"kind", r.Str(1)},
                                   {"points", r.Int(2)},
                                   {"reason", r.Str(3)},
                                   {"event_id", r.IsNull(4) ? json::value(nullptr) : json::value(r.Int(4))},
                                   {"redemption_id", r.IsNull(5) ? json::value(nullptr) : json::value(r.Int(5))},
                                   {"created_at", FormatIso(r.Int(6))}});
    }
    const bool more = static_cast<int>(rows->size()) > limit;
    out = {{"items", std::move(items)},
           {"next_before", more ? json::value((*rows)[static_cast<std::size_t>(limit) - 1].Int(0)) : json::value(nullptr)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Game::Freeze(const auth::Actor& actor, const json::object& body) {
  for (const auto& kv : body)
    if (kv.key() != "date") return Error::Invalid(fmt::format("unknown field '{}'", std::string_view(kv.key())), std::string(kv.key()));
  auto d = body.find("date");
  if (d == body.end() || !d->value().is_string()) return Error::Invalid("date must be a date (YYYY-MM-DD)", "date");
  const std::string date(d->value().as_string());
  if (auto st = ValidateDate(date, "date"); !st) return st.error();
  json::object out;
  auto st = db_.Write([&](store::Connection& c) -> Status {
    auto days = DaysOf(c, actor.user_id);
    if (!days) return days.error();
    const std::string today = LocalDate(clock_.Now(), days->tz);
    if (date >= today || hub::DaysBetween(date, today) > kFreezeWindowDays)
      return Error::Invalid(fmt::format("a freeze covers a day of the last {} days, before today", kFreezeWindowDays),
                            "date");
    if (!hub::IsWorkingDay(days->work_days, date))
      return Error::Invalid("that is not one of your working days: it cannot break a streak", "date");
    auto taken = c.Query(
        "SELECT (SELECT COUNT(*) FROM streak_days WHERE user_id = ? AND day = ?), (SELECT COUNT(*) FROM streak_freezes "
        "WHERE user_id = ? AND day = ?), (SELECT COUNT(*) FROM streak_freezes WHERE user_id = ? AND day >= ? AND day < ?)",
        {actor.user_id, date, actor.user_id, date, actor.user_id, date.substr(0, 7) + "-01",
         hub::PeriodOf(hub::Period::kMonth, date).to});
    if (!taken) return taken.error();
    const auto& t = taken->front();
    if (t.Int(0) > 0) return Error::Invalid("you called that day: there is nothing to freeze", "date");
    if (t.Int(1) > 0) return Error{ErrorCode::kConflict, "that day is frozen already", "date"};
    if (t.Int(2) >= kFreezesPerMonth)
      return Error{ErrorCode::kConflict, fmt::format("at most {} freezes a month", kFreezesPerMonth), "date"};
    if (auto r = c.Exec("INSERT INTO streak_freezes (user_id, day, created_at) VALUES (?, ?, ?)",
                        {actor.user_id, date, clock_.Now()});
        !r)
      return r.error();
    auto s = StreakOf(c, actor.user_id, days->tz, days->work_days);
    if (!s) return s.error();
    out = std::move(*s);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<json::object> Game::Recompute(const auth::Actor& actor) {
  if (actor.role != auth::Role::kAdmin) return Error{ErrorCode::kPermissionDenied, "only an admin may recompute points", {}};
  std::int64_t awarded = 0, points = 0, after = 0;
  // In batches, each its own transaction: an org's history may be millions
  // of events; a batch that fails leaves the earlier ones applied (each is
  // complete: award, balance, counters, streak day).
  for (;;) {
    // The batch's tallies live inside the callback, copied out only once it
    // commits: PostgreSQL may run it again after a serialization failure.
    bool more = false;
    std::int64_t batch_awarded = 0, batch_points = 0, batch_after = after;
    auto st = db_.Write([&](store::Connection& c) -> Status {
      batch_awarded = batch_points = 0;
      batch_after = after;
      auto h = TableHistory::Load(c, actor.org_id);
      if (!h) return h.error();
      auto rows = c.Query(fmt::format("SELECT e.id, e.user_id, e.action, e.metadata, e.created_at, e.entity_type, "
                                      "e.entity_id FROM events e WHERE "
                                      "e.org_id = ? AND e.id > ? AND e.user_id IS NOT NULL AND e.action IN {} AND NOT "
                                      "EXISTS (SELECT 1 FROM points_ledger l WHERE l.event_id = e.id) ORDER BY e.id "
                                      "LIMIT 5000",
                                      AwardedActionsSql()),
                          {actor.org_id, after});
      if (!rows) return rows.error();
      more = rows->size() == 5000;
      std::map<std::int64_t, UserDays> users;
      for (const auto& r : *rows) {
        batch_after = r.Int(0);
        crm::Event e;
        e.id = r.Int(0);
        e.org_id = actor.org_id;
        e.user_id = r.Int(1);
        e.action = r.Str(2);
        e.metadata = ParseObject(r.Str(3));
        e.created_at = r.Int(4);
        e.entity_type = r.Str(5);
        e.entity_id = r.IsNull(6) ? 0 : r.Int(6);
        auto award = AwardOf(c, e, h->At(e.created_at));
        if (!award) return award.error();
        if (award->counters.empty() && award->reason.empty()) continue;
        auto applied = Apply(c, e, *award);
        if (!applied) return applied.error();
        if (!*applied) continue;
        ++batch_awarded;
        batch_points += award->points;
        if (e.action == "call_logged") {
          auto it = users.find(e.user_id);
          if (it == users.end()) {
            auto d = DaysOf(c, e.user_id);
            if (!d) return d.error();
            it = users.emplace(e.user_id, *d).first;
          }
          if (auto ins = c.Exec("INSERT INTO streak_days (user_id, day) VALUES (?, ?) ON CONFLICT (user_id, day) DO "
                                "NOTHING",
                                {e.user_id, CallDay(e.metadata, e.created_at, it->second.tz)});
              !ins)
            return ins.error();
        }
      }
      // Lifetime badges the history reached, unlocked quietly.
      for (const auto& b : Badges()) {
        if (b.scope != Badge::Scope::kLifetime) continue;
        if (auto r = c.Exec("INSERT INTO badges_earned (user_id, badge, earned_at) SELECT g.user_id, ?, ? FROM "
                            "game_counters g JOIN users u ON u.id = g.user_id WHERE u.org_id = ? AND g.metric = ? AND "
                            "g.value >= ? ON CONFLICT (user_id, badge) DO NOTHING",
                            {b.key, clock_.Now(), actor.org_id, b.metric, b.threshold});
            !r)
          return r.error();
      }
      return {};
    });
    if (!st) return st.error();
    awarded += batch_awarded;
    points += batch_points;
    after = batch_after;
    if (!more) break;
  }
  return json::object{{"awarded", awarded}, {"points", points}};
}

Result<json::object> Game::Audit(const auth::Actor& actor) {
  if (actor.role != auth::Role::kAdmin) return Error{ErrorCode::kPermissionDenied, "only an admin may audit points", {}};
  json::object out;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto h = TableHistory::Load(c, actor.org_id);
    if (!h) return h.error();
    struct Sums {
      std::int64_t expected = 0, ledger = 0, redeemed = 0, refunded = 0, lifetime = 0, balance = 0;
    };
    std::map<std::int64_t, Sums> users;
    auto users_rows = c.Query("SELECT u.id, COALESCE(p.lifetime, 0), COALESCE(p.balance, 0) FROM users u LEFT JOIN "
                              "user_points p ON p.user_id = u.id WHERE u.org_id = ?",
                              {actor.org_id});
    if (!users_rows) return users_rows.error();
    for (const auto& r : *users_rows) users[r.Int(0)].lifetime = r.Int(1), users[r.Int(0)].balance = r.Int(2);
    // The event log in batches (an org's may be millions), in id order so
    // that "paid once per record" replays as it was applied.
    std::set<std::string> paid;
    std::int64_t after = 0, events = 0;
    for (;;) {
      auto rows = c.Query(fmt::format("SELECT id, user_id, action, metadata, created_at, entity_type, COALESCE(entity_id, 0) "
                                      "FROM events WHERE org_id = ? AND id > ? AND user_id IS NOT NULL AND action IN {} "
                                      "ORDER BY id LIMIT 10000",
                                      AwardedActionsSql()),
                          {actor.org_id, after});
      if (!rows) return rows.error();
      for (const auto& r : *rows) {
        after = r.Int(0);
        ++events;
        Award award = AwardFor(r.Str(2), ParseObject(r.Str(3)), h->At(r.Int(4)));
        if (award.points > 0 && OncePerRecord(r.Str(2)) && r.Int(6) != 0 &&
            !paid.insert(fmt::format("{}:{}:{}", r.Str(2), r.Str(5), r.Int(6))).second)
          award.points = 0;
        users[r.Int(1)].expected += award.points;
      }
      if (rows->size() < 10000) break;
    }
    auto ledger = c.Query("SELECT user_id, kind, SUM(points) FROM points_ledger WHERE org_id = ? GROUP BY user_id, kind",
                          {actor.org_id});
    if (!ledger) return ledger.error();
    for (const auto& r : *ledger) {
      auto& s = users[r.Int(0)];
      const std::string kind = r.Str(1);
      (kind == "award" ? s.ledger : kind == "redeem" ? s.redeemed : s.refunded) += r.Int(2);
    }
    json::array mismatches;
    for (const auto& [id, s] : users) {
      const std::int64_t expected_balance = s.ledger + s.redeemed + s.refunded;  // redemptions are negative
      if (s.expected == s.ledger && s.lifetime == s.ledger && s.balance == expected_balance) continue;
      mismatches.push_back(json::object{{"user_id", id},
                                        {"ledger", s.ledger},
                                        {"expected", s.expected},
                                        {"lifetime", s.lifetime},
                                        {"balance", s.balance},
                                        {"expected_balance", expected_balance}});
    }
    out = {{"users", users.size()}, {"events", events}, {"mismatches", std::move(mismatches)}};
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace chosen::game
