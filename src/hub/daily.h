// The daily view: one read for the dashboard's Today tab (the scoreboard,
// the officer's pace against their own norm, the must-dos, today's tasks),
// and what the hub's scheduled jobs send during the day: the hourly pace
// nudge and the end-of-day summary. Thread-safe.
#pragma once

#include <optional>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "hub/must_do.h"
#include "store/db.h"

namespace chosen::hub {

// Whom the hub's jobs work for: the user, their working hours (minutes
// after local midnight) and days, and their push settings.
struct HubUser {
  auth::Actor actor;  // its timezone is the user's
  int work_start = 9 * 60, work_end = 17 * 60;
  std::string work_days = "1,2,3,4,5";
  int morning_minutes = 6 * 60;
  bool pace_nudges = true, daily_summary = true;
};

// Every user (`user_id` 0), or one.
Result<std::vector<HubUser>> LoadHubUsers(store::Connection& c, std::int64_t user_id = 0);

// The stored pattern findings (pattern_runs) of `user_id` of `kind`
// ("pace", "best_days", "content_demand", ...), or none.
Result<std::vector<json::object>> StoredFindings(store::Connection& c, std::int64_t user_id, std::string_view kind);

// The officer's calls so far today (local `date`, up to `now`) against
// their stored `pace` finding's norm "by" local hour `hour` (the last whole
// hour): {"hour", "usual", "p25", "actual", "behind", "message"}, or nullopt
// without a finding for that hour.
Result<std::optional<json::object>> PaceAt(store::Connection& c, const HubUser& u, const std::string& date, int hour,
                                           TimestampMs now);

class Daily {
 public:
  // All must outlive this.
  Daily(store::Database& db, const Clock& clock, MustDo& must_do) : db_(db), clock_(clock), must_do_(must_do) {}

  // GET /api/hub/today (docs/api.md): the caller's, a team member's for a
  // manager, anyone's in an admin's org; kNotFound naming user_id otherwise.
  Result<json::object> Today(const auth::Actor& actor, std::int64_t user_id);

  // The end-of-day summary of `date` for `u`: the notification's title,
  // body and data, or nullopt on a day with nothing done and no goals.
  struct Summary {
    std::string title, body;
    json::object data;
  };
  static Result<std::optional<Summary>> SummaryOf(store::Connection& c, const HubUser& u, const std::string& date);

 private:
  store::Database& db_;
  const Clock& clock_;
  MustDo& must_do_;
};

}  // namespace chosen::hub
