// Runs the coach's time rules for every user once per slot, on its own
// thread, so reading insights never has to compute them. Slot n of a job
// with interval i covers [n*i, (n+1)*i) ms since the epoch on the injected
// Clock. Every server on a database runs a Scheduler; whichever claims a
// slot first (a row in scheduler_runs) runs it, so each sweep happens once
// across them. A slot whose claimer stops mid-sweep is not retried: the
// next slot sweeps everything again (sweeps are idempotent). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "coach/coach.h"
#include "common/clock.h"
#include "store/db.h"

namespace chosen::coach {

class Scheduler {
 public:
  // Runs before each sweep of a claimed slot (the pattern engine's refresh,
  // whose findings the `patterns` rule reads); its error is logged and the
  // sweep runs anyway.
  using BeforeSweep = std::function<Status()>;

  // Tries the current slot at Start() and then each new one. `db`, `clock`
  // and `coach` must outlive this.
  Scheduler(store::Database& db, const Clock& clock, Coach& coach, std::chrono::milliseconds interval,
            BeforeSweep before_sweep = {});
  ~Scheduler() { Stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  // Waits for a sweep in progress to finish. Idempotent.
  void Stop();

  // Claims `slot` of `job` for the caller: true if no one had, false if
  // someone (any server) already did. Forgets claims of `job` older than
  // `keep_slots` slots.
  static Result<bool> Claim(store::Database& db, std::string_view job, std::int64_t slot, TimestampMs now,
                            std::int64_t keep_slots);

 private:
  // Claims and runs the slot `now` falls in, if no one has.
  void RunSlot(TimestampMs now);

  store::Database& db_;
  const Clock& clock_;
  Coach& coach_;
  const std::chrono::milliseconds interval_;
  const std::string job_;  // "coach_sweep/<interval ms>": servers with other intervals slot apart
  const BeforeSweep before_sweep_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace chosen::coach
