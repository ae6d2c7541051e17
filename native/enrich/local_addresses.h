// Decides which endpoint of an event is the local one from the addresses the computer that logged it
// owns (model/sides.h), where they are known: live, this machine's interface addresses; in replays,
// each computer's addresses learned from its own unambiguous records. One object per watcher, used on
// its thread.
#pragma once

#include <memory>

#include "model/block_event.h"

namespace wfp {

class LocalAddresses {
 public:
  virtual ~LocalAddresses() = default;
  // Re-decides `event`'s sides (normalised with the direction rule) where the addresses can.
  virtual void Decide(BlockEvent& event) = 0;
};

// Replays and streams: per computer (System/Computer), the addresses its listens, binds, outbound
// connections and packet drops show, learned in input order, decide its other records.
std::unique_ptr<LocalAddresses> CreateLearnedAddresses();

// Live sources: this machine's unicast interface addresses (GetAdaptersAddresses on Windows, read
// again when they change); null where there is no live source.
std::unique_ptr<LocalAddresses> CreateInterfaceAddresses();

}  // namespace wfp
