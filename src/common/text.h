// Small text helpers shared by the coach's and the hub's messages.
#pragma once

#include <cstdint>
#include <string>

namespace chosen {

// 26000 -> "26,000".
inline std::string WithCommas(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace chosen
