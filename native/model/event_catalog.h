// The event catalogue: every event ID this library reads, what it means (kind, action), how Windows
// logs it (audit subcategory and outcome, task) and its title; the audit subcategories by GUID; and
// the names of kinds, actions and directions. The one place these facts live: the TypeScript layer
// mirrors them in lib/catalog.ts, which a test checks against this table. Plain C++ with no Node-API
// and no OS code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/block_event.h"

namespace wfp {

inline constexpr std::string_view kKindNames[] = {"connection", "packet", "listen", "bind", "accept", "mac"};
inline constexpr std::string_view kActionNames[] = {"block", "allow"};
inline constexpr std::string_view kDirectionNames[] = {"", "inbound", "outbound", "forward", "bidirectional"};
inline constexpr size_t kKindCount = std::size(kKindNames);

// The audit subcategories whose events this library reads. Always addressed by GUID: names are localised.
enum class Subcategory : uint8_t { FilteringPlatformConnection, FilteringPlatformPacketDrop, AuditPolicyChange };

struct SubcategoryInfo {
  Subcategory id;
  std::string_view key;   // the name the API uses ('connection', ...)
  std::string_view guid;  // as auditpol prints it
  std::string_view name;  // its English name
};

inline constexpr SubcategoryInfo kSubcategories[] = {
    {Subcategory::FilteringPlatformConnection, "connection", "{0CCE9226-69AE-11D9-BED3-505054503030}",
     "Filtering Platform Connection"},
    {Subcategory::FilteringPlatformPacketDrop, "packetDrop", "{0CCE9225-69AE-11D9-BED3-505054503030}",
     "Filtering Platform Packet Drop"},
    {Subcategory::AuditPolicyChange, "auditPolicyChange", "{0CCE922F-69AE-11D9-BED3-505054503030}",
     "Audit Policy Change"},
};

// Audit Success or Audit Failure: which audit bit of its subcategory makes Windows log the event.
enum class Outcome : uint8_t { Success, Failure };

// What a record of the event ID is to this library.
enum class Role : uint8_t {
  Traffic,       // a WFP block or permit: becomes a BlockEvent
  PolicyChange,  // 4719, an audit policy change: becomes a 'policyChange'
};

struct EventInfo {
  uint32_t id;
  Role role;
  Kind kind;      // Traffic only
  Action action;  // Traffic only
  Subcategory subcategory;
  Outcome outcome;
  std::string_view title;  // the event's title as Windows gives it
};

inline constexpr EventInfo kEvents[] = {
    {5031, Role::Traffic, Kind::Accept, Action::Block, Subcategory::FilteringPlatformConnection, Outcome::Failure,
     "The Windows Firewall Service blocked an application from accepting incoming connections on the network."},
    {5150, Role::Traffic, Kind::Mac, Action::Block, Subcategory::FilteringPlatformPacketDrop, Outcome::Failure,
     "The Windows Filtering Platform blocked a packet."},
    {5151, Role::Traffic, Kind::Mac, Action::Block, Subcategory::FilteringPlatformPacketDrop, Outcome::Failure,
     "A more restrictive Windows Filtering Platform filter has blocked a packet."},
    {5152, Role::Traffic, Kind::Packet, Action::Block, Subcategory::FilteringPlatformPacketDrop, Outcome::Failure,
     "The Windows Filtering Platform blocked a packet."},
    {5153, Role::Traffic, Kind::Packet, Action::Block, Subcategory::FilteringPlatformPacketDrop, Outcome::Success,
     "A more restrictive Windows Filtering Platform filter has blocked a packet."},
    {5154, Role::Traffic, Kind::Listen, Action::Allow, Subcategory::FilteringPlatformConnection, Outcome::Success,
     "The Windows Filtering Platform has permitted an application or service to listen on a port for incoming "
     "connections."},
    {5155, Role::Traffic, Kind::Listen, Action::Block, Subcategory::FilteringPlatformConnection, Outcome::Failure,
     "The Windows Filtering Platform has blocked an application or service from listening on a port for incoming "
     "connections."},
    {5156, Role::Traffic, Kind::Connection, Action::Allow, Subcategory::FilteringPlatformConnection, Outcome::Success,
     "The Windows Filtering Platform has permitted a connection."},
    {5157, Role::Traffic, Kind::Connection, Action::Block, Subcategory::FilteringPlatformConnection, Outcome::Failure,
     "The Windows Filtering Platform has blocked a connection."},
    {5158, Role::Traffic, Kind::Bind, Action::Allow, Subcategory::FilteringPlatformConnection, Outcome::Success,
     "The Windows Filtering Platform has permitted a bind to a local port."},
    {5159, Role::Traffic, Kind::Bind, Action::Block, Subcategory::FilteringPlatformConnection, Outcome::Failure,
     "The Windows Filtering Platform has blocked a bind to a local port."},
    {4719, Role::PolicyChange, Kind::Connection, Action::Block, Subcategory::AuditPolicyChange, Outcome::Success,
     "System audit policy was changed."},
};

inline constexpr uint32_t kAuditPolicyChangedEventId = 4719;

// The log every event of the catalogue is written to.
inline constexpr std::string_view kSecurityChannel = "Security";

// The catalogue entry of an event ID; null for an ID this library does not read.
const EventInfo* FindEvent(uint32_t eventId);
// A traffic event's entry; null for any other ID.
const EventInfo* FindTrafficEvent(uint32_t eventId);

// The first traffic event of the catalogue with this kind and action (5157 for a blocked connection,
// 5152 for a dropped packet, ...): the event ID of a block a source did not read from the Security
// log. Null where the log has none (a permitted packet, a permitted MAC frame).
const EventInfo* TrafficEventFor(Kind kind, Action action);

std::optional<Kind> ParseKind(std::string_view name);

// The set of traffic event IDs a watcher reports, chosen by kinds and whether allowed events are wanted.
class EventSelection {
 public:
  static EventSelection Of(const bool (&kinds)[kKindCount], bool includeAllowed);
  // Every traffic event ID, allowed ones too.
  static EventSelection Everything();
  bool Contains(uint32_t eventId) const;
  // In catalogue order (ascending), for queries that filter at the source.
  template <typename F>
  void ForEach(F f) const {
    for (size_t i = 0; i < std::size(kEvents); ++i)
      if ((bits_ >> i) & 1u) f(kEvents[i].id);
  }

 private:
  static_assert(std::size(kEvents) <= 32, "the selection's bit set holds one bit per catalogue entry");
  uint32_t bits_ = 0;  // bit i: kEvents[i]
};

}  // namespace wfp
