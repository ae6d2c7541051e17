#include "evtx/binxml_value.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "evtx/evtx_layout.h"
#include "util/utf8.h"

namespace wfp::evtx {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

char* WriteUnsigned(uint64_t v, char* out) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  const size_t n = static_cast<size_t>(buf + sizeof buf - p);
  std::memcpy(out, p, n);
  return out + n;
}

char* WriteSigned(int64_t v, char* out) {
  if (v >= 0) return WriteUnsigned(static_cast<uint64_t>(v), out);
  *out++ = '-';
  return WriteUnsigned(0 - static_cast<uint64_t>(v), out);
}

void AppendUnsigned(uint64_t v, std::string& out) {
  char buf[20];
  out.append(buf, static_cast<size_t>(WriteUnsigned(v, buf) - buf));
}

char* WriteHex(uint64_t v, char* out) {
  char buf[16];
  char* p = buf + sizeof buf;
  do {
    *--p = kHexLower[v & 0xF];
    v >>= 4;
  } while (v);
  *out++ = '0';
  *out++ = 'x';
  const size_t n = static_cast<size_t>(buf + sizeof buf - p);
  std::memcpy(out, p, n);
  return out + n;
}

char* WriteDigits(uint32_t v, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + width;
}

// Windows-1252 for 0x80..0x9F (the rest of the code page is Latin-1); undefined bytes map to U+FFFD.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

void AppendAnsi(const uint8_t* data, size_t size, std::string& out) {
  for (size_t i = 0; i < size && data[i]; ++i) {
    const uint8_t c = data[i];
    if (c < 0x80)
      out += static_cast<char>(c);
    else if (c < 0xA0)
      AppendUtf8(out, kCp1252High[c - 0x80]);
    else
      AppendUtf8(out, c);
  }
}

char* WriteGuid(const uint8_t* g, char* p) {
  auto hex = [&](uint8_t b) {
    *p++ = kHexUpper[b >> 4];
    *p++ = kHexUpper[b & 0xF];
  };
  *p++ = '{';
  for (int i = 3; i >= 0; --i) hex(g[i]);
  *p++ = '-';
  hex(g[5]);
  hex(g[4]);
  *p++ = '-';
  hex(g[7]);
  hex(g[6]);
  *p++ = '-';
  hex(g[8]);
  hex(g[9]);
  *p++ = '-';
  for (int i = 10; i < 16; ++i) hex(g[i]);
  *p++ = '}';
  return p;
}

// A SID: revision, sub-authority count, a 48-bit big-endian authority, then the sub-authorities.
size_t SidSize(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  const size_t need = 8 + 4 * static_cast<size_t>(data[1]);
  return need <= size ? need : 0;
}

void AppendSid(const uint8_t* data, std::string& out) {
  out += "S-";
  AppendUnsigned(data[0], out);
  out += '-';
  uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | data[i];
  if (authority >> 32) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%012" PRIX64, authority);
    out += buf;
  } else {
    AppendUnsigned(authority, out);
  }
  for (size_t i = 0; i < data[1]; ++i) {
    out += '-';
    AppendUnsigned(U32(data + 8 + 4 * i), out);
  }
}

// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t z, int64_t& y, uint32_t& m, uint32_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const uint32_t doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

char* WriteDateTime(int64_t y, uint32_t mo, uint32_t d, uint32_t h, uint32_t mi, uint32_t s, char* p) {
  p = WriteDigits(static_cast<uint32_t>(y), y > 9999 ? 5 : 4, p);
  *p++ = '-';
  p = WriteDigits(mo, 2, p);
  *p++ = '-';
  p = WriteDigits(d, 2, p);
  *p++ = 'T';
  p = WriteDigits(h, 2, p);
  *p++ = ':';
  p = WriteDigits(mi, 2, p);
  *p++ = ':';
  return WriteDigits(s, 2, p);
}

char* WriteFileTime(uint64_t ticks, char* p) {
  const uint64_t seconds = ticks / 10000000;
  const uint32_t fraction = static_cast<uint32_t>(ticks % 10000000);
  const int64_t days = static_cast<int64_t>(seconds / 86400) - 134774;  // 1601-01-01 to 1970-01-01
  const uint32_t inDay = static_cast<uint32_t>(seconds % 86400);
  int64_t y;
  uint32_t m, d;
  CivilFromDays(days, y, m, d);
  p = WriteDateTime(y, m, d, inDay / 3600, inDay / 60 % 60, inDay % 60, p);
  *p++ = '.';
  p = WriteDigits(fraction, 7, p);
  std::memcpy(p, "00Z", 3);
  return p + 3;
}

// A real as C's %g would not: Windows writes the shortest text that reads back as the same value.
void AppendReal(double v, int digits, std::string& out) {
  char buf[40];
  for (int precision = 1; precision <= digits; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (digits > 9 ? std::strtod(buf, nullptr) == v
                   : static_cast<float>(std::strtod(buf, nullptr)) == static_cast<float>(v))
      break;
  }
  out += buf;
}

}  // namespace

size_t FixedSize(uint8_t type) {
  switch (type) {
    case kInt8:
    case kUInt8:
      return 1;
    case kInt16:
    case kUInt16:
      return 2;
    case kInt32:
    case kUInt32:
    case kReal32:
    case kBool:
    case kHexInt32:
      return 4;
    case kInt64:
    case kUInt64:
    case kReal64:
    case kFileTime:
    case kHexInt64:
      return 8;
    case kGuid:
    case kSysTime:
      return 16;
    default:
      return 0;
  }
}

