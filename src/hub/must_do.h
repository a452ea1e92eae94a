// "Your 3 must-do activities today": an officer's candidates for the day,
// each scored by a documented rule with the reason shown (docs/coaching-
// rules.md, "Must-do activities"); hub/jobs.h pushes the top three every
// working morning. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

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

  // How long Today() may answer from its memo (see below).
  static constexpr TimestampMs kMemoMaxAge = 60'000;

 private:
  Result<json::object> Compute(const auth::Actor& user, const std::string& tz, int limit);

  // Today()'s last answer per officer. The candidates change with the
  // officer's records, and every change to them (by anyone) appends an event
  // for the officer; so an answer is reused while their newest event and
  // local date are the same, for at most kMemoMaxAge (time moves the hours
  // and days in the reasons; a coach setting or the lead model may change).
  struct Memo {
    std::string date;
    std::int64_t last_event = 0;
    int limit = 0;
    TimestampMs computed_at = 0;
    json::object result;
  };
  static constexpr std::size_t kMaxMemos = 10'000;

  store::Database& db_;
  const Clock& clock_;
  pattern::LeadModels& leads_;
  std::mutex memo_mu_;
  std::unordered_map<std::int64_t, Memo> memos_;  // guarded by memo_mu_
};

}  // namespace chosen::hub
