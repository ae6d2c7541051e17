// The event catalogue: every event ID this library reads, what it means (kind, action; or the change it
// reports), where and how Windows logs it (log, audit subcategory and outcome) and its title; the audit
// subcategories by GUID; and the names of kinds, actions, directions, deciders, changes and side rules. The one place
// these facts live: the TypeScript layer mirrors them in lib/catalog.ts, which a test checks against this table. Plain
// C++ with no Node-API and no OS code.
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
inline constexpr std::string_view kSidesByNames[] = {"", "kind", "direction", "interface", "learned"};
inline constexpr size_t kKindCount = std::size(kKindNames);

// What kind of filter decided an event (DecidedBy in model/decided_by.h, in this order): a firewall rule,
// one of the firewall's default filters Microsoft documents for FilterOrigin, a filter of another WFP
// provider (live lookups), or nothing can tell.
inline constexpr std::string_view kDecidedByNames[] = {
    "unknown", "rule",        "appcontainer-loopback", "boot-time-default", "quarantine-default", "query-user-default",
    "stealth", "uwp-default", "wsh-default",           "other-provider"};
// The default filter each one names, as a sentence says it ("blocked by the firewall's stealth filter");
// empty for the others.
inline constexpr std::string_view kDecidedByFilterNames[] = {"",
                                                             "",
                                                             "AppContainer loopback",
                                                             "boot time default",
                                                             "quarantine default",
                                                             "query user default",
                                                             "stealth",
                                                             "UWP default",
                                                             "Windows Service Hardening default",
                                                             ""};
static_assert(std::size(kDecidedByFilterNames) == std::size(kDecidedByNames), "a filter name per DecidedBy");

// What a change event reports (ChangeKind, in this order). The WFP object events (5446-5450) name the
// added object; their ChangeType turns it into the deleted one.
enum class ChangeKind : uint8_t {
  RuleAdded,
  RuleModified,
  RuleDeleted,
  AllRulesDeleted,
  DefaultsRestored,
  SettingChanged,
  ActiveProfileChanged,
  InterfaceProfileChanged,
  GroupPolicyApplied,
  RuleRejected,
  PolicyAtStart,
  RuleAtStart,
  FilterAdded,
  FilterDeleted,
  FilterAtStart,
  CalloutAdded,
  CalloutDeleted,
  CalloutAtStart,
  ProviderAdded,
  ProviderDeleted,
  ProviderAtStart,
  ProviderContextAdded,
  ProviderContextDeleted,
  ProviderContextAtStart,
  SublayerAdded,
  SublayerDeleted,
  SublayerAtStart,
};
inline constexpr std::string_view kChangeNames[] = {"rule-added",
                                                    "rule-modified",
                                                    "rule-deleted",
                                                    "all-rules-deleted",
                                                    "defaults-restored",
                                                    "setting-changed",
                                                    "active-profile-changed",
                                                    "interface-profile-changed",
                                                    "group-policy-applied",
                                                    "rule-rejected",
                                                    "policy-at-start",
                                                    "rule-at-start",
                                                    "filter-added",
                                                    "filter-deleted",
                                                    "filter-at-start",
                                                    "callout-added",
                                                    "callout-deleted",
                                                    "callout-at-start",
                                                    "provider-added",
                                                    "provider-deleted",
                                                    "provider-at-start",
                                                    "provider-context-added",
                                                    "provider-context-deleted",
                                                    "provider-context-at-start",
                                                    "sublayer-added",
                                                    "sublayer-deleted",
                                                    "sublayer-at-start"};
static_assert(std::size(kChangeNames) == static_cast<size_t>(ChangeKind::SublayerAtStart) + 1, "a name per change");

// The audit subcategories whose events this library reads. Always addressed by GUID: names are localised.
// None: the event is not an audit event (the firewall's own log writes it whatever the audit policy says).
enum class Subcategory : uint8_t {
  FilteringPlatformConnection,
  FilteringPlatformPacketDrop,
  AuditPolicyChange,
  MpssvcRuleLevelPolicyChange,
  FilteringPlatformPolicyChange,
  OtherPolicyChangeEvents,
  None
};

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
    {Subcategory::MpssvcRuleLevelPolicyChange, "ruleChange", "{0CCE9232-69AE-11D9-BED3-505054503030}",
     "MPSSVC Rule-Level Policy Change"},
    {Subcategory::FilteringPlatformPolicyChange, "wfpPolicyChange", "{0CCE9233-69AE-11D9-BED3-505054503030}",
     "Filtering Platform Policy Change"},
    // 5447 is logged here (Task 13573 in real records; Microsoft's subcategory page lists it), not under
    // Filtering Platform Policy Change as the WFP auditing page says.
    {Subcategory::OtherPolicyChangeEvents, "otherPolicyChange", "{0CCE9234-69AE-11D9-BED3-505054503030}",
     "Other Policy Change Events"},
};

