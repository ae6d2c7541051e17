// CRC-32 as RFC 1952 defines it (the checksum of zlib, gzip and the .evtx format): on x86-64 processors
// with carry-less multiplication (PCLMULQDQ, checked at run time) 64 bytes at a time by folding, as
// Intel's paper "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ" describes; elsewhere,
// and for short inputs and tails, table-driven eight bytes at a time. Plain C++ with no dependencies.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wfp {

// The CRC of `size` bytes at `data`, continuing from `crc` (0 to start).
uint32_t Crc32(const void* data, size_t size, uint32_t crc = 0);

// The table-driven CRC alone, whatever the processor: for the tests that hold both to the same values.
uint32_t Crc32Portable(const void* data, size_t size, uint32_t crc = 0);

}  // namespace wfp
