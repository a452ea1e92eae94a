#include "hub/must_do.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/time_util.h"
#include "hub/periods.h"

namespace chosen::hub {
namespace {

struct Item {
  std::string kind;
  double score = 0;
  std::string title, reason, entity_type;
  std::int64_t entity_id = 0;
};

}  // namespace

Result<json::object> MustDo::Compute(const auth::Actor& user, const std::string& tz, int limit) {
  const TimestampMs now = clock_.Now();
  const std::string today = LocalDate(now, tz);
  std::vector<Item> items;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    // Overdue commitments: 100, and a point per day late (up to 10).
    auto overdue = c.Query(
        "SELECT id, title, due_date FROM tasks WHERE owner_id = ? AND status <> 'completed' AND due_date < ? "
        "ORDER BY due_date, id LIMIT 10",
        {user.user_id, today});
    if (!overdue) return overdue.error();
    for (const auto& r : *overdue) {
      const auto late = DaysBetween(r.Str(2), today);
      items.push_back({"overdue_task", 100.0 + static_cast<double>(std::min(late, 10L)), r.Str(1),
                       fmt::format("overdue by {} day{}", late, late == 1 ? "" : "s"), "task", r.Int(0)});
    }
    // Due today: by priority.
    auto due = c.Query(
        "SELECT id, title, priority FROM tasks WHERE owner_id = ? AND COALESCE(due_date, '9999-12-31') = ? AND "
        "status <> 'completed' ORDER BY id LIMIT 20",  // the task list's sort index: one range, in id order
        {user.user_id, today});
    if (!due) return due.error();
    const std::map<std::string, double> kPriority{{"urgent", 90}, {"high", 80}, {"medium", 60}, {"low", 40}};
    for (const auto& r : *due) {
      auto p = kPriority.find(r.Str(2));
      items.push_back({"task_due_today", p == kPriority.end() ? 40 : p->second, r.Str(1),
                       fmt::format("due today, {} priority", r.Str(2)), "task", r.Int(0)});
    }
    // Speed to lead: new leads (48 h) nobody has contacted.
    auto fresh = c.Query(
        "SELECT id, name, created_at FROM contacts WHERE owner_id = ? AND status = 'LEAD' AND created_at >= ? AND "
        "last_contacted_at IS NULL ORDER BY created_at LIMIT 10",
        {user.user_id, now - 48 * kMsPerHour});
    if (!fresh) return fresh.error();
    for (const auto& r : *fresh) {
      const auto hours = (now - r.Int(2)) / kMsPerHour;
      items.push_back({"new_lead", 95, "Call " + r.Str(1),
                       fmt::format("a new lead nobody has contacted yet (arrived {} hour{} ago)", hours,
                                   hours == 1 ? "" : "s"),
                       "contact", r.Int(0)});
    }
    // Deals expected to close within a week: 75, more the closer.
    auto closing = c.Query(
        "SELECT id, title, expected_close_date, stage FROM deals WHERE owner_id = ? AND stage NOT IN ('Closed Won', "
        "'Closed Lost') AND expected_close_date >= ? AND expected_close_date <= ? ORDER BY expected_close_date LIMIT 10",
        {user.user_id, today, AddDays(today, 7)});
    if (!closing) return closing.error();
    for (const auto& r : *closing) {
      const auto days = DaysBetween(today, r.Str(2));
      items.push_back({"deal_closing", 75.0 + static_cast<double>(7 - days), r.Str(1),
                       fmt::format("expected to close {} and still at {}", days == 0 ? std::string("today")
                                                                            : fmt::format("in {} days", days),
                                   r.Str(3)),
                       "deal", r.Int(0)});
    }
    // Deals stuck in a stage past the officer's threshold (coach settings,
    // 14 days by default): 65, and a point per day over (up to 10).
    auto stuck = c.Query(
        "SELECT d.id, d.title, d.stage, d.stage_changed_at, COALESCE(s.stuck_deal_days, 14) FROM deals d LEFT JOIN "
        "coach_settings s ON s.user_id = d.owner_id WHERE d.owner_id = ? AND d.stage NOT IN ('Closed Won', "
        "'Closed Lost') ORDER BY d.stage_changed_at LIMIT 50",
        {user.user_id});
    if (!stuck) return stuck.error();
    for (const auto& r : *stuck) {
      const auto days = (now - r.Int(3)) / kMsPerDay;
      if (days < r.Int(4)) continue;
      items.push_back({"deal_stuck", 65.0 + static_cast<double>(std::min<std::int64_t>(days - r.Int(4), 10)), r.Str(1),
                       fmt::format("stuck at {} for {} days", r.Str(2), days), "deal", r.Int(0)});
    }
    // Referral partners not talked to in 30 days (or ever): 45.
    auto partners = c.Query(
        "SELECT id, name, last_contacted_at, created_at FROM contacts WHERE owner_id = ? AND status = "
        "'REFERRAL_PARTNER' AND (last_contacted_at IS NULL OR last_contacted_at < ?) ORDER BY last_contacted_at, id "
        "LIMIT 10",
        {user.user_id, now - 30 * kMsPerDay});
    if (!partners) return partners.error();
    for (const auto& r : *partners) {
      const auto days = (now - (r.IsNull(2) ? r.Int(3) : r.Int(2))) / kMsPerDay;
      items.push_back({"partner_check_in", 45, "Check in with " + r.Str(1),
                       r.IsNull(2) ? std::string("a referral partner you have not talked to yet")
                                   : fmt::format("a referral partner you last talked to {} days ago", days),
                       "contact", r.Int(0)});
    }
    // Hot prospects by recent engagement: open leads and prospects who
    // talked with the officer (a reached call or a meeting) at least twice
    // in the last 7 days: 55, and 5 per conversation beyond two, up to 70.
    auto engaged = c.Query(
        "SELECT c.id, c.name, COUNT(*) FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE a.owner_id = ? "
        "AND a.occurred_at >= ? AND c.status IN ('LEAD', 'PROSPECT') AND ((a.type = 'call' AND a.outcome IN "
        "('answered', 'appointment_set', 'application_taken')) OR a.type = 'meeting') GROUP BY c.id, c.name "
        "HAVING COUNT(*) >= 2 ORDER BY COUNT(*) DESC, c.id LIMIT 10",
        {user.user_id, now - 7 * kMsPerDay});
    if (!engaged) return engaged.error();
    for (const auto& r : *engaged)
      items.push_back({"engaged_prospect", std::min(70.0, 55.0 + 5.0 * static_cast<double>(r.Int(2) - 2)),
                       "Follow up with " + r.Str(1),
                       fmt::format("talked with you {} times in the last 7 days: keep the momentum", r.Int(2)),
                       "contact", r.Int(0)});
    // Past clients' closing anniversaries, today (70) or in the next 3 days
    // (60 less a point a day): a reason to call that is about them.
    // One index range per past year, around these four days' dates that
    // year (a day's slack each side for the time zone), back to the first
    // won deal: never every won deal of the officer's career.
    auto first = c.Query("SELECT MIN(closed_at) FROM deals WHERE owner_id = ? AND stage = 'Closed Won'", {user.user_id});
    if (!first) return first.error();
    store::Rows won;
    const int year = std::stoi(today.substr(0, 4));
    for (int back = 1; back <= year && !first->front().IsNull(0); ++back) {
      // This year's month and day, `back` years ago (a 29 February falls on 1 March).
      const std::string day = AddDays(fmt::format("{:04d}{}-01", year - back, today.substr(4, 3)),
                                      std::stoi(today.substr(8, 2)) - 1);
      const TimestampMs from = LocalMidnight(AddDays(day, -1), tz), to = LocalMidnight(AddDays(day, 5), tz);
      if (to <= first->front().Int(0)) break;
      auto rows = c.Query(
          "SELECT d.id, d.title, d.closed_at, d.contact_id, c.name FROM deals d LEFT JOIN contacts c ON c.id = "
          "d.contact_id WHERE d.owner_id = ? AND d.stage = 'Closed Won' AND d.closed_at >= ? AND d.closed_at < ? "
          "ORDER BY d.closed_at DESC LIMIT 1000",
          {user.user_id, from, to});
      if (!rows) return rows.error();
      for (auto& r : *rows) won.push_back(std::move(r));
    }
    for (const auto& r : won) {
      const std::string closed = LocalDate(r.Int(2), tz);
      for (int ahead = 0; ahead <= 3; ++ahead) {
        const std::string day = AddDays(today, ahead);
        if (day.substr(4) != closed.substr(4)) continue;
        const int years = std::stoi(day.substr(0, 4)) - std::stoi(closed.substr(0, 4));
        const bool contact = !r.IsNull(3);
        items.push_back({"closing_anniversary", ahead == 0 ? 70.0 : 60.0 - ahead,
                         "Call " + (contact ? r.Str(4) : r.Str(1)),
                         ahead == 0 ? fmt::format("{} year{} today since their loan closed ({})", years,
                                                  years == 1 ? "" : "s", closed)
                                    : fmt::format("their loan's {}-year anniversary is in {} day{} (closed {})", years,
                                                  ahead, ahead == 1 ? "" : "s", closed),
                         contact ? "contact" : "deal", contact ? r.Int(3) : r.Int(0)});
      }
    }
    return {};
  });
  if (!st) return st.error();
  // Hot leads, from the lead model (when it ranks better than chance): 50
  // plus 10 per multiple of the average chance, at most 85.
  auto scores = leads_.Scores(user, user.user_id, 10);
  if (!scores) return scores.error();
  if (auto base = scores->find("base_rate"); base != scores->end() && base->value().to_number<double>() > 0) {
    const double base_rate = base->value().to_number<double>();
    for (const auto& v : scores->at("items").as_array()) {
      const auto& o = v.as_object();
      const double p = o.at("probability").to_number<double>(), lift = p / base_rate;
      if (lift < 1.5) continue;
      std::string why = fmt::format("{:.0f}% chance of a loan within 30 days of a call, {:.1f}x the average lead", 100 * p, lift);
      const auto& reasons = o.at("reasons").as_array();
      if (!reasons.empty() && reasons[0].at("direction").as_string() == "up")
        why += fmt::format(" ({})", std::string(reasons[0].at("label").as_string()));
      items.push_back({"hot_lead", std::min(85.0, 50 + 10 * lift), "Call " + std::string(o.at("name").as_string()),
                       std::move(why), "contact", o.at("contact_id").as_int64()});
    }
  }
  // One item per record (its best reason), best first.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.score != b.score ? a.score > b.score : a.entity_id < b.entity_id;
  });
  json::array out;
  std::vector<std::pair<std::string, std::int64_t>> seen;
  for (const auto& i : items) {
    if (static_cast<int>(out.size()) >= limit) break;
    std::pair key{i.entity_type, i.entity_id};
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out.push_back(json::object{{"kind", i.kind},
                               {"score", std::round(i.score * 10) / 10},
                               {"title", i.title},
                               {"reason", i.reason},
                               {"entity_type", i.entity_type},
                               {"entity_id", i.entity_id}});
  }
  return json::object{{"user_id", user.user_id}, {"date", today}, {"items", std::move(out)}};
}

