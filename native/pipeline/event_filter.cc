#include "pipeline/event_filter.h"

#include <algorithm>

#include "model/event_catalog.h"
#include "model/event_record.h"

namespace wfp {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<uint32_t> ParseUint(std::string_view s, uint32_t max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return static_cast<uint32_t>(v);
}

bool ParseIpv4(std::string_view s, uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    size_t dot = i < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return false;
    std::string_view part = s.substr(0, dot);
    if (part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    std::optional<uint32_t> v = ParseUint(part, 255);
    if (!v) return false;
    out[i] = static_cast<uint8_t>(*v);
    s = i < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool ParseIpv6(std::string_view s, uint8_t* out) {
  uint16_t groups[8] = {};
  int count = 0, gap = -1;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    s.remove_prefix(2);
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (!s.empty()) {
    if (count == 8) return false;
    size_t colon = s.find(':');
    std::string_view part = s.substr(0, colon);
    if (part.find('.') != std::string_view::npos) {  // an embedded IPv4 address ends it
      if (colon != std::string_view::npos || count > 6) return false;
      uint8_t v4[4];
      if (!ParseIpv4(part, v4)) return false;
      groups[count++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
      s = {};
      break;
    }
    if (part.empty() || part.size() > 4) return false;
    uint32_t v = 0;
    for (char c : part) {
      int d = HexDigit(c);
      if (d < 0) return false;
      v = v << 4 | static_cast<uint32_t>(d);
    }
    groups[count++] = static_cast<uint16_t>(v);
    if (colon == std::string_view::npos) {
      s = {};
    } else if (colon + 1 < s.size() && s[colon + 1] == ':') {
      if (gap >= 0) return false;
      gap = count;
      s.remove_prefix(colon + 2);
    } else {
      s.remove_prefix(colon + 1);
      if (s.empty()) return false;  // a trailing single ':'
    }
  }
  if (gap < 0 ? count != 8 : count > 7) return false;
  uint16_t full[8] = {};
  if (gap < 0) {
    std::copy(groups, groups + 8, full);
  } else {
    std::copy(groups, groups + gap, full);
    std::copy(groups + gap, groups + count, full + 8 - (count - gap));
  }
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(full[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(full[i]);
  }
  return true;
}

bool IsV4Mapped(const std::array<uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xff && b[11] == 0xff;
}

bool InBlock(const IpAddress& a, const AddressBlock& block) {
  // An IPv4 block only holds IPv4 (and IPv4-mapped) addresses; ::/0 holds every address.
  if (block.base.v4 && !a.v4) return false;
  uint32_t bits = block.prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a.bytes[i] & mask) != (block.base.bytes[i] & mask)) return false;
    bits = bits >= 8 ? bits - 8 : 0;
  }
  return true;
}

// Case-insensitive substring search.
bool Contains(std::string_view text, std::string_view lowerNeedle) {
  if (lowerNeedle.size() > text.size()) return false;
  for (size_t i = 0; i + lowerNeedle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < lowerNeedle.size() && Lower(text[i + j]) == lowerNeedle[j]) ++j;
    if (j == lowerNeedle.size()) return true;
  }
  return false;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  size_t zone = text.find('%');
  if (zone != std::string_view::npos) text = text.substr(0, zone);
  IpAddress a;
  if (text.find(':') == std::string_view::npos) {
    a.bytes[10] = a.bytes[11] = 0xff;
    if (!ParseIpv4(text, a.bytes.data() + 12)) return std::nullopt;
    a.v4 = true;
    return a;
  }
  if (!ParseIpv6(text, a.bytes.data())) return std::nullopt;
  a.v4 = IsV4Mapped(a.bytes);
  return a;
}

std::optional<AddressBlock> ParseAddressBlock(std::string_view text) {
  size_t slash = text.find('/');
  std::optional<IpAddress> base = ParseIpAddress(text.substr(0, slash));
  if (!base) return std::nullopt;
  const bool writtenV4 = text.substr(0, slash).find(':') == std::string_view::npos;
  AddressBlock block{*base, 128};
  if (slash != std::string_view::npos) {
    std::optional<uint32_t> prefix = ParseUint(text.substr(slash + 1), writtenV4 ? 32 : 128);
    if (!prefix) return std::nullopt;
    block.prefix = writtenV4 ? 96 + *prefix : *prefix;
  }
  // ::ffff:0:0/96 and shorter IPv6 blocks are not IPv4-only.
  if (!writtenV4 && block.prefix < 96) block.base.v4 = false;
  return block;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || Lower(pattern[p]) == Lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool EventFilter::AddEventId(std::string_view id) {
  std::optional<uint32_t> v = ParseUint(id, UINT32_MAX);
  if (!v || !FindTrafficEvent(*v)) return false;
  eventIds_.push_back(*v);
  return active_ = true;
}

bool EventFilter::AddDirection(std::string_view name) {
  for (size_t i = 1; i < std::size(kDirectionNames); ++i) {
    if (kDirectionNames[i] == name) {
      directions_ |= 1u << i;
      return active_ = true;
    }
  }
  return false;
}

bool EventFilter::AddAction(std::string_view name) {
  for (size_t i = 0; i < std::size(kActionNames); ++i) {
    if (kActionNames[i] == name) {
      actions_ |= 1u << i;
      return active_ = true;
    }
  }
  return false;
}

bool EventFilter::AddApplication(std::string_view pattern) {
  if (pattern.empty()) return false;
  Application a;
  a.pattern.reserve(pattern.size());
  for (char c : pattern) a.pattern.push_back(Lower(c));
  a.glob = pattern.find_first_of("*?") != std::string_view::npos;
  a.nameOnly = a.glob && pattern.find('\\') == std::string_view::npos;
  applications_.push_back(std::move(a));
  return active_ = true;
}

bool EventFilter::AddAddress(std::string_view block) {
  std::optional<AddressBlock> b = ParseAddressBlock(block);
  if (!b) return false;
  addresses_.push_back(*b);
  return active_ = true;
}

bool EventFilter::AddPorts(std::string_view portOrRange) {
  size_t dash = portOrRange.find('-');
  std::optional<uint32_t> low = ParseUint(portOrRange.substr(0, dash), 65535);
  std::optional<uint32_t> high = dash == std::string_view::npos ? low : ParseUint(portOrRange.substr(dash + 1), 65535);
  if (!low || !high || *high < *low) return false;
  ports_.emplace_back(*low, *high);
  return active_ = true;
}

bool EventFilter::MatchesApplication(std::string_view application) const {
  std::string_view name = application.substr(application.find_last_of('\\') + 1);
  for (const Application& a : applications_) {
    if (!a.glob ? Contains(application, a.pattern)
                : GlobMatch(a.pattern, application) || (a.nameOnly && GlobMatch(a.pattern, name)))
      return true;
  }
  return false;
}

bool EventFilter::MatchesAddress(const Endpoint& e) const {
  if (!e.present) return false;
  std::optional<IpAddress> a = ParseIpAddress(e.address);
  if (!a) return false;
  for (const AddressBlock& block : addresses_)
    if (InBlock(*a, block)) return true;
  return false;
}

bool EventFilter::MatchesPort(const Endpoint& e) const {
  if (!e.present || !e.port) return false;
  for (const auto& [low, high] : ports_)
    if (*e.port >= low && *e.port <= high) return true;
  return false;
}

bool EventFilter::Matches(const BlockEvent& event) const {
  if (!active_) return true;
  if (sinceMs_ && event.timeMs < *sinceMs_) return false;
  if (untilMs_ && event.timeMs > *untilMs_) return false;
  if (!eventIds_.empty() &&
      (!event.record || std::find(eventIds_.begin(), eventIds_.end(), event.record->eventId) == eventIds_.end()))
    return false;
  if (directions_ && !((directions_ >> static_cast<uint32_t>(event.direction)) & 1u)) return false;
  if (actions_ && !((actions_ >> static_cast<uint32_t>(event.action)) & 1u)) return false;
  if (!applications_.empty() && (!event.application || !MatchesApplication(*event.application))) return false;
  if (!addresses_.empty() && !MatchesAddress(event.source) && !MatchesAddress(event.destination)) return false;
  if (!ports_.empty() && !MatchesPort(event.source) && !MatchesPort(event.destination)) return false;
  return true;
}

}  // namespace wfp
