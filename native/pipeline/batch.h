// The wire format that carries normalised events to JavaScript in one call per batch: every distinct
// string of the batch once, joined by NUL, and one Float64 array of slots per event that refer to
// those strings by index. JavaScript splits the string once and builds plain objects from the slots,
// which costs far less than creating each value through Node-API. The slot layout is written once
// (WFP_BATCH_SLOTS): the binding exports it, and a test checks it against binding.d.ts. Plain C++ with
// no Node-API and no OS code.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/block_event.h"
#include "model/error_codes.h"
#include "model/event_source.h"
#include "model/event_catalog.h"
#include "model/rule_change.h"
#include "pipeline/event_formats.h"
#include "util/text_buffer.h"

namespace wfp {

// Slots of one event in Batch::numbers, and the name each has in JavaScript. String slots hold an
// index into the batch's strings, or -1 for null; number slots hold NaN for null. kLocal and kRemote
// hold 0 (none), 1 (source) or 2 (destination); the enrichment slots are strings, -1 when absent;
// kCount, kFirstTimeMs and kLastTimeMs describe a coalesced event (NaN when not coalescing); kProvider
// to kTimeCreated are the record's System values as written (string slots, -1 when absent); kInput and
// kEnd say where the record was read (the input's index, the end of the record there; NaN for live
// sources), kEpoch and kEpochIndex which coalescing epoch a fold belongs to and its number in it (NaN
// when not coalescing); kRecordIdText holds the record ID as decimal text when a double cannot hold it
// exactly (above 2^53), -1 otherwise; kDecidedBy and kRuleId say what decided the event; kChange* are the
// last change of that rule or filter (kChange is its kind's name, -1 when none); kSidesBy names the
// rule that decided kLocal and kRemote (-1 when none did); kUserSid to kCurrentProfile are what a WFP
// net event adds (-1 / NaN elsewhere; kLoopback 0 or 1); kBookmark is the source's own position after
// the event (-1: the watcher places events by input and offset, or record ID). After kHeaderSlots come
// kDataCount pairs of string indices (EventData name, value).
#define WFP_BATCH_SLOTS(X)                   \
  X(kEventId, "eventId")                     \
  X(kRecordId, "recordId")                   \
  X(kTimeMs, "timeMs")                       \
  X(kVersion, "version")                     \
  X(kComputer, "computer")                   \
  X(kKind, "kind")                           \
  X(kAction, "action")                       \
  X(kDirection, "direction")                 \
  X(kProtocol, "protocol")                   \
  X(kProtocolName, "protocolName")           \
  X(kPid, "pid")                             \
  X(kApplication, "application")             \
  X(kSourceAddress, "sourceAddress")         \
  X(kSourcePort, "sourcePort")               \
  X(kDestAddress, "destAddress")             \
  X(kDestPort, "destPort")                   \
  X(kLocal, "local")                         \
  X(kRemote, "remote")                       \
  X(kFilterId, "filterId")                   \
  X(kFilterOrigin, "filterOrigin")           \
  X(kLayerId, "layerId")                     \
  X(kLayerName, "layerName")                 \
  X(kInterfaceIndex, "interfaceIndex")       \
  X(kApplicationPath, "applicationPath")     \
  X(kFilterName, "filterName")               \
  X(kFilterDescription, "filterDescription") \
  X(kFilterProvider, "filterProvider")       \
  X(kRuleName, "ruleName")                   \
  X(kRuleGroup, "ruleGroup")                 \
  X(kRuleDirection, "ruleDirection")         \
  X(kRuleAction, "ruleAction")               \
  X(kRuleStore, "ruleStore")                 \
  X(kProcessName, "processName")             \
  X(kServices, "services")                   \
  X(kCount, "count")                         \
  X(kFirstTimeMs, "firstTimeMs")             \
  X(kLastTimeMs, "lastTimeMs")               \
  X(kProvider, "provider")                   \
  X(kProviderGuid, "providerGuid")           \
  X(kChannel, "channel")                     \
  X(kLevel, "level")                         \
  X(kTask, "task")                           \
  X(kOpcode, "opcode")                       \
  X(kKeywords, "keywords")                   \
  X(kActivityId, "activityId")               \
  X(kUserId, "userId")                       \
  X(kWriterProcessId, "writerProcessId")     \
  X(kWriterThreadId, "writerThreadId")       \
  X(kTimeCreated, "timeCreated")             \
  X(kInput, "input")                         \
  X(kEnd, "end")                             \
  X(kEpoch, "epoch")                         \
  X(kEpochIndex, "epochIndex")               \
  X(kRecordIdText, "recordIdText")           \
  X(kDecidedBy, "decidedBy")                 \
  X(kRuleId, "ruleId")                       \
  X(kChange, "change")                       \
  X(kChangeEventId, "changeEventId")         \
  X(kChangeRecordId, "changeRecordId")       \
  X(kChangeTimeMs, "changeTimeMs")           \
  X(kChangeName, "changeName")               \
  X(kChangeUserSid, "changeUserSid")         \
  X(kChangeUserName, "changeUserName")       \
  X(kChangeApplication, "changeApplication") \
  X(kSidesBy, "sidesBy")                     \
  X(kUserSid, "userSid")                     \
  X(kPackageSid, "packageSid")               \
  X(kLoopback, "loopback")                   \
  X(kReauthReason, "reauthReason")           \
  X(kOriginalProfile, "originalProfile")     \
  X(kCurrentProfile, "currentProfile")       \
  X(kBookmark, "bookmark")                   \
  X(kDataCount, "dataCount")                 \
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
  Issue issue;
};

