#include "util/json_text.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "util/utf8.h"

namespace wfp {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The WHATWG UTF-8 decoder (https://encoding.spec.whatwg.org/#utf-8-decoder), one code point at a
// time: returns the code point at s[i] and advances i; an invalid sequence yields U+FFFD and
// consumes only the bytes before the one that made it invalid.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char b = static_cast<unsigned char>(s[i++]);
  if (b < 0x80) return b;
  uint32_t cp;
  int needed;
  unsigned char lower = 0x80, upper = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    needed = 1;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    if (b == 0xE0) lower = 0xA0;
    if (b == 0xED) upper = 0x9F;
    needed = 2;
    cp = b & 0xF;
  } else if (b >= 0xF0 && b <= 0xF4) {
    if (b == 0xF0) lower = 0x90;
    if (b == 0xF4) upper = 0x8F;
    needed = 3;
    cp = b & 0x7;
  } else {
    return 0xFFFD;
  }
  for (int k = 0; k < needed; ++k) {
    if (i >= s.size()) return 0xFFFD;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < lower || c > upper) return 0xFFFD;
    lower = 0x80;
    upper = 0xBF;
    cp = cp << 6 | (c & 0x3F);
    ++i;
  }
  return cp;
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian), after H. Hinnant's algorithm.
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

bool IsPlain(unsigned char c) { return kJsonPlain.plain[c]; }

// Where the run of plain ASCII starting at s[i] ends.
size_t PlainRunEnd(std::string_view s, size_t i) {
  for (uint64_t w; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (AnyJsonSpecial(w)) break;
  }
  while (i < s.size() && IsPlain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// Two decimal digits of v (< 100).
char* TwoDigits(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

}  // namespace

char* WriteJsonString(char* p, std::string_view s) {
  *p++ = '"';
  p = WriteJsonChars(p, s);
  *p++ = '"';
  return p;
}

char* WriteJsonChars(char* p, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Runs of plain ASCII are copied as they are, found eight bytes at a time.
    const size_t run = PlainRunEnd(s, i);
    if (run > i) {
      std::memcpy(p, s.data() + i, run - i);
      p += run - i;
      i = run;
      if (i >= s.size()) break;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      p = WriteUtf8(p, NextCodePoint(s, i));
      continue;
    }
    ++i;
    const char* escape = nullptr;
    switch (c) {
      case '"':
        escape = "\\\"";
        break;
      case '\\':
        escape = "\\\\";
        break;
      case '\b':
        escape = "\\b";
        break;
      case '\f':
        escape = "\\f";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\0':
        p = WriteUtf8(p, 0xFFFD);  // as in the batches' strings, where NUL separates them
        continue;
      default:
        *p++ = '\\', *p++ = 'u', *p++ = '0', *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xF];
        continue;
    }
    *p++ = escape[0];
    *p++ = escape[1];
  }
  return p;
}

std::string WellFormedUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendUtf8(out, NextCodePoint(s, i));
  return out;
}

char* WriteJsNumber(char* p, double v) {
  if (!std::isfinite(v)) {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  if (v == 0) {
    *p++ = '0';  // -0 too, as JavaScript writes it
    return p;
  }
  if (std::fabs(v) < 9007199254740992.0 && v == std::floor(v))
    return std::to_chars(p, p + kJsNumberMax, static_cast<int64_t>(v)).ptr;
  // The shortest digits that read back as v, placed as Number.prototype.toString() places them.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  const bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  const size_t e = sci.find('e');
  char digits[20];
  int k = 0;
  for (char c : sci.substr(0, e))
    if (c != '.') digits[k++] = c;
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+'), sci.data() + sci.size(), exponent);
  const int n = exponent + 1;  // the decimal point's position
  const auto copy = [&](int from, int to) {
    std::memcpy(p, digits + from, static_cast<size_t>(to - from));
    p += to - from;
  };
  if (negative) *p++ = '-';
  if (k <= n && n <= 21) {
    copy(0, k);
    for (int z = k; z < n; ++z) *p++ = '0';
  } else if (0 < n && n <= 21) {
    copy(0, n);
    *p++ = '.';
    copy(n, k);
  } else if (-6 < n && n <= 0) {
    *p++ = '0', *p++ = '.';
    for (int z = 0; z < -n; ++z) *p++ = '0';
    copy(0, k);
  } else {
    *p++ = digits[0];
    if (k > 1) *p++ = '.', copy(1, k);
    *p++ = 'e';
    *p++ = n - 1 >= 0 ? '+' : '-';
    p = std::to_chars(p, p + 4, n - 1 >= 0 ? n - 1 : 1 - n).ptr;
  }
  return p;
}

char* WriteIsoTime(char* p, double ms) {
  const int64_t t = static_cast<int64_t>(ms);
  int64_t days = t / 86400000, rest = t % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  const unsigned h = static_cast<unsigned>(rest / 3600000), mi = static_cast<unsigned>(rest / 60000 % 60),
                 sec = static_cast<unsigned>(rest / 1000 % 60), milli = static_cast<unsigned>(rest % 1000);
  if (y >= 0 && y <= 9999) {
    p = TwoDigits(TwoDigits(p, static_cast<unsigned>(y / 100)), static_cast<unsigned>(y % 100));
  } else {  // toISOString()'s expanded years: a sign and six digits
    const uint64_t year = static_cast<uint64_t>(y < 0 ? -y : y);
    *p++ = y < 0 ? '-' : '+';
    p = TwoDigits(
        TwoDigits(TwoDigits(p, static_cast<unsigned>(year / 10000 % 100)), static_cast<unsigned>(year / 100 % 100)),
        static_cast<unsigned>(year % 100));
  }
  *p++ = '-';
  p = TwoDigits(p, m);
  *p++ = '-';
  p = TwoDigits(p, d);
  *p++ = 'T';
  p = TwoDigits(p, h);
  *p++ = ':';
  p = TwoDigits(p, mi);
  *p++ = ':';
  p = TwoDigits(p, sec);
  *p++ = '.';
  *p++ = static_cast<char>('0' + milli / 100);
  p = TwoDigits(p, milli % 100);
  *p++ = 'Z';
  return p;
}

void AppendJsonString(std::string& out, std::string_view s) {
  const size_t at = out.size();
  out.resize(at + JsonStringMax(s.size()));
  out.resize(static_cast<size_t>(WriteJsonString(&out[at], s) - out.data()));
}

void AppendJsNumber(std::string& out, double v) {
  char buf[kJsNumberMax];
  out.append(buf, static_cast<size_t>(WriteJsNumber(buf, v) - buf));
}

void AppendIsoTime(std::string& out, double ms) {
  char buf[kIsoTimeMax];
  out.append(buf, static_cast<size_t>(WriteIsoTime(buf, ms) - buf));
}

}  // namespace wfp
