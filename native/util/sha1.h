// SHA-1 (FIPS 180-4) and base64, for Community ID flow hashes written on the native thread. Plain
// C++ with no dependencies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace wfp {

std::array<uint8_t, 20> Sha1(const uint8_t* data, size_t size);
// Standard base64 with padding, written at `p` (4 bytes for every 3 begun); returns the end.
char* WriteBase64(char* p, const uint8_t* data, size_t size);

}  // namespace wfp
