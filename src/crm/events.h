// The event log: one append-only row per mutation, written in the same
// transaction as the mutation itself. Everything derived later (insights,
// points, streaks, scoreboards) can be recomputed from it; observers (the
// coach) react to each event inside that same transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "common/clock.h"
#include "common/json_util.h"
#include "store/db.h"

namespace chosen::crm {

struct Event {
  std::int64_t id = 0;
  std::int64_t org_id = 0;
  std::int64_t user_id = 0;  // the officer whose business it is
  std::string action;        // "deal_closed", "call_logged", ...
  std::string entity_type;   // "deal", "activity", ...
  std::int64_t entity_id = 0;
  json::object metadata;
  TimestampMs created_at = 0;
  // Not stored: what the writer knew before the change that observers may
  // use to skip work (e.g. the touched contact's status and last touch).
  json::object context = {};

  json::object ToJson() const;
};

// Reacts to events inside the writing transaction. An error rolls the whole
// mutation back, so observers must only fail when the database does.
class EventObserver {
 public:
  virtual ~EventObserver() = default;
  virtual Status OnEvent(store::Connection& c, const Event& event) = 0;
};

// Appends events and notifies observers. Add observers before use; Append
// is then thread-safe (it keeps no mutable state).
class EventLog {
 public:
  void AddObserver(EventObserver* observer) { observers_.push_back(observer); }

  // Appends one event and runs every observer on it. `user_id` is the record's
  // owner; when the actor differs, metadata carries actor_id (see EventMeta).
  // Call inside a Database::Write transaction. Returns the stored event.
  // `context` reaches the observers only (Event::context).
  Result<Event> Append(store::Connection& c, std::int64_t org_id, std::int64_t user_id, std::string_view action,
                       std::string_view entity_type, std::int64_t entity_id, json::object metadata,
                       TimestampMs now, json::object context = {}) const;

 private:
  std::vector<EventObserver*> observers_;
};

}  // namespace chosen::crm
