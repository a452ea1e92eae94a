// The coach engine: turns events and the passage of time into insights.
//
// Action rules run inside the transaction of the event that triggers them
// (as an EventObserver), so an insight exists exactly when its cause does,
// whether the cause came from a CRM route or POST /api/coach/check. Time rules
// run from the scheduler and again whenever an event can change them, so
// reading insights is a plain indexed query. Dedupe is a per-(user, key) row
// claimed with an upsert, so it holds across concurrent requests, processes
// and restarts. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/actor.h"
#include "coach/insight.h"
#include "coach/rule.h"
#include "common/clock.h"
#include "crm/events.h"
#include "store/db.h"

namespace chosen::coach {

// Receives insight changes inside the transaction that makes them, to
// deliver once it commits (notify::Relay::Publish): events "insight" (a new
// one, full JSON), "insight_updated" (full JSON), "insight_resolved" and
// "insight_dismissed" ({"id": n}). An error fails the transaction.
using Publisher = std::function<Status(store::Connection& c, std::int64_t user_id, std::string_view event,
                                       const json::value& data)>;

// POST /api/coach/check body (the plan's CheckInsightRequest).
struct CheckRequest {
  std::string action;
  std::string entity_type;
  std::int64_t entity_id = 0;
  json::object metadata;

  static Result<CheckRequest> FromJson(const json::object& o);
};

class Coach final : public crm::EventObserver {
 public:
  // `db`, `clock` and `events` must outlive the coach; it adds itself to
  // `events` as an observer.
  Coach(store::Database& db, const Clock& clock, crm::EventLog& events);

  // Called inside write transactions; set before serving. Not thread-safe to change.
  void SetPublisher(Publisher publisher) { publisher_ = std::move(publisher); }

  // EventObserver: runs action rules, resolutions and affected time rules.
  Status OnEvent(store::Connection& c, const crm::Event& event) override;

  // Re-evaluates every time rule for one user / for every user with the
  // coach enabled. `overrides` replaces the stored stale/stuck thresholds
  // for this sweep only (the plan's query parameters); rules stay gated by
  // the stored level and enabled flag.
  Status SweepUser(std::int64_t user_id, const std::optional<Settings>& overrides = std::nullopt);
  Status SweepAll();

  // Pending insights (not dismissed, resolved or expired; unseen unless
  // `include_seen`) allowed at `level` (nullopt: the stored level), highest
  // priority first, then newest; none while the user's coach is disabled.
  // Settings and insights come from one read transaction. The answer is
  // the JSON array's text (written row by row, no DOM). `valid_until`, when
  // given, is lowered to the first expiry among the answer's insights (the
  // answer holds until then unless the database changes).
  Result<std::string> Pending(const auth::Actor& actor, std::optional<int> level, bool include_seen, int limit,
                              TimestampMs* valid_until = nullptr);

  // Marks the caller's insight; kNotFound for anyone else's.
  Status MarkSeen(const auth::Actor& actor, std::int64_t insight_id);
  Status Dismiss(const auth::Actor& actor, std::int64_t insight_id);

  // The plan's check: for an action the CRM already logged for that entity
  // (task_completed, deal_closed, ...) it logs nothing again and returns the
  // insight that event triggered; for any other action it appends the event
  // and returns what it triggers. Returns null JSON when there is none or it
  // is below `level`.
  // `level` nullopt means the stored one; a disabled coach says nothing (null)
  // but the action is logged all the same.
  Result<json::value> Check(const auth::Actor& actor, const CheckRequest& req, std::optional<int> level);

  Result<Settings> GetSettings(std::int64_t user_id);
  // Stores settings and re-sweeps the user so thresholds apply at once.
  Result<Settings> PutSettings(std::int64_t user_id, const Settings& settings);

  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }

 private:
  Status RunTimeRule(store::Connection& c, const CoachUser& user, const Rule& rule, TimestampMs now);
  // Creates an insight unless dedupe or a standing dismissal forbids it.
  Result<std::optional<std::int64_t>> TryCreate(store::Connection& c, const CoachUser& user, const Rule& rule,
                                                const Candidate& cand, std::int64_t source_event_id,
                                                TimestampMs now);
  Status Resolve(store::Connection& c, std::int64_t user_id, const std::string& key, TimestampMs now);
  Status Publish(store::Connection& c, std::int64_t user_id, std::string_view event, const json::value& data);
  Result<json::value> LoadInsight(store::Connection& c, std::int64_t id);

  store::Database& db_;
  const Clock& clock_;
  crm::EventLog& events_;
  std::vector<std::unique_ptr<Rule>> rules_;
  Publisher publisher_;
};

}  // namespace chosen::coach
