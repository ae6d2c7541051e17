#include "model/record_values.h"

#include "util/decimal.h"
#include "util/same_bytes.h"

namespace wfp {
namespace {

using sv = std::string_view;

int DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

// Days in a month of the proleptic Gregorian calendar.
int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool Digits(sv s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool EqualsIgnoreCase(sv a, sv b) {
  if (a.size() != b.size()) return false;
  if (SameBytes(a.data(), b.data(), a.size())) return true;  // as Windows writes it: checked on every record
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Decimal, or hexadecimal with 0x (the docs call ProcessId a pointer; Windows renders it in decimal).
std::optional<uint64_t> ParseNumber(sv text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  uint64_t v = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    if (text.size() > 16) return std::nullopt;
    for (char c : text) {
      uint64_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<uint64_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<uint64_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<uint64_t>(c - 'A' + 10);
      else
        return std::nullopt;
      v = v * 16 + d;
    }
    return v;
  }
  if (!ParseDecimal(text, v)) return std::nullopt;
  return v;
}

std::optional<uint32_t> ParseU32(sv text, uint64_t max) {
  std::optional<uint64_t> v = ParseNumber(text);
  if (!v || *v > max) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<std::string_view> MessageText(uint32_t id) {
  for (const auto& [message, text] : kMessages)
    if (message == id) return text;
  return std::nullopt;
}

// "%%14592" -> 14592
std::optional<uint32_t> TokenNumber(sv text) {
  if (text.size() < 3 || text[0] != '%' || text[1] != '%') return std::nullopt;
  return ParseU32(text.substr(2));
}

bool ParseSystemTime(sv t, double& ms) {
  int year, month, day, hour, minute, second;
  if (!Digits(t, 0, 4, year) || t.size() < 19 || t[4] != '-' || !Digits(t, 5, 2, month) || t[7] != '-' ||
      !Digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != ' ') || !Digits(t, 11, 2, hour) || t[13] != ':' ||
      !Digits(t, 14, 2, minute) || t[16] != ':' || !Digits(t, 17, 2, second))
    return false;
  // A date that does not exist (February 31) is not a time, rather than the one it would roll over to.
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
    return false;
  size_t i = 19;
  int millis = 0;  // Date keeps whole milliseconds: the first three fraction digits, truncated
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t start = i;
    for (int scale = 100; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, scale /= 10) millis += (t[i] - '0') * scale;
    if (i == start) return false;
  }
  int offsetMinutes = 0;
  if (i < t.size() && t[i] == 'Z') {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    int oh, om;
    if (!Digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' || !Digits(t, i + 4, 2, om)) return false;
    offsetMinutes = (t[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  }
  if (i != t.size()) return false;
  double days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  double seconds = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60 + second;
  ms = seconds * 1000 + millis;
  return true;
}

}  // namespace wfp
