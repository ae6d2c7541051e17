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

bool InBlock(const IpAddress& a, const AddressBlock& block) {
  // An IPv4 block only holds IPv4 (and IPv4-mapped) addresses; ::/0 holds every address.
  if (block.ipv4Only && !IsIpv4(a)) return false;
  uint32_t bits = block.prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (block.base[i] & mask)) return false;
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

std::optional<AddressBlock> ParseAddressBlock(std::string_view text) {
  size_t slash = text.find('/');
  std::optional<IpAddress> base = ParseIpAddress(text.substr(0, slash));
  if (!base) return std::nullopt;
  const bool writtenV4 = text.substr(0, slash).find(':') == std::string_view::npos;
  AddressBlock block{*base, 128, IsIpv4(*base)};
  if (slash != std::string_view::npos) {
    std::optional<uint32_t> prefix = ParseUint(text.substr(slash + 1), writtenV4 ? 32 : 128);
    if (!prefix) return std::nullopt;
    block.prefix = writtenV4 ? 96 + *prefix : *prefix;
  }
  // ::ffff:0:0/96 and shorter IPv6 blocks are not IPv4-only.
  if (!writtenV4 && block.prefix < 96) block.ipv4Only = false;
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
