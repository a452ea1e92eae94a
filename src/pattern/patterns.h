// The pattern engine's read side: an officer's patterns computed from their
// own activity history, each with its evidence: best days (answer rate by
// weekday), energy (conversion by hour of day), behavioural links
// (conversion in the days after a kind of post), pace, and content demand
// (topics many open leads share that no recent post covered).
//
// Findings are computed by Refresh (reads, then one short write) and kept
// per user in `pattern_runs`, with the newest event they saw, so reading
// them is one indexed row; the scheduler refreshes users with new events at
// most every kMaxAge, POST /api/coach/patterns/refresh at once. The coach's
// `patterns` rule turns stored findings into insights. Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "pattern/behavior.h"
#include "pattern/best_days.h"
#include "pattern/best_time.h"
#include "pattern/content.h"
#include "pattern/energy.h"
#include "pattern/pace.h"
#include "pattern/success.h"
#include "store/db.h"

namespace chosen::pattern {

// Whose patterns: the user, their time zone and working hours and days.
struct PatternUser {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::string timezone = "UTC";
  std::string work_start = "09:00", work_end = "17:00";
  std::string work_days = "1,2,3,4,5";  // ISO weekdays
};

using auth::MayRead;

// The orgs with no row in `table` (keyed by org_id), or one whose
// `time_column` is before `before`: whose org-wide run is due. `table` and
// `time_column` are trusted names.
Result<std::vector<std::int64_t>> StaleOrgs(store::Database& db, std::string_view table,
                                            std::string_view time_column, TimestampMs before);

class Patterns {
 public:
  static constexpr int kWindowDays = 180;
  static constexpr TimestampMs kMaxAge = 3600 * 1000;  // scheduled refresh: at most hourly per user

  // `db` and `clock` must outlive this.
  Patterns(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // A user's calls over the last kWindowDays in `timezone` (an index read:
  // activities_owner_type_time): by weekday with those that reached someone
  // (answered, appointment_set or application_taken) as successes, and by
  // hour with those that converted (appointment_set or application_taken)
  // as successes.
  struct CallHistory {
    CallsByWeekday reached_by_weekday{};
    CallsByWeekday appointments_by_weekday{};   // appointment_set or application_taken
    CallsByWeekday applications_by_weekday{};   // application_taken
    CallsByHour converted_by_hour{};
    CallsByHour reached_by_hour{};
    std::vector<CallOutcome> outcomes;                         // every call: when, converted
    std::map<std::string, std::vector<TimestampMs>> posts;     // video_post, social_post: when
    CallsPerDayHour working_days;                              // calls per local hour, per working day
  };
  Result<CallHistory> CallsOf(const PatternUser& user);

  // The stored findings of `user_id` (the caller, a member of a manager's
  // team, anyone in an admin's org; kNotFound naming user_id otherwise),
  // computed first if they never were: {"user_id", "generated_at",
  // "period": {"from", "to", "days"}, "patterns": [...]}, every pattern the
  // data support (possibly none), each with kind, subject, message and
  // evidence (FindBestDays, FindEnergyDrop).
  Result<json::object> Get(const auth::Actor& actor, std::int64_t user_id);

  // The pooled findings of team `team_id` (its manager's, or any team of an
  // admin's org; kNotFound naming team_id otherwise): best days (three
  // metrics) and energy over every member's calls of the last kWindowDays,
  // each call in its officer's local time; worded for the team. Computed on
  // request: {"team_id", "members", "generated_at", "period", "patterns"}.
  Result<json::object> Team(const auth::Actor& actor, std::int64_t team_id);

  // Recomputes and stores the findings of `user_id` (same access rule).
  Result<json::object> Refresh(const auth::Actor& actor, std::int64_t user_id);

  // When to call contact `contact_id` (readable by `actor` as any contact
  // is: kNotFound otherwise): FindBestTime over the contact's calls by their
  // local hour, the owner's stored answer-by-hour curve and their org's,
  // offered in the next week's hours that are 8 AM-9 PM for the contact
  // (their time zone, else the owner's) and inside the owner's working
  // hours and days. Adds contact_id, name, contact_timezone,
  // officer_timezone, and each window's local times as "14:00".
  Result<json::object> BestTime(const auth::Actor& actor, std::int64_t contact_id);

  // Refreshes every user with events newer than their stored findings and
  // findings older than kMaxAge (or none). Returns how many were refreshed.
  Result<int> RefreshStale();

  // The org's success patterns (FindSuccessPatterns over each officer's last
  // kSuccessWindowDays), stored in `success_runs`; Get and Refresh add them
  // to a user's findings as kind success_pattern with the user's own value
  // ("you") and nobody else's. RefreshSuccessStale recomputes every org's
  // older than kSuccessMaxAge (or never computed); returns how many.
  static constexpr int kSuccessWindowDays = 90;
  static constexpr TimestampMs kSuccessMaxAge = 24 * 3600 * 1000;
  Status RefreshSuccess(std::int64_t org_id);
  Result<int> RefreshSuccessStale();

 private:
  // Checks access and loads the user.
  Result<PatternUser> Target(const auth::Actor& actor, std::int64_t user_id);
  // Adds the org's success patterns (computed first if never) to `out`,
  // with `user_id`'s own values.
  Status AddSuccess(std::int64_t org_id, std::int64_t user_id, json::object& out);
  Result<std::vector<OfficerWindow>> OfficerWindows(std::int64_t org_id, TimestampMs now);
  // FindBestTime for each of the user's open leads and prospects with
  // enough calls of their own, against the user's answer-by-hour curve
  // `officer` and the org's stored ones: those whose best time can be
  // claimed from their own answers, best first, at most kMaxBestCallTimes.
  static constexpr std::size_t kMaxBestCallTimes = 3;
  Result<std::vector<json::object>> BestCallTimes(const PatternUser& user, const CallsByHour& officer,
                                                  TimestampMs now);
  // FindContentDemand over the user's open leads and prospects and their
  // recent posts.
  Result<std::vector<json::object>> ContentOf(std::int64_t user_id, TimestampMs now);
  // Computes and stores; also hands back the answer-by-hour curve if asked.
  Result<json::object> RefreshUser(const PatternUser& user, CallsByHour* answer_by_hour = nullptr);

  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::pattern
