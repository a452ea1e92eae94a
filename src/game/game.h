// Gamification's ledger side: the org's points table (admin-configurable,
// every change kept so each award can be recomputed), one award per event in
// the points ledger (written by this observer inside the event's own
// transaction, so an award is never lost or doubled), balances and lifetime
// counters, levels, badges (unlocked once), and the call streak on working
// days with a limited freeze. Rules: docs/coaching-rules.md, "Gamification".
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "crm/events.h"
#include "game/rules.h"
#include "hub/notifications.h"
#include "store/db.h"

namespace chosen::game {

class Game : public crm::EventObserver {
 public:
  static constexpr int kFreezesPerMonth = 2;
  static constexpr int kFreezeWindowDays = 7;

  // All must outlive this.
  Game(store::Database& db, const Clock& clock, hub::Notifications& notifications)
      : db_(db), clock_(clock), notifications_(notifications) {}

  // Awards the event's points (idempotent per event), counts it, records the
  // streak day, and unlocks badges and streak milestones (celebrations).
  Status OnEvent(store::Connection& c, const crm::Event& e) override;

  // GET /api/game/points-table: {"actions": [{"key", "label", "points",
  // "default"}], "updated_at": null | time}. Any member of the org.
  Result<json::object> Table(const auth::Actor& actor);
  // PUT: admins only (kPermissionDenied); body {"points": {action: n}} with
  // known actions, 0..kMaxActionPoints (kInvalidArgument naming the field);
  // applies to events from now on.
  Result<json::object> PutTable(const auth::Actor& actor, const json::object& body);

  // GET /api/game/profile: `user_id`'s points, level, badges with progress,
  // and (their own only: streaks are private) the streak.
  Result<json::object> Profile(const auth::Actor& actor, std::int64_t user_id);
  // GET /api/game/ledger: newest first, paged by id.
  Result<json::object> Ledger(const auth::Actor& actor, std::int64_t user_id, int limit, std::int64_t before);

  // POST /api/game/streak/freeze: covers a missed working day of the last
  // kFreezeWindowDays (not today), at most kFreezesPerMonth per calendar
  // month. Answers the caller's streak.
  Result<json::object> Freeze(const auth::Actor& actor, const json::object& body);

  // POST /api/game/recompute (admins): awards every event of the org that
  // has none (imported history), under the table in force when it happened.
  // Returns {"awarded", "points"}.
  Result<json::object> Recompute(const auth::Actor& actor);
  // GET /api/game/audit (admins): replays the org's event log through the
  // tables in force and compares with the ledger and balances: {"users",
  // "events", "mismatches": [{"user_id", "ledger", "expected", "balance",
  // "expected_balance"}]}.
  Result<json::object> Audit(const auth::Actor& actor);

  // For the scheduler: drops the day and week counts of badges older than
  // kKeepPeriodDays (they can no longer unlock anything). Returns how many.
  Result<int> Prune();
  static constexpr int kKeepPeriodDays = 14;

  // The org's table in force at `at`.
  static Result<PointsTable> TableAt(store::Connection& c, std::int64_t org_id, TimestampMs at);

 private:
  // What `e` earns under `table`: AwardFor, except that a deal closed won
  // or a task completed is paid once per record (a later event for the same
  // record gets a zero award, reason given, counting nothing).
  Result<Award> AwardOf(store::Connection& c, const crm::Event& e, const PointsTable& table);
  // Applies `award` of event `e` for its user: ledger row, balance,
  // counters; false if the event already had its award.
  Result<bool> Apply(store::Connection& c, const crm::Event& e, const Award& award);
  // Unlocks the badges event `e` (with `award`; its call's local `day`;
  // `streak` when it added a streak day) may have completed.
  Status CheckBadges(store::Connection& c, const crm::Event& e, const Award& award, const std::string& day,
                     const std::optional<json::object>& streak);
  Result<json::object> StreakOf(store::Connection& c, std::int64_t user_id, const std::string& tz,
                                const std::string& work_days);

  store::Database& db_;
  const Clock& clock_;
  hub::Notifications& notifications_;
};

}  // namespace chosen::game
