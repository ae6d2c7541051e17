// Unsigned decimal digits to a number, refusing anything else and overflow. Callers trim first.
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

}  // namespace wfp
