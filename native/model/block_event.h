// The normalised form of one WFP event (the BlockEvent contract of the README), before it is handed to
// JavaScript. A source either hands the pipeline an EventRecord, which the normaliser turns into this,
// or builds it directly (a source whose data are not Security-log records). Strings are views into the
// record, or into the source's own buffers. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/decided_by.h"
#include "model/event_record.h"

namespace wfp {

enum class Kind : uint8_t { Connection, Packet, Listen, Bind, Accept, Mac };
enum class Action : uint8_t { Block, Allow };
enum class Direction : uint8_t { None, Inbound, Outbound, Forward, Bidirectional };
// Which logged endpoint is the local or the remote side of the traffic.
enum class Side : uint8_t { None, Source, Destination };
// Which rule decided the sides: the kind (listen and bind carry only the local pair), the direction
// (Source is the remote peer inbound, the local side outbound), this host's interface addresses (live
// sources), or the addresses learned from the computer's own unambiguous records (replays).
enum class SidesBy : uint8_t { None, Kind, Direction, Interface, Learned };

struct Endpoint {
  bool present = false;
  std::string_view address;
  std::optional<uint32_t> port;
};

struct ChangeNote;  // model/rule_change.h

// What the live sources add on Windows, best-effort: each field is absent when its lookup failed.
struct Enrichment {
  std::optional<std::string> applicationPath;  // DOS form of Application
  std::optional<std::string> filterName;       // the WFP filter behind FilterRTID, looked up at event time
  std::optional<std::string> filterDescription;
  std::optional<std::string> filterProvider;  // the name of the filter's provider (which product)
  std::optional<std::string> ruleName;        // the firewall rule FilterOrigin names
  // That rule, where a rule store holds it: its group (EmbedCtxt), direction and action as the rule
  // string says ("inbound"/"outbound", "allow"/"block"/"bypass"), and the store (firewall_rules.h).
  std::optional<std::string> ruleGroup, ruleDirection, ruleAction, ruleStore;
  std::optional<std::string> processName;
  std::optional<std::string> services;  // services hosted by the process, comma-separated
  bool otherProvider =
      false;  // the filter belongs to a WFP provider that is not Windows' own (a third-party firewall, an EDR, a VPN)
};

// What a WFP net event says beyond the fields a Security-log record has (the 'netevents' source); each
// field is absent when the event does not carry it.
struct NetEventDetails {
  std::optional<std::string> userSid;     // the header's userId, as S-1-...
  std::optional<std::string> packageSid;  // the AppContainer package SID (never the Nobody SID S-1-0-0)
  std::optional<bool> loopback;
  std::optional<uint32_t> reauthReason;
  std::optional<uint32_t> originalProfile;
  std::optional<uint32_t> currentProfile;
};

struct BlockEvent {
  const EventRecord* record = nullptr;  // System fields and every EventData field
  double timeMs = 0;                    // milliseconds since the Unix epoch
  Kind kind = Kind::Connection;
  Action action = Action::Block;
  Direction direction = Direction::None;
  std::optional<uint32_t> protocol;
  std::string_view protocolName;  // empty when the number has no IANA keyword here
  std::optional<uint64_t> pid;
  std::optional<std::string_view> application;
  Endpoint source;
  Endpoint destination;
  Side local = Side::None;
  Side remote = Side::None;
  SidesBy sidesBy = SidesBy::None;
  std::optional<uint64_t> filterId;
  std::optional<std::string_view> filterOrigin;
  std::optional<uint64_t> layerId;
  std::optional<std::string_view> layerName;  // decoded %% token, or the text as logged
  std::optional<uint32_t> interfaceIndex;
  DecidedBy decidedBy = DecidedBy::Unknown;
  std::optional<std::string_view> ruleId;  // decidedBy Rule: the firewall rule's ID
  const Enrichment* enrichment = nullptr;
  const ChangeNote* lastChange = nullptr;  // the last change read of the rule or filter that decided it
  const NetEventDetails* netEvent = nullptr;
  // Where a restarted watcher resumes after this event, when the source makes its own bookmarks (the
  // watcher makes one from the record ID otherwise).
  std::optional<std::string_view> bookmark;
};

// Calls `f(std::string_view&)` for every string view the event holds outside its record, so that a
// copy (a coalesced event outliving its record) can re-point each one. A field added to BlockEvent
// must be added here: the size check below fails until it is.
template <typename F>
void ForEachView(BlockEvent& e, F&& f) {
  f(e.protocolName);
  if (e.application) f(*e.application);
  f(e.source.address);
  f(e.destination.address);
  if (e.filterOrigin) f(*e.filterOrigin);
  if (e.layerName) f(*e.layerName);
  if (e.ruleId) f(*e.ruleId);
  if (e.bookmark) f(*e.bookmark);
}

// The same for a record: every System string and every EventData name and value.
template <typename F>
void ForEachView(EventRecord& r, F&& f) {
  for (std::string_view* v :
       {&r.provider, &r.providerGuid, &r.computer, &r.channel, &r.systemTime, &r.level, &r.task, &r.opcode, &r.keywords,
        &r.activityId, &r.userId, &r.writerProcessId, &r.writerThreadId, &r.invalidField, &r.xml})
    f(*v);
  for (DataField& d : r.data) {
    f(d.name);
    f(d.value);
  }
}

#if defined(__x86_64__) || defined(_M_X64)
static_assert(sizeof(BlockEvent) == 328, "a BlockEvent field was added or removed: update ForEachView(BlockEvent&)");
static_assert(sizeof(EventRecord) == 288,
              "an EventRecord field was added or removed: update ForEachView(EventRecord&)");
#endif

}  // namespace wfp
