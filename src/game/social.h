// Gamification's social side: kudos (a peer's or manager's shout-out) and
// the org's feed, the org's choice of named leaderboards (opt-in; otherwise
// everyone sees only their own anonymous band), leaderboards by points and
// by quality, and competitions (individual or team vs team, with live
// standings and winners recorded when they end). Thread-safe.
#pragma once

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "hub/notifications.h"
#include "store/db.h"

namespace chosen::game {

class Social {
 public:
  static constexpr int kMinGroup = 5;               // anonymous bands need this many
  static constexpr int kMaxCompetitionDays = 100;   // a quarter, and a little

  // All must outlive this.
  Social(store::Database& db, const Clock& clock, hub::Notifications& notifications)
      : db_(db), clock_(clock), notifications_(notifications) {}

  // POST /api/kudos: {"to_user_id", "message"} to someone else in the org.
  Result<json::object> Kudos(const auth::Actor& actor, const json::object& body);
  // GET /api/feed: the org's kudos (and, where the org opted in to names,
  // its badge unlocks), newest first, paged by `before`: the previous page's
  // `next_before` (a position, so items sharing a millisecond are neither
  // skipped nor repeated) or a time in ms (items strictly older); empty for
  // the newest. kInvalidArgument naming `before` for anything else.
  Result<json::object> Feed(const auth::Actor& actor, int limit, std::string_view before);

  // GET/PUT /api/game/settings: {"named_leaderboards"}; PUT for admins.
  Result<json::object> Settings(const auth::Actor& actor);
  Result<json::object> PutSettings(const auth::Actor& actor, const json::object& body);

  // GET /api/game/leaderboard: `metric` points, calls, conversations,
  // applications, conversion_rate or application_rate over the current
  // `period` (day, week, month) of the caller's `scope` (team, org).
  Result<json::object> Leaderboard(const auth::Actor& actor, std::string_view metric, std::string_view period,
                                   std::string_view scope);

  // Competitions: Create (managers and admins), List, Get (live standings;
  // an ended one's winners are recorded once, here or by FinalizeEnded).
  Result<json::object> CreateCompetition(const auth::Actor& actor, const json::object& body);
  Result<json::object> Competitions(const auth::Actor& actor);
  Result<json::object> Competition(const auth::Actor& actor, std::int64_t id);
  // For the scheduler: records the winners of every ended competition.
  Result<int> FinalizeEnded();

 private:
  // Records the winners of ended competitions: all (org_id and id 0) or one.
  Result<int> Finalize(std::int64_t org_id, std::int64_t id);

  store::Database& db_;
  const Clock& clock_;
  hub::Notifications& notifications_;
};

}  // namespace chosen::game
