// Equality of two short byte runs, inline. The hot loops compare markup and strings of a few to a few
// dozen bytes, where a call to memcmp costs more than the comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64)
#include <emmintrin.h>
#define WFP_SSE2 1
#endif

namespace wfp {

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline bool SameBytes(const char* a, const char* b, size_t n) {
#ifdef WFP_SSE2
  if (n >= 16) {
    auto differs = [&](size_t at) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + at));
      const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + at));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) != 0xFFFF;
    };
    for (size_t i = 0; i + 16 < n; i += 16)
      if (differs(i)) return false;
    return !differs(n - 16);
  }
#endif
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (Load64(a + i) != Load64(b + i)) return false;
    return Load64(a + n - 8) == Load64(b + n - 8);
  }
  if (n >= 4) return Load32(a) == Load32(b) && Load32(a + n - 4) == Load32(b + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

}  // namespace wfp