// An input a replay source opened, before any of its events: what a bookmark identifies it by.
struct BatchInput {
  uint32_t atEvent = 0;
  uint32_t index = 0;
  std::string name;
  InputIdentity identity;
  int64_t resumed = -1;  // the input of the resume point it was found to be, -1 for a new one
};

// How far an input was handled: every record ending at or before `end` was delivered or skipped.
struct BatchProgress {
  uint32_t index = 0;
  uint64_t end = 0;
  bool done = false;  // read to its end
};

// A coalescing epoch that ended: `folds` folds in all, of which this run delivers those numbered
// from `first` + 1 (the earlier ones went out before a resume). They end after the record ending at
// `end` in input `endInput` (a live log: after record ID `end`; the epoch began after `start`); once
// the last is consumed, the inputs stand at `progress`.
struct BatchEpoch {
  uint64_t seq = 0;
  uint64_t start = 0;  // a live log: the record ID just before the epoch's first record
  uint64_t folds = 0;
  uint64_t first = 0;
  uint32_t endInput = 0;
  uint64_t end = 0;
  std::vector<BatchProgress> progress;
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
  // How far the inputs stand once it is delivered (nothing before it held back); empty otherwise.
  std::vector<BatchProgress> progress;
};

// A change event (model/rule_change.h) met among the records, in order with them; owned copies.
struct BatchRuleChange {
  uint32_t atEvent = 0;
  uint32_t eventId = 0;
  uint64_t recordId = 0;
  double timeMs = 0;
  ChangeKind kind = ChangeKind::RuleAdded;
  Channel channel = Channel::Security;
  std::string computer;
  // Named text fields of RuleChange (ruleId, key, name, ...), absent ones left out.
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::string>> values;
  std::vector<std::pair<std::string, std::string>> data;  // every EventData field, unnamed ones by position
  double filterId = NAN;
  double pid = NAN;
  std::vector<BatchProgress> progress;  // as BatchPolicyChange::progress
};

// A formatted batch is handed on once its text reaches this many bytes (and its buffer is reserved a
// quarter larger, so that the line that crosses the mark seldom moves it): the hand-off costs the same
// per byte whatever the format, and the buffer is never copied to grow.
inline constexpr size_t kTextBatchBytes = 1 << 20;