Result<json::object> MustDo::Today(const auth::Actor& actor, std::int64_t user_id, int limit) {
  auth::Actor user;
  std::string tz;
  bool allowed = false;
  std::int64_t last_event = 0;
  auto st = db_.Read([&](store::Connection& c) -> Status {
    auto rows = c.Query(
        "SELECT org_id, COALESCE(team_id, 0), role, timezone, (SELECT COALESCE(MAX(id), 0) FROM events WHERE user_id = "
        "users.id) FROM users WHERE id = ?",
        {user_id});
    if (!rows) return rows.error();
    if (rows->empty() || rows->front().Int(0) != actor.org_id) return {};
    const auto& r = rows->front();
    allowed = auth::MayRead(actor, user_id, r.Int(1));
    auth::Role role = auth::Role::kOfficer;
    auth::ParseRole(r.Str(2), &role);
    user = {user_id, r.Int(0), r.Int(1), role, r.Str(3)};
    tz = r.Str(3);
    last_event = r.Int(4);
    return {};
  });
  if (!st) return st.error();
  if (!allowed) return Error{ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id"};
  const TimestampMs now = clock_.Now();
  const std::string date = LocalDate(now, tz);
  {
    std::lock_guard lock(memo_mu_);
    if (auto it = memos_.find(user_id); it != memos_.end() && it->second.date == date &&
                                        it->second.last_event == last_event && it->second.limit == limit &&
                                        now >= it->second.computed_at && now - it->second.computed_at < kMemoMaxAge)
      return it->second.result;
  }
  auto result = Compute(user, tz, limit);
  if (!result) return result.error();
  std::lock_guard lock(memo_mu_);
  if (memos_.size() >= kMaxMemos) memos_.clear();  // bounded; refilled on the next reads
  memos_[user_id] = {date, last_event, limit, now, *result};
  return result;
}

}  // namespace chosen::hub
