// The one place that reads the system clock. Everything that decides takes a
// Clock (or a `now`) so tests can fix time exactly.
#pragma once

#include <atomic>
#include <cstdint>

namespace chosen {

// Milliseconds since the Unix epoch, UTC. The unit of every stored instant.
using TimestampMs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current instant. Thread-safe.
  virtual TimestampMs Now() const = 0;
};

// Reads std::chrono::system_clock.
class SystemClock final : public Clock {
 public:
  TimestampMs Now() const override;
};

// A clock that stands still until moved. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimestampMs now) : now_(now) {}
  TimestampMs Now() const override { return now_.load(); }
  void Set(TimestampMs now) { now_.store(now); }
  void Advance(TimestampMs ms) { now_.fetch_add(ms); }

 private:
  std::atomic<TimestampMs> now_;
};

}  // namespace chosen
