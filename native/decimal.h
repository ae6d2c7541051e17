// Unsigned decimal digits to a number, refusing anything else and overflow. Callers trim first.
#pragma once

#include <cstdint>
#include <string_view>

namespace wfp {

inline bool ParseDecimal(std::string_view digits, uint64_t& out) {
  if (digits.empty() || digits.size() > 20) return false;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    const uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return false;  // overflow
    v = next;
  }
  out = v;
  return true;
}

}  // namespace wfp
