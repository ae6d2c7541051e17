#include "model/sides.h"

#include <algorithm>
#include <optional>

namespace wfp {
namespace {

// A unicast host address, or nothing.
std::optional<IpAddress> HostAddress(const Endpoint& e) {
  if (!e.present) return std::nullopt;
  std::optional<IpAddress> ip = ParseIpAddress(e.address);
  if (!ip || IsUnspecified(*ip) || IsGroupAddress(*ip)) return std::nullopt;
  return ip;
}

const Endpoint* LocalEndpoint(const BlockEvent& e) {
  return e.local == Side::Source ? &e.source : e.local == Side::Destination ? &e.destination : nullptr;
}

}  // namespace

bool AddressSet::Add(const IpAddress& ip) {
  auto at = std::lower_bound(sorted_.begin(), sorted_.end(), ip);
  if ((at != sorted_.end() && *at == ip) || sorted_.size() >= capacity_) return false;
  sorted_.insert(at, ip);
  return true;
}

bool AddressSet::Contains(const IpAddress& ip) const { return std::binary_search(sorted_.begin(), sorted_.end(), ip); }

bool DecideSidesByAddress(BlockEvent& e, const AddressSet& own, SidesBy rule) {
  if (e.kind != Kind::Connection && e.kind != Kind::Packet) return false;
  if (own.size() == 0 || !e.source.present || !e.destination.present) return false;
  const std::optional<IpAddress> source = HostAddress(e.source), destination = HostAddress(e.destination);
  if (!source || !destination) return false;
  const bool sourceOwn = own.Contains(*source), destinationOwn = own.Contains(*destination);
  if (sourceOwn == destinationOwn) return false;  // neither (forwarded, unknown) or both (loopback)
  e.local = sourceOwn ? Side::Source : Side::Destination;
  e.remote = sourceOwn ? Side::Destination : Side::Source;
  e.sidesBy = rule;
  return true;
}

bool ShowsOwnAddress(const BlockEvent& e) {
  switch (e.kind) {
    case Kind::Listen:
    case Kind::Bind:
      return true;
    case Kind::Connection:
      return e.direction == Direction::Outbound;
    case Kind::Packet:
      return e.direction == Direction::Inbound || e.direction == Direction::Outbound;
    default:
      return false;
  }
}

void LearnOwnAddress(const BlockEvent& e, AddressSet& own) {
  if (const Endpoint* local = LocalEndpoint(e))
    if (std::optional<IpAddress> ip = HostAddress(*local)) own.Add(*ip);
}

}  // namespace wfp
