// Counts failures per key in a sliding window. Used to slow down password
// guessing per account and per client address. Thread-safe; memory bounded.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace chosen::auth {

class RateLimiter {
 public:
  // At most `max_failures` within `window_ms` per key; at most `max_keys`
  // keys are tracked (the stalest are dropped first). Values below 1 are
  // raised to 1.
  RateLimiter(const Clock& clock, int max_failures, TimestampMs window_ms, std::size_t max_keys = 10000);

  // Returns 0 when `key` may try now, else milliseconds until it may.
  TimestampMs RetryAfter(const std::string& key);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<TimestampMs>& q, TimestampMs now) const;

  const Clock& clock_;
  const int max_failures_;
  const TimestampMs window_ms_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<TimestampMs>> failures_;  // guarded by mu_
};

}  // namespace chosen::auth