struct Batch {
  // A formatted watcher: the events' lines; an export: its records, one per line (ExportSink). Then
  // strings and numbers stay empty.
  TextBuffer text;
  std::string strings;  // distinct strings joined by '\0'
  std::vector<double> numbers;
  uint32_t events = 0;  // events, or for an export the records in `text`
  std::vector<BatchIssue> issues;
  std::vector<BatchGap> gaps;
  std::vector<BatchPolicyChange> policyChanges;
  std::vector<BatchInput> inputs;
  std::vector<BatchEpoch> epochs;
  // How far every input stood after the first `atEvent` events of the batch (set only where nothing
  // was held: every record before it was delivered or had nothing to deliver).
  struct ProgressMark {
    uint32_t atEvent = 0;
    std::vector<BatchProgress> inputs;
  };
  std::vector<ProgressMark> progress;

  std::vector<BatchRuleChange> ruleChanges;

  // What counts toward the high-water mark: events, and the problems and changes that travel with them.
  size_t weight() const { return events + issues.size() + policyChanges.size() + ruleChanges.size(); }
};

class BatchBuilder {
 public:
  BatchBuilder();
  // An event read at `at`.
  void Add(const BlockEvent& event, const Position& at);
  // A coalesced event: `count` records from `firstMs` to `lastMs`, fold number `index` of epoch `epoch`.
  void AddFold(const BlockEvent& event, uint64_t count, double firstMs, double lastMs, uint64_t epoch, uint64_t index);
  // An event as its line in `format` (a formatted watcher's batches carry text, not slots).
  void AddFormatted(EventFormat format, const BlockEvent& event, const Fold& fold, FormatContext& context);
  void AddIssue(Issue issue);
  void AddGap(std::string message);
  void AddPolicyChange(BatchPolicyChange change);
  void AddInput(BatchInput input);
  void AddEpoch(BatchEpoch epoch);
  void AddProgress(std::vector<BatchProgress> progress);
  // Events and everything else the batch carries: what counts toward its size and the high-water mark.
  size_t weight() const { return batch_.weight(); }
  uint32_t events() const { return batch_.events; }
  // A formatted batch whose text should go now (kTextBatchBytes).
  bool textFull() const { return batch_.text.size() >= kTextBatchBytes; }
  // `progress`: how far the inputs stand once the change is delivered (empty when blocks before it are held).
  void AddRuleChange(const RuleChange& change, std::vector<BatchProgress> progress);
  bool empty() const {
    return batch_.events == 0 && batch_.issues.empty() && batch_.gaps.empty() && batch_.policyChanges.empty() &&
           batch_.ruleChanges.empty() && batch_.inputs.empty() && batch_.epochs.empty() && batch_.progress.empty();
  }
  // Hands over the batch built so far and starts a new one.
  Batch Take();

 private:
  void AddEvent(const BlockEvent& event, uint64_t count, double firstMs, double lastMs);
  uint32_t Intern(std::string_view s);
  double InternAt(size_t position, std::string_view s);
  // A name from the fixed tables of event_catalog.h: interned once per batch into `cached`.
  double InternName(int32_t& cached, std::string_view name);
  void Start();
  void Grow();
  std::string_view StringAt(uint32_t index) const;  // string `index` of the batch

  Batch batch_;
  bool text_ = false;  // set by the first AddFormatted(): reserve room for text from then on
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
  size_t last_ = 0;             // where the last event's slots start in batch_.numbers
  int32_t kindNames_[std::size(kKindNames)];
  int32_t actionNames_[std::size(kActionNames)];
  int32_t directionNames_[std::size(kDirectionNames)];
  int32_t decidedByNames_[std::size(kDecidedByNames)];
  int32_t changeNames_[std::size(kChangeNames)];
  int32_t sidesByNames_[std::size(kSidesByNames)];
};

}  // namespace wfp
