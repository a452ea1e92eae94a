// Gamification's rules as data, pure: the points table's actions and their
// defaults, what an event earns under a table, the levels, the badges, and
// the working-day streak. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_util.h"

namespace chosen::game {

// The points table: action -> points, for every action in PointsActions().
using PointsTable = std::map<std::string, std::int64_t>;

// The actions an org's points table prices, in display order, with their
// defaults: outcomes (a conversation, an appointment, an application, a
// funded loan) weigh more than a dial.
struct PointsAction {
  std::string key, label;
  std::int64_t points;
};
const std::vector<PointsAction>& PointsActions();
PointsTable DefaultPointsTable();
constexpr std::int64_t kMaxActionPoints = 1000;

// What one event earns: its points (0: none), why ("call 1 + conversation
// 2"), and the lifetime counters it adds to (calls, conversations, ...).
struct Award {
  std::int64_t points = 0;
  std::string reason;
  std::vector<std::string> counters;
};
// From the event alone (its action and metadata) and the table in force when
// it happened, so the ledger can be recomputed from the event log exactly.
Award AwardFor(std::string_view action, const json::object& metadata, const PointsTable& table);

// Levels by lifetime points: the tier reached and the next (if any).
struct Level {
  int number = 1;
  std::string name;
  std::int64_t min_points = 0;
};
const std::vector<Level>& Levels();
// {"number", "name", "min_points", "next": null | {"number", "name",
// "min_points", "points_to_go", "progress" (0-1)}}.
json::object LevelJson(std::int64_t lifetime);

// A badge, as data: earned once `metric` reaches `threshold` in `scope`
// (lifetime counters, a day's or a week's count, or the call streak).
struct Badge {
  std::string key, name, description, metric;
  enum class Scope { kLifetime, kDay, kWeek, kStreak } scope;
  std::int64_t threshold;
};
const std::vector<Badge>& Badges();

// The streak on working days: consecutive working days (ISO weekdays in
// `work_days`, e.g. "1,2,3,4,5") ending today or, while today has none yet,
// yesterday, each with a call (`days`) or a freeze (`frozen`: keeps the
// streak unbroken without counting toward it). Days off neither count nor
// break it. Dates "YYYY-MM-DD", local; looks back at most 400 days.
struct Streak {
  int current = 0;
  bool today_done = false;
  std::string since;  // the first day of the current streak, or empty
};
Streak ComputeStreak(const std::set<std::string>& days, const std::set<std::string>& frozen,
                     std::string_view work_days, const std::string& today);

// Streak lengths that are celebrated when reached.
const std::vector<int>& StreakMilestones();

}  // namespace chosen::game
