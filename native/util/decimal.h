// Unsigned decimal digits to a number, refusing anything else and overflow (callers trim first), and a
// double to an unsigned 64-bit number without undefined behaviour.
#pragma once

#include <cstdint>
#include <string_view>

namespace wfp {

inline bool ParseDecimal(std::string_view digits, uint64_t& out) {
  if (digits.empty() || digits.size() > 20) return false;
  uint64_t v = 0;
  for (char c : digits) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  // Only 20 digits can exceed 2^64 - 1; equal lengths compare as text.
  if (digits.size() == 20 && digits > std::string_view("18446744073709551615")) return false;
  out = v;
  return true;
}

// A record ID given as a JavaScript number: doubles outside 0..2^64 have no uint64_t value (casting
// them is undefined behaviour), so NaN and negatives are 0 and anything from 2^64 up is UINT64_MAX.
inline uint64_t SaturatedU64(double value) {
  constexpr double kTwoTo64 = 18446744073709551616.0;
  if (!(value > 0)) return 0;  // also NaN
  if (value >= kTwoTo64) return UINT64_MAX;
  return static_cast<uint64_t>(value);
}

}  // namespace wfp
