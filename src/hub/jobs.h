// The hub's scheduled jobs, per user in their time zone (docs/coaching-
// rules.md, "The hub's schedule"): the morning must-do push, hourly pace
// nudges, the end-of-day summary, Monday's planning prompt, and the reviews
// that open a month and a 90-day cycle. Each slot runs once per user across
// servers and restarts: the slot's row in hub_runs is claimed in the same
// transaction that stores its notification. After an outage only a slot
// within its grace runs (hub/schedule.h, Due). Run() is called by the
// coach's scheduler before each sweep. Thread-safe.
#pragma once

#include "common/clock.h"
#include "hub/daily.h"
#include "hub/must_do.h"
#include "hub/notifications.h"
#include "store/db.h"

namespace chosen::hub {

class Jobs {
 public:
  static constexpr TimestampMs kGrace = 2 * 3600 * 1000;       // a push more than 2 h late is skipped
  static constexpr TimestampMs kNudgeGrace = 30 * 60 * 1000;   // an hourly nudge more than 30 min late too
  static constexpr int kMaxIgnoredBackoff = 3;                 // ignored nudges space out to 2^3 = 8 hours
  static constexpr TimestampMs kKeepRuns = 40LL * 24 * 3600 * 1000;

  // All must outlive this.
  Jobs(store::Database& db, const Clock& clock, MustDo& must_do, Notifications& notifications)
      : db_(db), clock_(clock), must_do_(must_do), notifications_(notifications) {}

  // Runs every job whose slot is due for any user; returns how many
  // notifications were sent.
  Result<int> Run();

 private:
  // What one job would send for one user's slot, or nullopt (nothing to
  // send; the slot still counts as run).
  Result<std::optional<NewNotification>> Compose(const HubUser& u, std::string_view job, const std::string& date,
                                                 int hour, TimestampMs now);
  // Claims (user, job, slot) and stores `n` in one transaction; true when
  // this call claimed it and something was sent.
  Result<bool> Deliver(const HubUser& u, std::string_view job, const std::string& slot,
                       const std::optional<NewNotification>& n, TimestampMs now);

  store::Database& db_;
  const Clock& clock_;
  MustDo& must_do_;
  Notifications& notifications_;
};

}  // namespace chosen::hub
