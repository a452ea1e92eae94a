#include "common/defer.h"

namespace chosen {
namespace {

thread_local std::vector<std::function<void()>>* innermost = nullptr;

}  // namespace

DeferScope::DeferScope() : outer_(innermost) { innermost = &work_; }

DeferScope::~DeferScope() {
  // What the deferred work defers in turn goes to the outer scope (or runs).
  innermost = outer_;
  for (auto& f : work_) f();
}

void Defer(std::function<void()> f) {
  if (innermost)
    innermost->push_back(std::move(f));
  else
    f();
}

}  // namespace chosen
