#include "common/clock.h"

#include <chrono>

namespace chosen {

TimestampMs SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace chosen
