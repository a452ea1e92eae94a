// A deterministic random source for the pattern engine's synthetic-history
// tests: splitmix64, the same sequence on every platform and standard
// library (std:: distributions are not). Test support only.
#pragma once

#include <cstdint>

namespace chosen::pattern::testing {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  // Uniform in [0, 1).
  double Uniform() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t s_;
};

}  // namespace chosen::pattern::testing
