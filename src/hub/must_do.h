// "Your 3 must-do activities today": an officer's candidates for the day,
// each scored by a documented rule with the reason shown (docs/coaching-
// rules.md, "Must-do activities"), and the 6 AM push that sends the top
// three to the notification center once per working day. Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "hub/notifications.h"
#include "pattern/leads.h"
#include "store/db.h"

namespace chosen::hub {

class MustDo {
 public:
  static constexpr int kCount = 3;
  static constexpr int kMorningMinutes = 6 * 60;            // 6 AM local
  static constexpr TimestampMs kGrace = 2 * 3600 * 1000;    // a push more than 2 h late is skipped

  // All must outlive this.
  MustDo(store::Database& db, const Clock& clock, pattern::LeadModels& leads, Notifications& notifications)
      : db_(db), clock_(clock), leads_(leads), notifications_(notifications) {}

  // `user_id`'s must-dos today in their time zone (the caller's, a team
  // member's for a manager, anyone's in an admin's org; kNotFound naming
  // user_id otherwise), best first, at most `limit`: {"user_id", "date",
  // "items": [{"kind", "score", "title", "reason", "entity_type",
  // "entity_id"}]}.
  Result<json::object> Today(const auth::Actor& actor, std::int64_t user_id, int limit = kCount);

  // For every user whose 6 AM (their time zone, their working days) fell
  // within the last kGrace: the push of their must-dos, once per local date
  // (the notification's dedupe key), none on a day with nothing to do.
  // Returns how many were sent.
  Result<int> SendMorningPushes();

 private:
  Result<json::object> Compute(const auth::Actor& user, const std::string& tz, int limit);

  store::Database& db_;
  const Clock& clock_;
  pattern::LeadModels& leads_;
  Notifications& notifications_;
};

}  // namespace chosen::hub
