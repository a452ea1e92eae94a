// Rendered answers of read endpoints, reused while nothing has changed.
//
// An answer is stored with the database's change stamp read before it was
// rendered (store::Database::ChangeStamp) and a time it holds until. It is
// served again only while the stamp is the same (no transaction of any
// process has committed since: the data it was rendered from is the data
// now) and that time has not come (what depends on the clock: the local
// date, an insight's expiry, the hour of a pace). So a reused answer is the
// one rendering it again would give, byte for byte, up to the time bound.
// Bounded by bytes; the least recently used answers leave first.
// Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"

namespace chosen::api {

class ResponseMemo {
 public:
  static constexpr std::size_t kDefaultMaxBytes = 16u << 20;

  explicit ResponseMemo(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // `key`'s body if it was stored under `stamp` and `now` is before its
  // valid_until; a stale one is dropped.
  std::optional<std::string> Find(const std::string& key, std::string_view stamp, TimestampMs now);

  // Stores `key`'s body (replacing the one before), evicting the least
  // recently used until the total fits. A body over a quarter of the budget
  // is not kept.
  void Store(const std::string& key, std::string stamp, TimestampMs valid_until, std::string body);

  std::size_t max_bytes() const { return max_bytes_; }
  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string key, stamp, body;
    TimestampMs valid_until = 0;
    std::size_t Cost() const { return key.size() + stamp.size() + body.size() + 128; }
  };
  void Erase(std::list<Entry>::iterator it);  // mu_ held

  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first; guarded by mu_
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // keys point into lru_
  std::size_t bytes_ = 0;  // guarded by mu_
};

}  // namespace chosen::api
