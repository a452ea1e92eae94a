#include "coach/scheduler.h"

#include <spdlog/spdlog.h>

namespace chosen::coach {

void Scheduler::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (auto st = coach_.SweepAll(); !st) spdlog::warn("coach sweep failed: {}", st.error().message);
      lock.lock();
      // Waiting uses the steady clock only to pace the loop; every decision
      // inside a sweep reads the injected Clock.
      cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace chosen::coach
