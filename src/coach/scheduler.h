// Runs the coach's time rules for every user on a fixed interval, on its own
// thread, so reading insights never has to compute them. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "coach/coach.h"

namespace chosen::coach {

class Scheduler {
 public:
  // Sweeps at Start() and then every `interval`. `coach` must outlive this.
  Scheduler(Coach& coach, std::chrono::milliseconds interval) : coach_(coach), interval_(interval) {}
  ~Scheduler() { Stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  // Waits for a sweep in progress to finish. Idempotent.
  void Stop();

 private:
  Coach& coach_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace chosen::coach
