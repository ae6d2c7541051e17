// Which logged endpoint is this host's: decided from the host's own addresses where they are known,
// because the direction rule of the normaliser cannot be right for every record. The fixtures hold a
// 5152 and a 5157 for the same inbound ICMP packet at the same microsecond whose Source and Dest are
// the reverse of each other (test/fixtures/README.md). Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>
#include <vector>

#include "model/block_event.h"
#include "util/ip_address.h"

namespace wfp {

// A small set of one computer's own addresses.
class AddressSet {
 public:
  explicit AddressSet(size_t capacity = 256) : capacity_(capacity) {}
  // False when it was there already or the set is full.
  bool Add(const IpAddress& ip);
  bool Contains(const IpAddress& ip) const;
  size_t size() const { return sorted_.size(); }
  void Clear() { sorted_.clear(); }

 private:
  std::vector<IpAddress> sorted_;
  size_t capacity_;
};

// Decides the local and remote sides of a normalised connection or packet event from `own`: when
// exactly one endpoint is an address in `own` (and neither is a group, broadcast or unspecified
// address), that one is local, and `rule` is what decided. Otherwise the event keeps the sides the
// direction rule gave it. Returns whether the addresses decided.
bool DecideSidesByAddress(BlockEvent& event, const AddressSet& own, SidesBy rule);

// Whether the direction rule is certain for this event, so that its local endpoint shows an address
// of the computer that logged it: listens and binds (the local pair), outbound connections (the
// connecting side), and packet drops (5152/5153, which carry the packet's own header: the
// destination of an inbound packet, the source of an outbound one). Inbound connections (5156/5157
// at the ALE layers) are the records that disagree, so they are never learned from.
bool ShowsOwnAddress(const BlockEvent& event);

// Adds the local address `event` shows to `own` (for an event ShowsOwnAddress() accepts), unless it is
// a group, broadcast or unspecified address.
void LearnOwnAddress(const BlockEvent& event, AddressSet& own);

}  // namespace wfp
