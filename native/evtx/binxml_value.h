// The value types of BinXML (substitution values and inline values) and the text Windows renders for
// each, as EvtRender(EvtRenderEventXml) writes it: decimal integers, `0x` and lower-case hex digits
// without padding for the hex types and SizeT, upper-case GUIDs in braces, S-1-... SIDs, `true` and
// `false`, upper-case hex bytes for binary, FILETIME as SystemTime is written (seven fraction digits
// and two zeros: the 100 ns the value holds). Strings end at their first NUL, as Windows hands them
// over; a UTF-16 unit that is not part of a valid pair becomes U+FFFD. Plain C++ with no Node-API and
// no OS code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/utf8.h"

namespace wfp::evtx {

enum ValueType : uint8_t {
  kNull = 0x00,
  kString = 0x01,      // UTF-16LE
  kAnsiString = 0x02,  // a code page (Windows-1252 here)
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0A,
  kReal32 = 0x0B,
  kReal64 = 0x0C,
  kBool = 0x0D,  // 32 bits
  kBinary = 0x0E,
  kGuid = 0x0F,
  kSizeT = 0x10,  // 4 or 8 bytes
  kFileTime = 0x11,
  kSysTime = 0x12,
  kSid = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,  // nested BinXML: the walker reads it, not AppendValue
  kEvtXml = 0x23,
  kArrayFlag = 0x80,  // an array of the type in the low bits
};

struct Bytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// Bytes of one value of a fixed-size type; 0 for the others (strings, binary, SID, SizeT, BinXML).
size_t FixedSize(uint8_t type);

// Appends the text of one value (not an array) of `type` held in `size` bytes. False, appending
// nothing, when the bytes cannot hold a value of that type (a wrong size, a SID cut short).
bool AppendValue(uint8_t type, const uint8_t* data, size_t size, std::string& out);

// The items of an array value (`type` has kArrayFlag): strings end at their NUL, fixed-size items
// follow each other, SIDs are as long as their sub-authority count says. False when the bytes do not
// divide into items (a partial last item is not an item).
bool SplitArray(uint8_t type, const uint8_t* data, size_t size, std::vector<Bytes>& items);

// The text of a value of a type whose text is short and never needs escaping (integers, hex, SizeT,
// booleans, GUIDs, FILETIME and SYSTEMTIME), as AppendValue writes it, at `out`: its end. Null when
// `type` is another or the bytes make no value of it.
inline constexpr size_t kMaxShortValueText = 40;
char* WriteShortValue(uint8_t type, const uint8_t* data, size_t size, char* out);

// AppendValue, or where the bytes make no value of their type (a SID cut short) the bytes as they are,
// in hex: the text of a substitution value.
void AppendValueOrHex(uint8_t type, const uint8_t* data, size_t size, std::string& out);

// UTF-16LE code units to UTF-8, up to the first NUL.
void AppendUtf16(const uint8_t* data, size_t units, std::string& out);

// The same through a pointer, each ASCII character written by `ascii(c, out)` (which returns the new
// end), so that a writer may escape as it goes: at most kUtf16Utf8Max bytes a unit besides what
// `ascii` writes. `plain(units, count, out)` may first copy a run of units that `ascii` would write
// as they are (non-NUL ASCII) and return how many it copied, as a vector unit does it faster.
inline constexpr size_t kUtf16Utf8Max = 3;
template <typename WriteAscii, typename PlainRun>
char* WriteUtf16(const uint8_t* data, size_t units, char* out, WriteAscii ascii, PlainRun plain) {
  for (size_t i = 0; i < units; ++i) {
    const size_t run = plain(data + 2 * i, units - i, out);
    out += run;
    i += run;
    if (i == units) break;
    uint32_t u = data[2 * i] | static_cast<uint32_t>(data[2 * i + 1]) << 8;
    if (u < 0x80) {
      if (u == 0) break;
      out = ascii(static_cast<char>(u), out);
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const uint32_t low = data[2 * i + 2] | static_cast<uint32_t>(data[2 * i + 3]) << 8;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        out = WriteUtf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;  // not part of a valid pair
    out = WriteUtf8(out, u);
  }
  return out;
}

// 100 ns ticks since 1601-01-01 as `2016-06-29T15:24:34.3460000` followed by `00Z`.
void AppendFileTime(uint64_t ticks, std::string& out);

}  // namespace wfp::evtx
