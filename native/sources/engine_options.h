// The two WFP engine options the 'netevents' source may have to change, and the record that makes
// every change undoable: FWPM_ENGINE_COLLECT_NET_EVENTS (no net event is collected while it is 0) and
// FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS (which events beyond drops of unicast traffic are
// collected). Both are machine-wide and persist across reboots, so the source changes only what the
// watcher needs, writes down what it changed before changing it (a state file, replaced atomically),
// and puts back exactly that when the last watcher that depends on the change closes, or when a later
// watcher finds that the process which made it died. This file decides; the Windows source reads and
// writes the engine and the file. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfp {

struct EngineOptionValues {
  uint32_t collect = 0;   // FWPM_ENGINE_COLLECT_NET_EVENTS
  uint32_t keywords = 0;  // FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS
  bool operator==(const EngineOptionValues& o) const { return collect == o.collect && keywords == o.keywords; }
};

// A watcher that depends on the recorded change: its process (by PID and start time, as PIDs are
// reused) and a number that tells watchers of one process apart.
struct EngineOptionOwner {
  uint32_t pid = 0;
  uint64_t processStart = 0;  // FILETIME of the process's creation
  uint64_t watcher = 0;
  bool operator==(const EngineOptionOwner& o) const {
    return pid == o.pid && processStart == o.processStart && watcher == o.watcher;
  }
};

struct EngineOptionRecord {
  EngineOptionValues before;  // as they were before the first recorded change
  bool turnedOnCollect = false;
  uint32_t addedKeywords = 0;  // the keyword bits that were off and were turned on
  std::vector<EngineOptionOwner> owners;

  bool changed() const { return turnedOnCollect || addedKeywords != 0; }
  std::string Serialize() const;  // JSON, one object
  // Nothing for text that is not a record this version wrote.
  static std::optional<EngineOptionRecord> Parse(std::string_view json);
};

// What a watcher must turn on, given the engine's values: collection, and the keyword bits it needs
// that are off.
struct EngineOptionChange {
  bool turnOnCollect = false;
  uint32_t addKeywords = 0;
  bool any() const { return turnOnCollect || addKeywords != 0; }
};
EngineOptionChange NeededChange(EngineOptionValues current, uint32_t neededKeywords);

// Adds `change` (about to be made) and `owner` to `record`; the first change also records `current`
// as the values before.
void RecordChange(EngineOptionRecord& record, EngineOptionValues current, EngineOptionChange change,
                  const EngineOptionOwner& owner);

// The values to write back so that what `record` changed is undone, and only that: collection off
// again if it was turned on and is still on, the added keyword bits off (other bits as they are now).
EngineOptionValues RestoredValues(const EngineOptionRecord& record, EngineOptionValues current);

}  // namespace wfp
