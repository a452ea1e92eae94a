// Carries hub events between the server processes that share a database. A
// service publishes inside its write transaction (Relay::Publish queues the
// event with Connection::Notify); once that commits, the Relay of every
// process using the database hears it (Database::Listen) and hands it to its
// Hub, which pushes it to the user's open streams there. On PostgreSQL that
// is every `chosen serve` on the database; on SQLite, this process.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/error.h"
#include "notify/hub.h"
#include "store/db.h"

namespace chosen::notify {

class Relay {
 public:
  static constexpr std::string_view kChannel = "chosen_hub";

  // Listens on kChannel and publishes what it hears to `hub` until
  // destroyed. `hub` must outlive the Relay. Fails if the database cannot
  // listen (PostgreSQL unreachable).
  static Result<std::unique_ptr<Relay>> Start(store::Database& db, Hub& hub);

  // Inside a write transaction on `c`: `event` with `data` for `user_id`,
  // delivered to that user's streams on every server once the transaction
  // commits, never if it rolls back. An event too large to travel as a
  // notification goes as `resync` with `{}` instead (the client re-reads).
  static Status Publish(store::Connection& c, std::int64_t user_id, std::string_view event,
                        const boost::json::value& data);

  // As Publish, to the streams of every user of `org_id`.
  static Status PublishToOrg(store::Connection& c, std::int64_t org_id, std::string_view event,
                             const boost::json::value& data);

  // Parses a notification payload and publishes it to `hub`; ignores (and
  // logs) one it cannot read. Public for tests.
  static void Deliver(Hub& hub, std::string_view payload);

 private:
  explicit Relay(std::unique_ptr<store::Listener> listener) : listener_(std::move(listener)) {}
  std::unique_ptr<store::Listener> listener_;
};

}  // namespace chosen::notify
