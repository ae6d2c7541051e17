// The wire format that carries normalised events to JavaScript in one call per batch: every distinct
// string of the batch once, joined by NUL, and one Float64 array of slots per event that refer to
// those strings by index. JavaScript splits the string once and builds plain objects from the slots,
// which costs far less than creating each value through Node-API. The slot layout is written once
// (WFP_BATCH_SLOTS): the binding exports it, and a test checks it against binding.d.ts. Plain C++ with
// no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/block_event.h"
#include "model/error_codes.h"
#include "model/event_catalog.h"

namespace wfp {

// Slots of one event in Batch::numbers, and the name each has in JavaScript. String slots hold an
// index into the batch's strings, or -1 for null; number slots hold NaN for null. kLocal and kRemote
// hold 0 (none), 1 (source) or 2 (destination); the enrichment slots are strings, -1 when absent;
// kCount, kFirstTimeMs and kLastTimeMs describe a coalesced event (NaN when not coalescing); kProvider
// to kTimeCreated are the record's System values as written (string slots, -1 when absent). After
// kHeaderSlots come kDataCount pairs of string indices (EventData name, value).
#define WFP_BATCH_SLOTS(X) \
  X(kEventId, "eventId") \
  X(kRecordId, "recordId") \
  X(kTimeMs, "timeMs") \
  X(kVersion, "version") \
  X(kComputer, "computer") \
  X(kKind, "kind") \
  X(kAction, "action") \
  X(kDirection, "direction") \
  X(kProtocol, "protocol") \
  X(kProtocolName, "protocolName") \
  X(kPid, "pid") \
  X(kApplication, "application") \
  X(kSourceAddress, "sourceAddress") \
  X(kSourcePort, "sourcePort") \
  X(kDestAddress, "destAddress") \
  X(kDestPort, "destPort") \
  X(kLocal, "local") \
  X(kRemote, "remote") \
  X(kFilterId, "filterId") \
  X(kFilterOrigin, "filterOrigin") \
  X(kLayerId, "layerId") \
  X(kLayerName, "layerName") \
  X(kInterfaceIndex, "interfaceIndex") \
  X(kApplicationPath, "applicationPath") \
  X(kFilterName, "filterName") \
  X(kFilterDescription, "filterDescription") \
  X(kFilterProvider, "filterProvider") \
  X(kRuleName, "ruleName") \
  X(kProcessName, "processName") \
  X(kServices, "services") \
  X(kCount, "count") \
  X(kFirstTimeMs, "firstTimeMs") \
  X(kLastTimeMs, "lastTimeMs") \
  X(kProvider, "provider") \
  X(kProviderGuid, "providerGuid") \
  X(kChannel, "channel") \
  X(kLevel, "level") \
  X(kTask, "task") \
  X(kOpcode, "opcode") \
  X(kKeywords, "keywords") \
  X(kActivityId, "activityId") \
  X(kUserId, "userId") \
  X(kWriterProcessId, "writerProcessId") \
  X(kWriterThreadId, "writerThreadId") \
  X(kTimeCreated, "timeCreated") \
  X(kDataCount, "dataCount") \
  X(kHeaderSlots, "header")

enum Slot : uint32_t {
#define WFP_SLOT_ENUM(slot, name) slot,
  WFP_BATCH_SLOTS(WFP_SLOT_ENUM)
#undef WFP_SLOT_ENUM
};

// A problem met while reading, delivered in order with the events: it happened after the first
// `atEvent` events of the batch.
struct BatchIssue {
  uint32_t atEvent = 0;
  const ErrorCode* code = nullptr;
  std::string message;
  std::string input;    // file name or stream name; empty when not about an input
  int64_t offset = -1;  // byte offset in that input, -1 when not applicable
  int64_t systemCode = -1;  // the OS error code behind it, -1 when none
  std::string hint;         // what to do about it, when known
};

// The position resumed from was gone: records may have been missed (not an error).
struct BatchGap {
  uint32_t atEvent = 0;
  std::string message;
};

// An audit policy change (event 4719) met among the records, in order with them.
struct BatchPolicyChange {
  uint32_t atEvent = 0;
  uint64_t recordId = 0;
  double timeMs = 0;
  std::string subcategoryGuid;
  uint8_t changes = 0;  // PolicyChangeBits
};

struct Batch {
  std::string strings;  // distinct strings joined by '\0'
  std::vector<double> numbers;
  uint32_t events = 0;  // events, or for an export the records in `text`
  std::string text;     // an export's records, rendered one per line (ExportSink)
  std::vector<BatchIssue> issues;
  std::vector<BatchGap> gaps;
  std::vector<BatchPolicyChange> policyChanges;
};

class BatchBuilder {
 public:
  BatchBuilder();
  void Add(const BlockEvent& event);
  // A coalesced event: `count` records from `firstMs` to `lastMs`.
  void Add(const BlockEvent& event, uint64_t count, double firstMs, double lastMs);
  void AddIssue(BatchIssue issue);
  void AddGap(std::string message);
  void AddPolicyChange(BatchPolicyChange change);
  uint32_t events() const { return batch_.events; }
  bool empty() const {
    return batch_.events == 0 && batch_.issues.empty() && batch_.gaps.empty() && batch_.policyChanges.empty();
  }
  // Hands over the batch built so far and starts a new one.
  Batch Take();

 private:
  uint32_t Intern(std::string_view s);
  double InternAt(size_t position, std::string_view s);
  // A name from the fixed tables of event_catalog.h: interned once per batch into `cached`.
  double InternName(int32_t& cached, std::string_view name);
  void Start();
  void Grow();
  std::string_view StringAt(uint32_t index) const;  // string `index` of the batch

  Batch batch_;
  struct Stored {
    uint32_t offset, length, hash;  // where string i is in batch_.strings
  };
  std::vector<Stored> stored_;
  std::vector<uint32_t> table_;  // open addressing: 0 empty, else string index + 1
  struct Recent {
    uint32_t offset, length, index;
    bool valid;
  };
  std::vector<Recent> recent_;  // the string last interned at each position
  int32_t kindNames_[std::size(kKindNames)];
  int32_t actionNames_[std::size(kActionNames)];
  int32_t directionNames_[std::size(kDirectionNames)];
};

}  // namespace wfp
