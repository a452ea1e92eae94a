// Work put off to the end of a round. A loop that calls back many times in a
// row (the SQLite writer answering every request of a batch it committed)
// opens a DeferScope around the calls; work a callback hands to Defer then
// runs once the round is over, so something that is needed once per round,
// not once per call, is done once: the HTTP server wakes its I/O thread once
// per batch rather than once per response.
#pragma once

#include <functional>
#include <vector>

namespace chosen {

// Runs, on destruction, what Defer queued on this thread while it was the
// innermost scope, in order. Deferred work must not throw. Not movable.
class DeferScope {
 public:
  DeferScope();
  ~DeferScope();
  DeferScope(const DeferScope&) = delete;
  DeferScope& operator=(const DeferScope&) = delete;

 private:
  std::vector<std::function<void()>> work_;
  std::vector<std::function<void()>>* outer_;
};

// Runs `f` when this thread's innermost DeferScope ends, or now if there is
// none.
void Defer(std::function<void()> f);

}  // namespace chosen