void AppendUtf16(const uint8_t* data, size_t units, std::string& out) {
  const size_t at = out.size();
  out.resize(at + kUtf16Utf8Max * units);
  const char* end = WriteUtf16(
      data, units, &out[at],
      [](char c, char* p) {
        *p = c;
        return p + 1;
      },
      [](const uint8_t*, size_t, char*) { return size_t{0}; });
  out.resize(static_cast<size_t>(end - out.data()));
}

void AppendFileTime(uint64_t ticks, std::string& out) {
  char buf[kMaxShortValueText];
  out.append(buf, static_cast<size_t>(WriteFileTime(ticks, buf) - buf));
}

char* WriteShortValue(uint8_t type, const uint8_t* data, size_t size, char* out) {
  const size_t fixed = FixedSize(type);
  if (fixed && size != fixed) return nullptr;
  switch (type) {
    case kInt8:
      return WriteSigned(static_cast<int8_t>(data[0]), out);
    case kUInt8:
      return WriteUnsigned(data[0], out);
    case kInt16:
      return WriteSigned(static_cast<int16_t>(U16(data)), out);
    case kUInt16:
      return WriteUnsigned(U16(data), out);
    case kInt32:
      return WriteSigned(static_cast<int32_t>(U32(data)), out);
    case kUInt32:
      return WriteUnsigned(U32(data), out);
    case kInt64:
      return WriteSigned(static_cast<int64_t>(U64(data)), out);
    case kUInt64:
      return WriteUnsigned(U64(data), out);
    case kBool:
      if (U32(data)) {
        std::memcpy(out, "true", 4);
        return out + 4;
      }
      std::memcpy(out, "false", 5);
      return out + 5;
    case kGuid:
      return WriteGuid(data, out);
    case kSizeT:
      if (size == 4) return WriteHex(U32(data), out);
      if (size == 8) return WriteHex(U64(data), out);
      return nullptr;
    case kFileTime:
      return WriteFileTime(U64(data), out);
    case kSysTime:
      // year, month, day of week, day, hour, minute, second, milliseconds
      out = WriteDateTime(U16(data), U16(data + 2), U16(data + 6), U16(data + 8), U16(data + 10), U16(data + 12), out);
      *out++ = '.';
      out = WriteDigits(U16(data + 14) % 1000, 3, out);
      std::memcpy(out, "000000Z", 7);
      return out + 7;
    case kHexInt32:
      return WriteHex(U32(data), out);
    case kHexInt64:
      return WriteHex(U64(data), out);
    default:
      return nullptr;
  }
}

bool AppendValue(uint8_t type, const uint8_t* data, size_t size, std::string& out) {
  char buf[kMaxShortValueText];
  if (const char* end = WriteShortValue(type, data, size, buf)) {
    out.append(buf, static_cast<size_t>(end - buf));
    return true;
  }
  const size_t fixed = FixedSize(type);  // the short types of the right size are written above
  if (fixed && size != fixed) return false;
  switch (type) {
    case kNull:
      return true;
    case kString:
      if (size % 2) return false;
      AppendUtf16(data, size / 2, out);
      return true;
    case kAnsiString:
      AppendAnsi(data, size, out);
      return true;
    case kReal32: {
      float f;
      std::memcpy(&f, data, 4);
      AppendReal(f, 9, out);
      return true;
    }
    case kReal64: {
      double v;
      std::memcpy(&v, data, 8);
      AppendReal(v, 17, out);
      return true;
    }
    case kSid:
      if (!SidSize(data, size)) return false;
      AppendSid(data, out);
      return true;
    case kSizeT:  // neither 4 nor 8 bytes
      return false;
    default: {  // binary, handles, event XML and types this reader does not know: their bytes in hex
      const size_t at = out.size();
      out.resize(at + 2 * size);
      char* p = &out[at];
      for (size_t i = 0; i < size; ++i) {
        *p++ = kHexUpper[data[i] >> 4];
        *p++ = kHexUpper[data[i] & 0xF];
      }
      return true;
    }
  }
}

void AppendValueOrHex(uint8_t type, const uint8_t* data, size_t size, std::string& out) {
  if (!AppendValue(type, data, size, out)) AppendValue(kBinary, data, size, out);
}

bool SplitArray(uint8_t type, const uint8_t* data, size_t size, std::vector<Bytes>& items) {
  items.clear();
  const uint8_t base = type & ~kArrayFlag;
  if (base == kString || base == kAnsiString) {
    const size_t unit = base == kString ? 2 : 1;
    if (size % unit) return false;
    size_t start = 0;
    for (size_t i = 0; i + unit <= size; i += unit) {
      const bool nul = unit == 2 ? U16(data + i) == 0 : data[i] == 0;
      if (!nul) continue;
      items.push_back(Bytes{data + start, i - start});
      start = i + unit;
    }
    if (start < size) items.push_back(Bytes{data + start, size - start});  // the last one without its NUL
    return true;
  }
  if (base == kSid) {
    for (size_t at = 0; at < size;) {
      const size_t n = SidSize(data + at, size - at);
      if (!n) return false;
      items.push_back(Bytes{data + at, n});
      at += n;
    }
    return true;
  }
  size_t item = FixedSize(base);
  if (base == kSizeT) item = 8;  // an array of pointers of a 64-bit writer; 32-bit writers use HexInt32 arrays
  if (!item || size % item) return false;
  for (size_t at = 0; at < size; at += item) items.push_back(Bytes{data + at, item});
  return true;
}

}  // namespace wfp::evtx
