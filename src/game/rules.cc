#include "game/rules.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/time_util.h"
#include "hub/periods.h"

namespace chosen::game {
namespace {

}  // namespace

const std::vector<PointsAction>& PointsActions() {
  static const std::vector<PointsAction> kActions{
      {"call", "A call logged", 1},
      {"conversation", "A call that reached someone (on top of the call)", 2},
      {"appointment", "A call that set an appointment (on top)", 10},
      {"application", "A call that took an application (on top)", 25},
      {"text", "A text", 1},
      {"email", "An email", 1},
      {"meeting", "A meeting", 5},
      {"video_post", "A video post", 5},
      {"social_post", "A social post", 3},
      {"task_completed", "A task completed", 2},
      {"deal_created", "A loan opened", 5},
      {"loan_funded", "A loan funded (closed won)", 50},
  };
  return kActions;
}

PointsTable DefaultPointsTable() {
  PointsTable t;
  for (const auto& a : PointsActions()) t[a.key] = a.points;
  return t;
}

Award AwardFor(std::string_view action, const json::object& metadata, const PointsTable& table) {
  Award a;
  std::vector<std::string> parts;
  auto add = [&](const std::string& key) {
    auto it = table.find(key);
    const std::int64_t p = it == table.end() ? 0 : it->second;
    a.points += p;
    parts.push_back(fmt::format("{} {}", key, p));
  };
  if (action == "call_logged") {
    const std::string outcome = StringOr(metadata, "outcome");
    add("call");
    a.counters.push_back("calls");
    if (outcome == "answered" || outcome == "appointment_set" || outcome == "application_taken") {
      add("conversation");
      a.counters.push_back("conversations");
    }
    if (outcome == "appointment_set" || outcome == "application_taken") {
      add("appointment");
      a.counters.push_back("appointments");
    }
    if (outcome == "application_taken") {
      add("application");
      a.counters.push_back("applications");
    }
  } else if (action == "text_logged" || action == "email_logged" || action == "meeting_logged" ||
             action == "video_post_logged" || action == "social_post_logged") {
    const std::string key(action.substr(0, action.size() - std::string_view("_logged").size()));
    add(key);
    a.counters.push_back(key + "s");
  } else if (action == "task_completed") {
    add("task_completed");
    a.counters.push_back("tasks_completed");
  } else if (action == "deal_created") {
    add("deal_created");
    a.counters.push_back("deals_created");
  } else if (action == "deal_closed") {
    auto won = metadata.find("won");
    if (won == metadata.end() || !won->value().is_bool() || !won->value().as_bool()) return a;
    add("loan_funded");
    a.counters.push_back("loans_funded");
  }
  for (std::size_t i = 0; i < parts.size(); ++i) a.reason += (i ? " + " : "") + parts[i];
  return a;
}

const std::vector<Level>& Levels() {
  static const std::vector<Level> kLevels{{1, "Rookie", 0},      {2, "Prospector", 250}, {3, "Connector", 1000},
                                          {4, "Closer", 3000},   {5, "Rainmaker", 7500}, {6, "Legend", 15000}};
  return kLevels;
}

json::object LevelJson(std::int64_t lifetime) {
  const auto& all = Levels();
  std::size_t i = 0;
  while (i + 1 < all.size() && lifetime >= all[i + 1].min_points) ++i;
  json::object out{{"number", all[i].number}, {"name", all[i].name}, {"min_points", all[i].min_points}, {"next", nullptr}};
  if (i + 1 < all.size()) {
    const auto& n = all[i + 1];
    const double span = static_cast<double>(n.min_points - all[i].min_points);
    out["next"] = json::object{{"number", n.number},
                               {"name", n.name},
                               {"min_points", n.min_points},
                               {"points_to_go", n.min_points - lifetime},
                               {"progress", std::round(1000 * static_cast<double>(lifetime - all[i].min_points) / span) / 1000}};
  }
  return out;
}

const std::vector<Badge>& Badges() {
  using S = Badge::Scope;
  static const std::vector<Badge> kBadges{
      {"first_application", "First application", "Take your first loan application on a call.", "applications",
       S::kLifetime, 1},
      {"first_funded_loan", "First funded loan", "Fund your first loan.", "loans_funded", S::kLifetime, 1},
      {"ten_conversations_day", "Ten in a day", "Reach 10 people by phone in one day.", "conversations", S::kDay, 10},
      {"hundred_calls_week", "Hundred-call week", "Make 100 calls in one week.", "calls", S::kWeek, 100},
      {"four_week_streak", "Four-week streak", "Call on every working day for four weeks (20 working days).",
       "streak", S::kStreak, 20},
      {"partner_champion", "Partner champion", "Meet referral partners 25 times.", "partner_meetings", S::kLifetime,
       25},
      {"video_star", "Video star", "Post 10 videos.", "video_posts", S::kLifetime, 10},
      {"ten_funded_loans", "Ten funded loans", "Fund 10 loans.", "loans_funded", S::kLifetime, 10},
  };
  return kBadges;
}

Streak ComputeStreak(const std::set<std::string>& days, const std::set<std::string>& frozen,
                     std::string_view work_days, const std::string& today) {
  auto working = [&](const std::string& d) {
    return hub::IsWorkingDay(work_days, d);
  };
  Streak s;
  s.today_done = days.contains(today);
  std::string d = today;
  // Today without a call yet does not break it: the day is not over.
  if (!s.today_done) d = AddDays(d, -1);
  for (int i = 0; i < 400; ++i, d = AddDays(d, -1)) {
    if (!working(d) && !days.contains(d)) continue;  // a day off: neither counts nor breaks
    if (days.contains(d)) {
      ++s.current;
      s.since = d;
    } else if (!frozen.contains(d)) {
      break;
    }
  }
  return s;
}

const std::vector<int>& StreakMilestones() {
  static const std::vector<int> kMilestones{5, 10, 20, 50, 100, 200};
  return kMilestones;
}

}  // namespace chosen::game
