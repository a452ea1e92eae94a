// The notification hub: per-user fan-out of Server-Sent Events. A handler
// subscribes the caller and returns the stream in its Response; services
// publish events for a user, and every open tab of that user receives them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "common/error.h"
#include "http/event_stream.h"

namespace chosen::notify {

// Holds weak pointers only: the server session that writes a stream owns it,
// so a stream whose client left (or was dropped for reading too slowly)
// disappears from the hub by itself; dead and closed streams are pruned as
// the hub meets them.
//
// Thread-safe. Pushing to streams happens outside the hub's lock, so a
// publisher never waits on another publisher's subscribers.
class Hub {
 public:
  // At most `max_streams_per_user` open streams per user and
  // `max_streams_total` in all (values below 1 are raised to 1).
  explicit Hub(std::size_t max_streams_per_user = 8, std::size_t max_streams_total = 20000);
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Opens a stream for `user_id` and returns it; the caller owns it (put it
  // in http::Response::stream) and the hub keeps a weak pointer. A user
  // already at the per-user limit gets the stream anyway: their oldest
  // stream is closed and dropped (a user reloading tabs must not lock
  // themself out). Returns kUnavailable when the total limit is reached.
  // `org_id` is the user's org, for PublishToOrg.
  Result<std::shared_ptr<http::EventStream>> Subscribe(std::int64_t user_id, std::int64_t org_id);

  // Sends `event` with `data` (serialised once, as JSON) to every open
  // stream of `user_id`, and no one else. A stream whose queue is full is
  // closed by the push (its client is too slow) and pruned later. A user
  // with no streams is not an error: the event is simply not delivered.
  void Publish(std::int64_t user_id, std::string_view event, const boost::json::value& data);

  // As Publish, to every open stream of every user of `org_id`.
  void PublishToOrg(std::int64_t org_id, std::string_view event, const boost::json::value& data);

  // The number of open streams (those still owned by someone and not
  // closed).
  std::size_t size() const;

 private:
  using Streams = std::vector<std::weak_ptr<http::EventStream>>;
  struct User {
    std::int64_t org_id = 0;
    Streams streams;  // oldest first
  };

  // Removes expired and closed streams from `streams`, keeping the order
  // (oldest first). Requires mu_.
  void PruneLocked(Streams& streams);
  // PruneLocked on every user, dropping users left with none. Requires mu_.
  void PruneAllLocked();
  static void PushAll(const std::vector<std::shared_ptr<http::EventStream>>& targets, std::string_view event,
                      std::string_view data);

  const std::size_t max_per_user_;
  const std::size_t max_total_;
  mutable std::mutex mu_;
  std::unordered_map<std::int64_t, User> users_;  // guarded by mu_; users with streams
  std::size_t count_ = 0;  // guarded by mu_; entries in streams_, live or not yet pruned
};

}  // namespace chosen::notify
