#include "util/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace wfp {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

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

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Runs of plain ASCII go in one append.
    size_t run = i;
    while (run < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i >= s.size()) break;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      AppendUtf8(out, NextCodePoint(s, i));
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\0':
        out.append("\xEF\xBF\xBD");
        break;  // as in the batches' strings, where NUL separates them
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.push_back('"');
}

std::string WellFormedUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendUtf8(out, NextCodePoint(s, i));
  return out;
}

void AppendJsNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  if (v == 0) {
    out.push_back('0');  // -0 too, as JavaScript writes it
    return;
  }
  if (std::fabs(v) < 9007199254740992.0 && v == std::floor(v)) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    out.append(buf, r.ptr);
    return;
  }
  // The shortest digits that read back as v, placed as Number.prototype.toString() places them.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  const int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // the decimal point's position
  if (negative) out.push_back('-');
  if (k <= n && n <= 21) {
    out.append(digits).append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n)).push_back('.');
    out.append(digits, static_cast<size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {
    out.append("0.").append(static_cast<size_t>(-n), '0').append(digits);
  } else {
    out.push_back(digits[0]);
    if (k > 1) out.push_back('.'), out.append(digits, 1, std::string::npos);
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out.append(std::to_string(std::abs(n - 1)));
  }
}

void AppendIsoTime(std::string& out, double ms) {
  const int64_t t = static_cast<int64_t>(ms);
  int64_t days = t / 86400000, rest = t % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  const unsigned h = static_cast<unsigned>(rest / 3600000), mi = static_cast<unsigned>(rest / 60000 % 60),
                 s = static_cast<unsigned>(rest / 1000 % 60), milli = static_cast<unsigned>(rest % 1000);
  int n;
  if (y >= 0 && y <= 9999)
    n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(y), m, d, h, mi,
                      s, milli);
  else
    n = std::snprintf(buf, sizeof buf, "%c%06lld-%02u-%02uT%02u:%02u:%02u.%03uZ", y < 0 ? '-' : '+',
                      static_cast<long long>(y < 0 ? -y : y), m, d, h, mi, s, milli);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace wfp
