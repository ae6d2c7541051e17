// CRC-32 as RFC 1952 defines it (the checksum of zlib, gzip and the .evtx format), table-driven eight
// bytes at a time. Plain C++ with no dependencies.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wfp {

// The CRC of `size` bytes at `data`, continuing from `crc` (0 to start).
uint32_t Crc32(const void* data, size_t size, uint32_t crc = 0);

}  // namespace wfp
