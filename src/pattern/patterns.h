// The pattern engine's read side: an officer's patterns computed from their
// own activity history, each with its evidence. Today: best days (answer
// rate by weekday) and energy (conversion by hour of day). Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "pattern/best_days.h"
#include "pattern/energy.h"
#include "store/db.h"

namespace chosen::pattern {

class Patterns {
 public:
  static constexpr int kWindowDays = 180;

  // `db` and `clock` must outlive this.
  Patterns(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The caller's calls over the last kWindowDays in their time zone (an
  // index read: activities_owner_type_time): by weekday with those that
  // reached someone (answered, appointment_set or application_taken) as
  // successes, and by hour with those that converted (appointment_set or
  // application_taken) as successes.
  struct CallHistory {
    CallsByWeekday reached_by_weekday{};
    CallsByHour converted_by_hour{};
  };
  Result<CallHistory> CallsOf(const auth::Actor& actor);

  // {"period": {"from", "to", "days"}, "patterns": [...]}: every pattern the
  // data support (possibly none), each as FindBestDays describes.
  Result<json::object> ForUser(const auth::Actor& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::pattern
