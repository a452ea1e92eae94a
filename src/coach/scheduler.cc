#include "coach/scheduler.h"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace chosen::coach {

Scheduler::Scheduler(store::Database& db, const Clock& clock, Coach& coach, std::chrono::milliseconds interval,
                     BeforeSweep before_sweep)
    : db_(db),
      clock_(clock),
      coach_(coach),
      interval_(std::max(interval, std::chrono::milliseconds(1))),
      job_(fmt::format("coach_sweep/{}", interval_.count())),
      before_sweep_(std::move(before_sweep)) {}

Result<bool> Scheduler::Claim(store::Database& db, std::string_view job, std::int64_t slot, TimestampMs now,
                              std::int64_t keep_slots) {
  bool claimed = false;
  auto st = db.Write([&](store::Connection& c) -> Status {
    auto n = c.Exec("INSERT INTO scheduler_runs (job, slot, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    {std::string(job), slot, now});
    if (!n) return n.error();
    claimed = *n == 1;
    if (!claimed) return {};
    auto old = c.Exec("DELETE FROM scheduler_runs WHERE job = ? AND slot < ?", {std::string(job), slot - keep_slots});
    if (!old) return old.error();
    return {};
  });
  if (!st) return st.error();
  return claimed;
}

void Scheduler::RunSlot(TimestampMs now) {
  std::int64_t slot = now / interval_.count();
  constexpr std::int64_t kKeepMs = 24 * 3600 * 1000;
  auto claimed = Claim(db_, job_, slot, now, std::max<std::int64_t>(1, kKeepMs / interval_.count()));
  if (!claimed) {
    spdlog::warn("coach sweep: cannot claim slot {}: {}", slot, claimed.error().message);
    return;
  }
  if (!*claimed) return;  // another server has it
  auto started = std::chrono::steady_clock::now();
  if (before_sweep_)
    if (auto pre = before_sweep_(); !pre) spdlog::warn("before the coach sweep of slot {}: {}", slot, pre.error().message);
  auto st = coach_.SweepAll();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (!st) spdlog::warn("coach sweep of slot {} failed: {}", slot, st.error().message);
  else spdlog::info("coach sweep of slot {} done in {} ms", slot, ms);
}

void Scheduler::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      TimestampMs now = clock_.Now();
      RunSlot(now);
      // Sleep to the next slot's start (by the injected Clock; the steady
      // clock only paces the wait). A clock that does not move (tests) is
      // re-read every interval.
      TimestampMs next = (now / interval_.count() + 1) * interval_.count();
      auto wait = std::chrono::milliseconds(std::clamp<TimestampMs>(next - clock_.Now(), 1, interval_.count()));
      lock.lock();
      cv_.wait_for(lock, wait, [this] { return stop_; });
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
