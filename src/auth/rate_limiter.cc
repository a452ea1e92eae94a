#include "auth/rate_limiter.h"

#include <algorithm>

namespace chosen::auth {

RateLimiter::RateLimiter(const Clock& clock, int max_failures, TimestampMs window_ms, std::size_t max_keys)
    : clock_(clock),
      max_failures_(std::max(1, max_failures)),
      window_ms_(std::max<TimestampMs>(1, window_ms)),
      max_keys_(std::max<std::size_t>(1, max_keys)) {}

void RateLimiter::Prune(std::deque<TimestampMs>& q, TimestampMs now) const {
  while (!q.empty() && q.front() <= now - window_ms_) q.pop_front();
}

TimestampMs RateLimiter::RetryAfter(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  TimestampMs now = clock_.Now();
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return 0;
  return it->second.front() + window_ms_ - now;
}

void RateLimiter::RecordFailure(const std::string& key) {
  std::lock_guard lock(mu_);
  TimestampMs now = clock_.Now();
  if (failures_.size() >= max_keys_ && !failures_.contains(key)) {
    // Drop every expired key; if none expired, drop the key whose newest
    // failure is oldest. Bounded memory beats perfect memory here.
    for (auto it = failures_.begin(); it != failures_.end();) {
      Prune(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_keys_) {
      auto stalest = failures_.begin();
      for (auto it = failures_.begin(); it != failures_.end(); ++it)
        if (it->second.back() < stalest->second.back()) stalest = it;
      failures_.erase(stalest);
    }
  }
  auto& q = failures_[key];
  Prune(q, now);
  q.push_back(now);
  // Only the newest max_failures_ matter for the decision.
  while (static_cast<int>(q.size()) > max_failures_) q.pop_front();
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace chosen::auth
