#include "notify/hub.h"

#include <algorithm>
#include <string>
#include <utility>

#include <boost/json/serialize.hpp>

namespace chosen::notify {

Hub::Hub(std::size_t max_streams_per_user, std::size_t max_streams_total)
    : max_per_user_(std::max<std::size_t>(1, max_streams_per_user)),
      max_total_(std::max<std::size_t>(1, max_streams_total)) {}

void Hub::PruneLocked(Streams& streams) {
  auto dead = [](const std::weak_ptr<http::EventStream>& w) {
    auto s = w.lock();
    return !s || s->closed();
  };
  auto tail = std::remove_if(streams.begin(), streams.end(), dead);
  count_ -= static_cast<std::size_t>(streams.end() - tail);
  streams.erase(tail, streams.end());
}

void Hub::PruneAllLocked() {
  for (auto it = users_.begin(); it != users_.end();) {
    PruneLocked(it->second.streams);
    it = it->second.streams.empty() ? users_.erase(it) : std::next(it);
  }
}

Result<std::shared_ptr<http::EventStream>> Hub::Subscribe(std::int64_t user_id, std::int64_t org_id) {
  auto stream = std::make_shared<http::EventStream>();
  std::vector<std::shared_ptr<http::EventStream>> evicted;
  {
    std::lock_guard lock(mu_);
    // Only at the limit is it worth sweeping everyone for dead streams.
    if (count_ >= max_total_) PruneAllLocked();
    User& user = users_[user_id];
    user.org_id = org_id;
    Streams& mine = user.streams;
    PruneLocked(mine);
    if (mine.size() >= max_per_user_) {
      // Make room by dropping this user's oldest streams; the total does not
      // grow, so this is allowed even at the total limit.
      std::size_t n = mine.size() - max_per_user_ + 1;
      for (std::size_t i = 0; i < n; ++i)
        if (auto s = mine[i].lock()) evicted.push_back(std::move(s));
      mine.erase(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(n));
      count_ -= n;
    } else if (count_ >= max_total_) {
      if (mine.empty()) users_.erase(user_id);
      return Error{ErrorCode::kUnavailable, "too many open event streams; retry shortly", {}};
    }
    mine.push_back(stream);
    ++count_;
  }
  // Outside the lock: Close() wakes the stream's session.
  for (auto& s : evicted) s->Close();
  return stream;
}

void Hub::PushAll(const std::vector<std::shared_ptr<http::EventStream>>& targets, std::string_view event,
                  std::string_view data) {
  if (targets.empty()) return;
  // Formatted once: every stream's queue shares these bytes, so a broadcast
  // to 10,000 streams holds one copy of its frame, not 10,000.
  auto frame = http::EventStream::Format(event, data);
  // A failed push closed the stream (too slow) or it was already closed;
  // either way the next prune removes it.
  for (const auto& s : targets) s->Push(frame);
}

void Hub::Publish(std::int64_t user_id, std::string_view event, const boost::json::value& data) {
  std::string payload = boost::json::serialize(data);
  std::vector<std::shared_ptr<http::EventStream>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = users_.find(user_id);
    if (it == users_.end()) return;
    PruneLocked(it->second.streams);
    for (const auto& w : it->second.streams)
      if (auto s = w.lock()) targets.push_back(std::move(s));
    if (it->second.streams.empty()) users_.erase(it);
  }
  PushAll(targets, event, payload);
}

void Hub::PublishToOrg(std::int64_t org_id, std::string_view event, const boost::json::value& data) {
  std::string payload = boost::json::serialize(data);
  std::vector<std::shared_ptr<http::EventStream>> targets;
  {
    std::lock_guard lock(mu_);
    PruneAllLocked();
    targets.reserve(count_);
    for (const auto& [id, user] : users_)
      if (user.org_id == org_id)
        for (const auto& w : user.streams)
          if (auto s = w.lock()) targets.push_back(std::move(s));
  }
  PushAll(targets, event, payload);
}

std::size_t Hub::size() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, user] : users_)
    for (const auto& w : user.streams) {
      auto s = w.lock();
      if (s && !s->closed()) ++n;
    }
  return n;
}

}  // namespace chosen::notify
