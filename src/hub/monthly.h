// The monthly view: the 90-day cycle's progress and the last cycle's
// review, trends (the last complete week and month against the ones before,
// with a direction only when the difference is more than chance), goal
// adjustment recommendations from attainment history, achievements, the
// monthly coaching report (JSON and a printable HTML page) and a team's
// roll-up for its manager. Rules: docs/coaching-rules.md, "The monthly
// view". Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::hub {

class Monthly {
 public:
  // `db` and `clock` must outlive this.
  Monthly(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // GET /api/hub/month: `month` "YYYY-MM" (empty: this month) of `user_id`
  // (the caller, a team member for a manager, anyone in an admin's org;
  // kNotFound naming user_id otherwise).
  Result<json::object> Month(const auth::Actor& actor, std::int64_t user_id, const std::string& month);

  // GET /api/hub/reports/monthly: `month` (empty: last month).
  Result<json::object> Report(const auth::Actor& actor, std::int64_t user_id, const std::string& month);
  // The report as a self-contained printable page.
  static std::string ReportHtml(const json::object& report);

  // GET /api/hub/reports/team: a manager's own team (team_id 0) or any team
  // of an admin's org; kPermissionDenied for an officer, kNotFound naming
  // team_id for a team the caller may not read.
  Result<json::object> Team(const auth::Actor& actor, std::int64_t team_id, const std::string& month);
  static std::string TeamHtml(const json::object& rollup);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::hub
