// Coach insights: the model the seed plan defines (type, priority, message,
// suggested action, entity, seen, dismissed, created/expires), per user, and
// the settings that tune them. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::coach {

enum class InsightType { kAction, kTime, kPattern };
enum class Priority { kLow = 1, kMedium = 2, kHigh = 3 };

const char* TypeName(InsightType t);
const char* PriorityName(Priority p);

// The plan's thresholds: level 1 (minimal) shows only high, 2 (balanced) high
// and medium, 3 (active) everything.
bool PriorityAllowed(int coach_level, Priority p);

// What a rule proposes. The engine decides whether it becomes an insight
// (level, dedupe, dismissals) and stores it.
struct Candidate {
  std::string dedupe_key;   // unique per user while its window lasts, e.g. "stuck_deal:42"
  std::string fingerprint;  // what the reason looks like now; a change is "material"
  std::string message;
  std::string suggested_action;  // empty: none
  json::object action_params;
  std::string entity_type;  // empty: none
  std::int64_t entity_id = 0;
  TimestampMs expires_at = 0;  // 0: until resolved or dismissed
};

// Per-user coach settings (`GET/PUT /api/coach/settings`).
struct Settings {
  int coach_level = 2;  // 1 minimal, 2 balanced, 3 active
  bool coach_enabled = true;
  int stale_lead_days = 7;   // 1-30
  int stuck_deal_days = 14;  // 1-60
  int morning_minutes = 6 * 60;  // the morning push, minutes after local midnight ("morning_push_time": "06:00")
  bool pace_nudges = true;       // the hourly pace nudges
  bool daily_summary = true;     // the end-of-day summary

  json::object ToJson() const;
  // Parses a PUT body: coach_level required; others default as above.
  // kInvalidArgument naming the field when out of range or of the wrong type.
  static Result<Settings> FromJson(const json::object& o);
};

// Who the coach is working for, with their settings and time zone.
struct CoachUser {
  std::int64_t user_id = 0;
  std::int64_t org_id = 0;
  std::string timezone = "UTC";
  Settings settings;
};

// Loads a user's org, time zone and settings (defaults when never saved).
// kNotFound if no such user.
Result<CoachUser> LoadCoachUser(store::Connection& c, std::int64_t user_id);

// Converts a coach_insights row selected with kInsightColumns to the plan's
// CoachInsightResponse shape.
extern const char* const kInsightColumns;
json::object InsightRowToJson(const store::Row& row);
// The same, appended to `out` as JSON text, byte for byte what serialising
// InsightRowToJson gives (a test compares them), without building a DOM or
// parsing action_params (stored as JSON text written by the coach).
void AppendInsightJson(std::string& out, const store::Row& row);

}  // namespace chosen::coach
