// The notification center: every push and nudge of the accountability hub
// (the morning must-dos, pace nudges, celebrations, summaries) is stored per
// user, pushed live over SSE as event `notification`, and read back with an
// unread count. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::hub {

struct NewNotification {
  std::int64_t org_id = 0, user_id = 0;
  std::string kind;        // morning_push, pace_nudge, celebration, summary, ...
  std::string title, body;
  json::object data;       // what the app needs to act on it
  std::string dedupe_key;  // one notification per user and key (e.g. "morning:2026-11-20"); empty: none
};

class Notifications {
 public:
  static constexpr int kMaxLimit = 100;

  // `db` and `clock` must outlive this.
  Notifications(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inside a write transaction on `c`: stores `n` and publishes it to the
  // user's streams once the transaction commits. nullopt (and nothing
  // stored) when the user already has one with the same dedupe key: that is
  // how a slot is sent once across servers and restarts.
  Result<std::optional<json::object>> Add(store::Connection& c, const NewNotification& n);

  // The caller's notifications, newest first: {"items": [{"id", "kind",
  // "title", "body", "data", "created_at", "read_at"}], "unread": n,
  // "next_before": id or null}. `unread_only` keeps the unread; `before`
  // (an id) pages back.
  Result<json::object> List(const auth::Actor& actor, int limit, std::int64_t before, bool unread_only);

  // Marks one (kNotFound unless it is the caller's) or all of the caller's
  // as read; returns the unread count after.
  Result<std::int64_t> MarkRead(const auth::Actor& actor, std::int64_t id);
  Result<std::int64_t> MarkAllRead(const auth::Actor& actor);

 private:
  store::Database& db_;
  const Clock& clock_;
};

// Inside a write transaction on `c`: stores `celebration` ({"kind",
// "title", "body", ...}) as a `celebration` notification for `user_id`, once
// per `dedupe_key`, and pushes it as event `celebration` (only the first
// time).
Status Celebrate(Notifications& notifications, store::Connection& c, std::int64_t org_id, std::int64_t user_id,
                 json::object celebration, std::string dedupe_key);

}  // namespace chosen::hub
