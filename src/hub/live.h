// The daily view, live: on each event that moves an officer's numbers (a
// call, post or meeting logged, a deal won) it pushes today's scoreboard to
// their streams (event `scoreboard`); it celebrates a task completed, a goal
// reached and a personal best (event `celebration`, the last two also kept
// as `celebration` notifications, once each). Runs inside the writing
// transaction as an event observer, so what it pushes is what committed.
// Thread-safe (no mutable state).
#pragma once

#include "crm/events.h"
#include "hub/notifications.h"

namespace chosen::hub {

class Live : public crm::EventObserver {
 public:
  // A personal best counts once the officer has this many days of history.
  static constexpr int kBestHistoryDays = 14;

  // `notifications` must outlive this.
  explicit Live(Notifications& notifications) : notifications_(notifications) {}

  Status OnEvent(store::Connection& c, const crm::Event& e) override;

 private:
  Status OnTaskCompleted(store::Connection& c, const crm::Event& e, const std::string& tz);
  // Celebrates `metric` (calls or conversations) if `today` (count on local
  // `date`) beats every earlier day; keeps personal_bests current.
  Status PersonalBest(store::Connection& c, const crm::Event& e, const std::string& tz, const std::string& date,
                      std::string_view metric, std::int64_t today);

  Notifications& notifications_;
};

}  // namespace chosen::hub
