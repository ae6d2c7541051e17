// The on-disk layout of an .evtx file (libyal's "Windows XML Event Log (EVTX) format" and MS-EVEN6
// describe it): a 4096-byte file header, then 64 KiB chunks, each a 512-byte header (with its string
// and template tables) followed by event records, each a 24-byte header, BinXML and a copy of its
// size. Every number is little-endian; every offset inside a chunk counts from the chunk's first
// byte. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .evtx reader reads little-endian numbers with plain loads"
#endif

namespace wfp::evtx {

inline uint16_t U16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t U32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint64_t U64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline constexpr char kFileSignature[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', '\0'};
inline constexpr char kChunkSignature[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', '\0'};
inline constexpr uint32_t kRecordSignature = 0x00002A2Au;  // "**\0\0"

// File header.
inline constexpr size_t kFileHeaderSize = 4096;  // the chunks start here
inline constexpr size_t kFileHeaderUsed = 128;
inline constexpr size_t kFileFirstChunk = 8;     // u64
inline constexpr size_t kFileLastChunk = 16;     // u64
inline constexpr size_t kFileNextRecordId = 24;  // u64
inline constexpr size_t kFileMinorVersion = 36;  // u16
inline constexpr size_t kFileMajorVersion = 38;  // u16: 3
inline constexpr size_t kFileChunkCount = 42;    // u16
inline constexpr size_t kFileFlags = 120;        // u32
inline constexpr size_t kFileChecksum = 124;     // u32: CRC-32 of bytes 0..119
inline constexpr uint32_t kFileFlagDirty = 0x1;
inline constexpr uint32_t kFileFlagFull = 0x2;
inline constexpr uint32_t kFileFlagNoChecksums = 0x4;  // Windows keeps no CRC-32 values in this file

// Chunk header.
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;       // the first record starts here
inline constexpr size_t kChunkFirstRecordNumber = 8;  // u64
inline constexpr size_t kChunkLastRecordNumber = 16;  // u64
inline constexpr size_t kChunkFirstRecordId = 24;     // u64
inline constexpr size_t kChunkLastRecordId = 32;      // u64
inline constexpr size_t kChunkLastRecordOffset = 44;  // u32
inline constexpr size_t kChunkFreeSpaceOffset = 48;   // u32: just past the last record
inline constexpr size_t kChunkRecordsChecksum = 52;   // u32: CRC-32 of bytes 512..free space
inline constexpr size_t kChunkHeaderChecksum = 124;   // u32: CRC-32 of bytes 0..119 and 128..511

// Event record.
inline constexpr size_t kRecordHeaderSize = 24;   // signature, size, identifier, written time
inline constexpr size_t kRecordSize = 4;          // u32, repeated in the record's last 4 bytes
inline constexpr size_t kRecordId = 8;            // u64
inline constexpr size_t kRecordWrittenTime = 16;  // u64 FILETIME
inline constexpr size_t kRecordMinSize = kRecordHeaderSize + 4;

}  // namespace wfp::evtx
