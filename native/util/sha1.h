// SHA-1 (FIPS 180-4) and base64, for Community ID flow hashes written on the native thread. Plain
// C++ with no dependencies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wfp {

std::array<uint8_t, 20> Sha1(const uint8_t* data, size_t size);
// Standard base64 with padding.
std::string Base64(const uint8_t* data, size_t size);

}  // namespace wfp
