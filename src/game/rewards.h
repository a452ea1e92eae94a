// The reward marketplace: rewards an admin defines with a points cost and a
// stock; an officer redeems one (the points and a unit of stock are taken at
// once, in one transaction, and never below zero; a request id makes a
// double click redeem once); the officer's manager or an admin approves or
// rejects, and a rejection gives the points and the unit back. Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "hub/notifications.h"
#include "store/db.h"

namespace chosen::game {

class Rewards {
 public:
  static constexpr std::int64_t kMaxCost = 10'000'000;
  static constexpr std::int64_t kMaxStock = 1'000'000;
  static constexpr int kMaxRequestIdChars = 100;

  // All must outlive this.
  Rewards(store::Database& db, const Clock& clock, hub::Notifications& notifications)
      : db_(db), clock_(clock), notifications_(notifications) {}

  // GET /api/game/rewards: the org's (admins also see inactive ones).
  Result<json::object> List(const auth::Actor& actor);
  // POST (admins): {"name", "description"?, "cost", "stock", "active"?}.
  Result<json::object> Create(const auth::Actor& actor, const json::object& body);
  // PATCH /{id} (admins): any of the same fields.
  Result<json::object> Update(const auth::Actor& actor, std::int64_t id, const json::object& body);

  // POST /{id}/redeem: body {"request_id"}. The first request with a
  // request_id creates the redemption (created = true); a repeat answers the
  // same one (created = false). kConflict naming "points" (not enough) or
  // "stock" (none left); kNotFound for an inactive or unknown reward.
  struct Redeemed {
    json::object redemption;
    bool created = false;
  };
  Result<Redeemed> Redeem(const auth::Actor& actor, std::int64_t reward_id, const json::object& body);

  // GET /api/game/redemptions: the caller's own; `pending` for approvers
  // (a manager: their team's; an admin: the org's).
  Result<json::object> Redemptions(const auth::Actor& actor, bool pending_to_decide);
  // POST /api/game/redemptions/{id}/approve | reject (body {"note"?}):
  // the redeemer's manager or an admin, once (kConflict when decided).
  Result<json::object> Decide(const auth::Actor& actor, std::int64_t id, bool approve, const json::object& body);

 private:
  store::Database& db_;
  const Clock& clock_;
  hub::Notifications& notifications_;
};

}  // namespace chosen::game
