// The weekly view: the vision board (a week's plan: items with a target
// day, an order within it and a status, moved by drag and drop), the
// progress thermometer, the officer's best days and a content calendar from
// the pattern engine, and anonymous peer bands. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::hub {

// The anonymous band of `you` within `group` (which includes `you`): by
// mid-rank percentile, top_10, top_25, upper_half, lower_half or bottom_25;
// level when everyone ties. Returns (band, label).
std::pair<std::string, std::string> PeerBand(const std::vector<double>& group, double you);

// Whom the caller is compared with: the officers of their team (`team`) or
// org, and the caller: rows of (id, name, timezone).
Result<store::Rows> PeerGroup(store::Connection& c, const auth::Actor& actor, bool team);

class Weekly {
 public:
  static constexpr int kMaxItemsPerWeek = 100;
  static constexpr int kMaxTitleChars = 200;
  static constexpr int kMinPeerGroup = 5;

  // `db` and `clock` must outlive this.
  Weekly(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // GET /api/plan: the week containing local date `week` (empty: this
  // week) of `user_id` (the caller, a team member for a manager, anyone in
  // an admin's org; kNotFound naming user_id otherwise).
  Result<json::object> Plan(const auth::Actor& actor, std::int64_t user_id, const std::string& week);
  // POST /api/plan: body {"title", "week"?, "day"?, "status"?, "user_id"?};
  // the new item, last in its day.
  Result<json::object> AddItem(const auth::Actor& actor, const json::object& body);
  // PATCH /api/plan/{id}: title, status, day, position; a move renumbers
  // both days. Returns the item's week as Plan does.
  Result<json::object> UpdateItem(const auth::Actor& actor, std::int64_t id, const json::object& body);
  Status DeleteItem(const auth::Actor& actor, std::int64_t id);

  // GET /api/hub/week (docs/api.md).
  Result<json::object> Week(const auth::Actor& actor, std::int64_t user_id, const std::string& week);

  // GET /api/hub/peers: the caller's bands among their team's ("team") or
  // org's ("org") officers for "week" or "month".
  Result<json::object> Peers(const auth::Actor& actor, std::string_view scope, std::string_view period);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace chosen::hub
