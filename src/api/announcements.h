// Announcements: a manager or admin posts a short message to everyone in
// their org; it is stored (so the feed shows it later) and pushed at once as
// an `announcement` event to every open stream of the org's users, on every
// server (notify::Relay), once committed.
#pragma once

#include <cstdint>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::api {

class Announcements {
 public:
  static constexpr std::size_t kMaxMessage = 500;  // characters
  static constexpr int kMaxPage = 50;

  // `db` and `clock` must outlive this.
  Announcements(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Posts `body` {"message": text of 1-500 characters, may span lines}.
  // kForbidden for an officer; kInvalidArgument naming the field. Returns
  // the announcement: {id, message, author{id,name}, created_at}.
  Result<json::object> Post(const auth::Actor& actor, const json::object& body);

  // The caller's org's announcements, newest first: at most `limit`, with
  // ids below `before` when it is > 0. {"items": [...], "next_before": id
  // of the last item when more may follow, else null}.
  Result<json::object> List(const auth::Actor& actor, int limit, std::int64_t before);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::api
