// Goals and progress, the accountability hub's ground floor: a target per
// officer, activity metric and period (set by the officer, their manager or
// an admin), and what the officer has done toward it in the current period
// of their own time zone, counted from the CRM's records. Thread-safe.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "hub/periods.h"
#include "store/db.h"

namespace chosen::hub {

// The metrics a goal can count, in this order in every answer:
//   calls           call activities
//   conversations   calls that reached someone (answered, appointment_set, application_taken)
//   appointments    calls that set an appointment (appointment_set, application_taken)
//   applications    calls that took an application (application_taken)
//   closings        deals closed won (closed_at in the period)
//   posts           video and social posts
//   partner_meetings  meetings with a referral partner
//   funded_volume   the value of the deals closed won, in dollars
const std::vector<std::string>& GoalMetrics();

// `metric`'s place in GoalMetrics(), or GoalMetrics().size() if it is none.
std::size_t MetricIndex(std::string_view metric);

// What `user_id` did in [from, to), one value per GoalMetrics() entry, in
// that order (funded_volume in dollars), from indexed reads of activities and
// deals.
using MetricValues = std::array<double, 8>;
Result<MetricValues> CountMetrics(store::Connection& c, std::int64_t user_id, TimestampMs from, TimestampMs to);

// `user_id`'s time zone when `actor` may read them (themselves, a member of
// a manager's team, anyone in an admin's org); kNotFound naming user_id
// otherwise.
Result<std::string> ReadableUserTimezone(store::Connection& c, const auth::Actor& actor, std::int64_t user_id);

// A metric's value as JSON: an integer count, or dollars for funded_volume.
json::value MetricJson(std::size_t metric, double value);

// The progress answer of Goals::Progress for the `period` containing `now`
// in `tz` (no access check).
Result<json::object> ProgressOf(store::Connection& c, std::int64_t user_id, std::string_view tz, Period period,
                                TimestampMs now);

class Goals {
 public:
  static constexpr std::int64_t kMaxCountTarget = 100'000;
  static constexpr std::int64_t kMaxVolumeTarget = 10'000'000'000;  // dollars

  // `db` and `clock` must outlive this.
  Goals(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Sets (creates or replaces) the target of body {"metric", "period",
  // "target", "user_id"?}: the caller's own, a team member's for a manager,
  // anyone's in the org for an admin (kNotFound naming user_id otherwise).
  // kInvalidArgument naming the field for a bad metric, period or target.
  // Returns the goal: {"id", "user_id", "metric", "period", "target",
  // "set_by", "created_at", "updated_at"}.
  Result<json::object> Put(const auth::Actor& actor, const json::object& body);

  // The goals of `user_id` (same access), metric order then period.
  Result<json::array> List(const auth::Actor& actor, std::int64_t user_id);

  // Removes goal `id` (same access; kNotFound otherwise).
  Status Delete(const auth::Actor& actor, std::int64_t id);

  // The current `period` of `user_id` in their time zone: {"user_id",
  // "period", "from", "to" (local dates, to exclusive), "timezone",
  // "metrics": [{"metric", "actual", "target" (or null), "percent" (or
  // null)}]} for every metric, actual counted from [from, to).
  Result<json::object> Progress(const auth::Actor& actor, std::int64_t user_id, Period period);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::hub
