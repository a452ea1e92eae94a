// The JSON API: routes, authentication, CSRF, request-body rules and the
// mapping of results to HTTP. Handlers are plain functions of Request, so the
// whole API can be exercised without sockets. Thread-safe after Register().
#pragma once

#include <memory>

#include "api/announcements.h"
#include "api/response_memo.h"
#include "auth/accounts.h"
#include "coach/coach.h"
#include "common/clock.h"
#include "crm/resource.h"
#include "http/message.h"
#include "hub/goals.h"
#include "game/game.h"
#include "game/rewards.h"
#include "game/social.h"
#include "hub/daily.h"
#include "hub/jobs.h"
#include "hub/live.h"
#include "hub/monthly.h"
#include "hub/must_do.h"
#include "hub/weekly.h"
#include "hub/notifications.h"
#include "notify/hub.h"
#include "notify/relay.h"
#include "pattern/leads.h"
#include "pattern/patterns.h"
#include "store/db.h"

namespace chosen::api {

constexpr std::size_t kMaxBulkActivities = 10000;

class Api {
 public:
  // `db` and `clock` must outlive the Api. `memo_bytes` bounds the memo of
  // rendered reads (0: none). Throws std::runtime_error if it cannot listen
  // for notifications (notify::Relay).
  Api(store::Database& db, const Clock& clock, std::size_t memo_bytes = ResponseMemo::kDefaultMaxBytes);
  ~Api();

  // Adds every route to `router`.
  void Register(http::Router& router);

  // For ServerOptions::shared_commit: where the server hands the short
  // writes Register marks shares_commit. With a database that shares commits
  // (SQLite) each runs whole on its writer thread, in one transaction with
  // the requests beside it, and its response goes out once that is durable
  // (a 503 instead if the commit failed); otherwise empty (the write pool).
  std::function<void(std::function<http::Response()>, std::function<void(http::Response)>)> SharedCommit();

  auth::Accounts& accounts() { return *accounts_; }
  coach::Coach& coach() { return *coach_; }
  pattern::Patterns& patterns() { return patterns_; }
  pattern::LeadModels& leads() { return leads_; }
  hub::Notifications& notifications() { return notifications_; }
  hub::MustDo& must_do() { return must_do_; }
  hub::Jobs& jobs() { return jobs_; }
  game::Social& social() { return social_; }
  game::Game& game() { return game_; }
  notify::Hub& hub() { return hub_; }

 private:
  using AuthedHandler =
      std::function<http::Response(const http::Request&, const http::PathParams&, const auth::Authenticated&)>;
  http::Handler Authed(AuthedHandler h);
  // A read endpoint's JSON body through memo_: reused while the database's
  // change stamp and the time allow, else `render`ed (which may lower
  // valid_until from its default, see kMemoMaxAge) and kept. `key` must
  // name everything the body depends on besides the data and the clock.
  http::Response Memoized(const std::string& key,
                          const std::function<Result<std::string>(TimestampMs& valid_until)>& render);
  void RegisterResource(http::Router& router, const std::string& base, crm::Resource& resource);
  void RegisterCoach(http::Router& router);
  void RegisterImport(http::Router& router);
  void RegisterAnnouncements(http::Router& router);
  void RegisterGoals(http::Router& router);
  void RegisterNotifications(http::Router& router);
  void RegisterHub(http::Router& router);   // hub_routes.cc
  void RegisterGame(http::Router& router);  // game_routes.cc

  // How long a memoised answer may be reused at most, and never across a
  // quarter hour of UTC, when local dates and hours turn in every time zone.
  static constexpr TimestampMs kMemoMaxAge = 60'000;

  store::Database& db_;
  const Clock& clock_;
  ResponseMemo memo_;
  std::unique_ptr<auth::Accounts> accounts_;
  notify::Hub hub_;
  std::unique_ptr<notify::Relay> relay_;  // feeds hub_; declared after it, so stops first
  crm::EventLog events_;
  std::unique_ptr<coach::Coach> coach_;  // observes events_
  std::unique_ptr<crm::Resource> contacts_, deals_, tasks_, activities_;
  Announcements announcements_;
  pattern::Patterns patterns_;
  pattern::LeadModels leads_;
  hub::Goals goals_;
  hub::Notifications notifications_;
  hub::MustDo must_do_;  // uses leads_, declared before it
  hub::Live live_;       // observes events_; uses notifications_
  hub::Daily daily_;
  hub::Jobs jobs_;
  hub::Weekly weekly_;
  hub::Monthly monthly_;
  game::Game game_;  // observes events_; uses notifications_
  game::Rewards rewards_;
  game::Social social_;
};

}  // namespace chosen::api
