// IP addresses as WFP logs them ("192.0.2.1", "fe80::1c5a:2b%12", "::ffff:192.0.2.1") to 16 bytes, so
// that two spellings of one address compare equal; IPv4 is held as its IPv4-mapped IPv6 form. No deps.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace wfp {

using IpAddress = std::array<uint8_t, 16>;

inline IpAddress MappedIpv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return IpAddress{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d};
}

inline bool IsIpv4(const IpAddress& ip) {
  for (int i = 0; i < 10; ++i)
    if (ip[i]) return false;
  return ip[10] == 0xff && ip[11] == 0xff;
}

namespace ip_detail {
inline bool ParseIpv4(std::string_view s, uint8_t out[4]) {
  int part = 0;
  uint32_t value = 0, digits = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (!digits || value > 255 || part > 3) return false;  // (leading zeros were refused below)
      out[part++] = static_cast<uint8_t>(value);
      value = digits = 0;
    } else if (s[i] >= '0' && s[i] <= '9' && digits < 3 && !(digits == 1 && value == 0)) {
      value = value * 10 + static_cast<uint32_t>(s[i] - '0');
      ++digits;
    } else {
      return false;
    }
  }
  return part == 4;
}

inline int HexDigit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}
}  // namespace ip_detail

// Nothing for text that is not an address (a MAC address of 5150/5151, "-", a name). What Node's
// net.isIP() takes, as the native formats must agree with it: no leading zeros in IPv4 ("010.0.0.1"
// is octal to some parsers), no brackets; a zone ("fe80::1%12") is dropped.
inline std::optional<IpAddress> ParseIpAddress(std::string_view s) {
  if (const size_t zone = s.find('%'); zone != std::string_view::npos) s = s.substr(0, zone);
  IpAddress ip{};
  if (s.find(':') == std::string_view::npos) {
    uint8_t v4[4];
    if (!ip_detail::ParseIpv4(s, v4)) return std::nullopt;
    return MappedIpv4(v4[0], v4[1], v4[2], v4[3]);
  }
  // IPv6: up to eight groups, one "::", an optional dotted IPv4 tail.
  uint16_t groups[8];
  int count = 0, gap = -1;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    size_t end = s.find(':', i);
    std::string_view group = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (group.find('.') != std::string_view::npos) {  // the IPv4 tail ends the address
      uint8_t v4[4];
      if (end != std::string_view::npos || count > 6 || !ip_detail::ParseIpv4(group, v4)) return std::nullopt;
      groups[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      i = s.size();
      break;
    }
    if (group.empty() || group.size() > 4 || count >= 8) return std::nullopt;
    uint16_t value = 0;
    for (char c : group) {
      const int d = ip_detail::HexDigit(c);
      if (d < 0) return std::nullopt;
      value = static_cast<uint16_t>(value << 4 | d);
    }
    groups[count++] = value;
    if (end == std::string_view::npos) {
      i = s.size();
    } else if (s.substr(end, 2) == "::") {
      if (gap >= 0) return std::nullopt;
      gap = count;
      i = end + 2;
    } else {
      i = end + 1;
      if (i == s.size()) return std::nullopt;  // a trailing single ':'
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return std::nullopt;
  const int zeros = 8 - count;
  int at = 0;
  for (int g = 0; g < count; ++g) {
    if (g == gap) at += zeros;
    ip[2 * at] = static_cast<uint8_t>(groups[g] >> 8);
    ip[2 * at + 1] = static_cast<uint8_t>(groups[g]);
    ++at;
  }
  return ip;
}

inline bool IsUnspecified(const IpAddress& ip) {
  bool zero = true;
  for (int i = 0; i < 16; ++i) zero = zero && ip[i] == 0;
  return zero || (IsIpv4(ip) && !ip[12] && !ip[13] && !ip[14] && !ip[15]);
}

// A group or broadcast address, which is no host's own and no peer's: multicast (224.0.0.0/4,
// ff00::/8), the limited broadcast, and an IPv4 address ending in .255, taken as a subnet broadcast
// (a record does not tell the prefix; a host numbered .255 in a network wider than /24 is rare).
inline bool IsGroupAddress(const IpAddress& ip) {
  if (IsIpv4(ip)) return (ip[12] & 0xf0) == 0xe0 || ip[15] == 255;
  return ip[0] == 0xff;
}

}  // namespace wfp
