#include "api/response_memo.h"

namespace chosen::api {

std::optional<std::string> ResponseMemo::Find(const std::string& key, std::string_view stamp, TimestampMs now) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  auto entry = it->second;
  if (entry->stamp != stamp || now >= entry->valid_until) {
    Erase(entry);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, entry);
  return entry->body;
}

void ResponseMemo::Store(const std::string& key, std::string stamp, TimestampMs valid_until, std::string body) {
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) Erase(it->second);
  Entry e{key, std::move(stamp), std::move(body), valid_until};
  if (e.Cost() > max_bytes_ / 4) return;
  bytes_ += e.Cost();
  lru_.push_front(std::move(e));
  index_.emplace(lru_.front().key, lru_.begin());
  while (bytes_ > max_bytes_) Erase(std::prev(lru_.end()));
}

void ResponseMemo::Erase(std::list<Entry>::iterator it) {
  bytes_ -= it->Cost();
  index_.erase(it->key);
  lru_.erase(it);
}

std::size_t ResponseMemo::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t ResponseMemo::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace chosen::api
