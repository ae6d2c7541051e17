// UTF-8 encoding of one code point. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string>

namespace wfp {

// The most bytes WriteUtf8 writes.
inline constexpr size_t kUtf8Max = 4;

// Writes `cp` at `p` and returns the end.
inline char* WriteUtf8(char* p, uint32_t cp) {
  if (cp < 0x80) {
    *p++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *p++ = static_cast<char>(0xC0 | (cp >> 6));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *p++ = static_cast<char>(0xE0 | (cp >> 12));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *p++ = static_cast<char>(0xF0 | (cp >> 18));
    *p++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return p;
}

inline void AppendUtf8(std::string& out, uint32_t cp) {
  char buf[kUtf8Max];
  out.append(buf, static_cast<size_t>(WriteUtf8(buf, cp) - buf));
}

}  // namespace wfp
