#include "util/crc32.h"

#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#define WFP_CRC32_CLMUL 1
#include <emmintrin.h>
#include <smmintrin.h>
#include <wmmintrin.h>
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#define WFP_TARGET_CLMUL
#else
#include <cpuid.h>
#define WFP_TARGET_CLMUL __attribute__((target("pclmul,sse4.1")))
#endif
#endif

namespace wfp {
namespace {

// Slicing by eight: table k gives the CRC of a byte followed by k zero bytes.
struct Crc32Tables {
  uint32_t t[8][256] = {};
  constexpr Crc32Tables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int k = 1; k < 8; ++k) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  }
};
constexpr Crc32Tables kTables;

// On the inverted CRC (as the register holds it).
uint32_t TableCrc(const unsigned char* p, size_t size, uint32_t crc) {
  const auto& t = kTables.t;
  while (size >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);  // little-endian hosts only (x86-64, arm64)
    std::memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][hi & 0xFF] ^
          t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    size -= 8;
  }
  while (size--) crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xFF];
  return crc;
}

#ifdef WFP_CRC32_CLMUL

bool HasClmul() {
  unsigned ecx = 0;
#if defined(_MSC_VER) && !defined(__clang__)
  int info[4];
  __cpuid(info, 1);
  ecx = static_cast<unsigned>(info[2]);
#else
  unsigned eax, ebx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
#endif
  return (ecx & (1u << 1)) && (ecx & (1u << 19));  // PCLMULQDQ, SSE4.1
}

const bool kClmul = HasClmul();

WFP_TARGET_CLMUL inline __m128i Load(const unsigned char* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// x times k folded onto `next`: the low half by k's low half, the high half by k's high half.
WFP_TARGET_CLMUL inline __m128i Fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

// The inverted CRC of `size` bytes (at least 64, a multiple of 16): four 128-bit lanes folded 64 bytes at
// a time, folded into one, then reduced to 32 bits (Barrett). The constants are x^k mod P for the
// bit-reflected polynomial, from the paper.
WFP_TARGET_CLMUL uint32_t ClmulCrc(const unsigned char* p, size_t size, uint32_t crc) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  __m128i x1 = _mm_xor_si128(Load(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = Load(p + 16), x3 = Load(p + 32), x4 = Load(p + 48);
  p += 64;
  size -= 64;
  for (; size >= 64; p += 64, size -= 64) {
    x1 = Fold(x1, k1k2, Load(p));
    x2 = Fold(x2, k1k2, Load(p + 16));
    x3 = Fold(x3, k1k2, Load(p + 32));
    x4 = Fold(x4, k1k2, Load(p + 48));
  }
  x1 = Fold(x1, k3k4, x2);
  x1 = Fold(x1, k3k4, x3);
  x1 = Fold(x1, k3k4, x4);
  for (; size >= 16; p += 16, size -= 16) x1 = Fold(x1, k3k4, Load(p));
  // 128 bits to 64, then to 32 by Barrett reduction.
  __m128i x = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  x = _mm_xor_si128(_mm_srli_si128(x, 4), _mm_clmulepi64_si128(_mm_and_si128(x, low32), k5, 0x00));
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, low32), poly, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, low32), poly, 0x00);
  return static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(x, t), 1));
}

#endif

}  // namespace

uint32_t Crc32Portable(const void* data, size_t size, uint32_t crc) {
  return ~TableCrc(static_cast<const unsigned char*>(data), size, ~crc);
}

uint32_t Crc32(const void* data, size_t size, uint32_t crc) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
#ifdef WFP_CRC32_CLMUL
  if (kClmul && size >= 64) {
    const size_t folded = size & ~size_t{15};
    crc = ClmulCrc(p, folded, crc);
    p += folded;
    size -= folded;
  }
#endif
  return ~TableCrc(p, size, crc);
}

}  // namespace wfp