// Audit Success or Audit Failure: which audit bit of its subcategory makes Windows log the event (None
// for the firewall's own log).
enum class Outcome : uint8_t { Success, Failure, None };

// The log an event is written to, and the provider that writes it there.
enum class Channel : uint8_t { Security, Firewall };
inline constexpr std::string_view kChannelNames[] = {
    "Security", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"};
inline constexpr size_t kChannelCount = std::size(kChannelNames);
inline constexpr std::string_view kFirewallProvider = "Microsoft-Windows-Windows Firewall With Advanced Security";

// What a record of the event ID is to this library.
enum class Role : uint8_t {
  Traffic,       // a WFP block or permit: becomes a BlockEvent
  PolicyChange,  // 4719, an audit policy change: becomes a 'policyChange'
  RuleChange,    // a firewall rule, setting or WFP object change: becomes a 'ruleChange'
};

struct EventInfo {
  uint32_t id;
  Role role;
  Kind kind;      // Traffic only
  Action action;  // Traffic only
  Subcategory subcategory;
  Outcome outcome;
  std::string_view title;                     // the event's title as Windows gives it
  ChangeKind change = ChangeKind::RuleAdded;  // RuleChange only
  Channel channel = Channel::Security;
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
#define WFP_MPSSVC(id, outcome, change, title)                                                                         \
  {                                                                                                                    \
    id, Role::RuleChange, Kind::Connection, Action::Block, Subcategory::MpssvcRuleLevelPolicyChange, Outcome::outcome, \
        title, ChangeKind::change, Channel::Security                                                                   \
  }
#define WFP_WFP_POLICY(id, subcategory, change, title)                                                        \
  {                                                                                                           \
    id, Role::RuleChange, Kind::Connection, Action::Block, Subcategory::subcategory, Outcome::Success, title, \
        ChangeKind::change, Channel::Security                                                                 \
  }
#define WFP_FIREWALL_LOG(id, change, title)                                                         \
  {                                                                                                 \
    id, Role::RuleChange, Kind::Connection, Action::Block, Subcategory::None, Outcome::None, title, \
        ChangeKind::change, Channel::Firewall                                                       \
  }
    // Audit MPSSVC Rule-Level Policy Change (Microsoft's event pages 4944-4958).
    WFP_MPSSVC(4944, Success, PolicyAtStart, "The following policy was active when the Windows Firewall started."),
    WFP_MPSSVC(4945, Success, RuleAtStart, "A rule was listed when the Windows Firewall started."),
    WFP_MPSSVC(4946, Success, RuleAdded,
               "A change has been made to Windows Firewall exception list. A rule was added."),
    WFP_MPSSVC(4947, Success, RuleModified,
               "A change has been made to Windows Firewall exception list. A rule was modified."),
    WFP_MPSSVC(4948, Success, RuleDeleted,
               "A change has been made to Windows Firewall exception list. A rule was deleted."),
    WFP_MPSSVC(4949, Success, DefaultsRestored, "Windows Firewall settings were restored to the default values."),
    WFP_MPSSVC(4950, Success, SettingChanged, "A Windows Firewall setting has changed."),
    WFP_MPSSVC(4951, Failure, RuleRejected,
               "A rule has been ignored because its major version number was not recognized by Windows Firewall."),
    WFP_MPSSVC(4952, Failure, RuleRejected,
               "Parts of a rule have been ignored because its minor version number was not recognized by Windows "
               "Firewall. The other parts of the rule will be enforced."),
    WFP_MPSSVC(4953, Failure, RuleRejected,
               "A rule has been ignored by Windows Firewall because it could not parse the rule."),
    WFP_MPSSVC(4954, Success, GroupPolicyApplied,
               "Windows Firewall Group Policy settings have changed. The new settings have been applied."),
    WFP_MPSSVC(4956, Success, ActiveProfileChanged, "Windows Firewall has changed the active profile."),
    WFP_MPSSVC(4957, Failure, RuleRejected, "Windows Firewall did not apply the following rule."),
    WFP_MPSSVC(4958, Failure, RuleRejected,
               "Windows Firewall did not apply the following rule because the rule referred to items not configured on "
               "this computer."),
    // WFP object changes (Microsoft's Audit Filtering Platform Policy Change and Other Policy Change Events pages).
    WFP_WFP_POLICY(
        5440, FilteringPlatformPolicyChange, CalloutAtStart,
        "The following callout was present when the Windows Filtering Platform Base Filtering Engine started."),
    WFP_WFP_POLICY(
        5441, FilteringPlatformPolicyChange, FilterAtStart,
        "The following filter was present when the Windows Filtering Platform Base Filtering Engine started."),
    WFP_WFP_POLICY(
        5442, FilteringPlatformPolicyChange, ProviderAtStart,
        "The following provider was present when the Windows Filtering Platform Base Filtering Engine started."),
    WFP_WFP_POLICY(
        5443, FilteringPlatformPolicyChange, ProviderContextAtStart,
        "The following provider context was present when the Windows Filtering Platform Base Filtering Engine "
        "started."),
    WFP_WFP_POLICY(
        5444, FilteringPlatformPolicyChange, SublayerAtStart,
        "The following sub-layer was present when the Windows Filtering Platform Base Filtering Engine started."),
    WFP_WFP_POLICY(5446, FilteringPlatformPolicyChange, CalloutAdded,
                   "A Windows Filtering Platform callout has been changed."),
    WFP_WFP_POLICY(5447, OtherPolicyChangeEvents, FilterAdded, "A Windows Filtering Platform filter has been changed."),
    WFP_WFP_POLICY(5448, FilteringPlatformPolicyChange, ProviderAdded,
                   "A Windows Filtering Platform provider has been changed."),
    WFP_WFP_POLICY(5449, FilteringPlatformPolicyChange, ProviderContextAdded,
                   "A Windows Filtering Platform provider context has been changed."),
    WFP_WFP_POLICY(5450, FilteringPlatformPolicyChange, SublayerAdded,
                   "A Windows Filtering Platform sub-layer has been changed."),
    // The firewall's own log: Windows 10 IDs, then the ones newer Windows 11 builds write instead (SigmaHQ's
    // firewall_as rules list both).
    WFP_FIREWALL_LOG(2002, SettingChanged, "A Windows Defender Firewall setting has changed."),
    WFP_FIREWALL_LOG(2003, SettingChanged, "A Windows Defender Firewall setting in the %1 profile has changed."),
    WFP_FIREWALL_LOG(2004, RuleAdded, "A rule has been added to the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2005, RuleModified, "A rule has been modified in the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2006, RuleDeleted, "A rule has been deleted in the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(
        2008, GroupPolicyApplied,
        "Windows Defender Firewall Group Policy settings have changed. The new settings have been applied."),
    WFP_FIREWALL_LOG(2010, InterfaceProfileChanged, "Network profile changed on an interface."),
    WFP_FIREWALL_LOG(2032, DefaultsRestored, "Windows Defender Firewall has been reset to its default configuration."),
    WFP_FIREWALL_LOG(2033, AllRulesDeleted,
                     "All rules have been deleted from the Windows Defender Firewall configuration on this computer."),
    WFP_FIREWALL_LOG(2052, RuleDeleted, "A rule has been deleted in the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2059, AllRulesDeleted,
                     "All rules have been deleted from the Windows Defender Firewall configuration on this computer."),
    WFP_FIREWALL_LOG(2060, DefaultsRestored, "Windows Defender Firewall has been reset to its default configuration."),
    WFP_FIREWALL_LOG(2071, RuleAdded, "A rule has been added to the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2073, RuleModified, "A rule has been modified in the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2082, SettingChanged, "A Windows Defender Firewall setting in the %1 profile has changed."),
    WFP_FIREWALL_LOG(2083, SettingChanged, "A Windows Defender Firewall setting has changed."),
    WFP_FIREWALL_LOG(2097, RuleAdded, "A rule has been added to the Windows Defender Firewall exception list."),
    WFP_FIREWALL_LOG(2099, RuleModified, "A rule has been modified in the Windows Defender Firewall exception list."),
#undef WFP_MPSSVC
#undef WFP_WFP_POLICY
#undef WFP_FIREWALL_LOG
};

inline constexpr uint32_t kAuditPolicyChangedEventId = 4719;

// The log the block and audit policy events are written to (the change events name theirs: `channel`).
inline constexpr std::string_view kSecurityChannel = kChannelNames[static_cast<size_t>(Channel::Security)];

// The catalogue entry of an event ID; null for an ID this library does not read.
const EventInfo* FindEvent(uint32_t eventId);
// A traffic event's entry; null for any other ID.
const EventInfo* FindTrafficEvent(uint32_t eventId);
// A change event's entry; null for any other ID.
const EventInfo* FindChangeEvent(uint32_t eventId);

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
  static_assert(std::size(kEvents) <= 64, "the selection's bit set holds one bit per catalogue entry");
  uint64_t bits_ = 0;  // bit i: kEvents[i]
};

}  // namespace wfp
