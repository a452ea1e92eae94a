// "Your 3 must-do activities today": an officer's candidates for the day,
// each scored by a documented rule with the reason shown (docs/coaching-
// rules.md, "Must-do activities"); hub/jobs.h pushes the top three every
// working morning. Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "pattern/leads.h"
#include "store/db.h"

namespace chosen::hub {

class MustDo {
 public:
  static constexpr int kCount = 3;

  // All must outlive this.
  MustDo(store::Database& db, const Clock& clock, pattern::LeadModels& leads)
      : db_(db), clock_(clock), leads_(leads) {}

  // `user_id`'s must-dos today in their time zone (the caller's, a team
  // member's for a manager, anyone's in an admin's org; kNotFound naming
  // user_id otherwise), best first, at most `limit`: {"user_id", "date",
  // "items": [{"kind", "score", "title", "reason", "entity_type",
  // "entity_id"}]}.
  Result<json::object> Today(const auth::Actor& actor, std::int64_t user_id, int limit = kCount);

  // `user`'s must-dos now, without an access check (the morning push).
  Result<json::object> Of(const auth::Actor& user, int limit = kCount) { return Compute(user, user.timezone, limit); }

 private:
  Result<json::object> Compute(const auth::Actor& user, const std::string& tz, int limit);

  store::Database& db_;
  const Clock& clock_;
  pattern::LeadModels& leads_;
};

}  // namespace chosen::hub
