// Which kind of filter decided a WFP event, from its FilterOrigin (Windows 11 / Server 2022): a firewall
// rule (FilterOrigin is the rule's ID) or one of the firewall's default filters, by the names Microsoft's
// "Filter origin audit log" page gives them. Live lookups (another WFP provider's filter) refine it
// later; this reads only the record. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace wfp {

// In the order of kDecidedByNames (model/event_catalog.h).
enum class DecidedBy : uint8_t {
  Unknown,
  Rule,
  AppContainerLoopback,
  BootTimeDefault,
  QuarantineDefault,
  QueryUserDefault,
  Stealth,
  UwpDefault,
  WshDefault,
  OtherProvider,
};

struct Decision {
  DecidedBy by = DecidedBy::Unknown;
  std::optional<std::string_view> ruleId;  // Rule only: FilterOrigin without the spaces around it
};

// FilterOrigin as logged, or nothing when the record has none. A default filter's name matches in any
// case and spacing; "Unknown", "-" and values that are neither a documented name nor shaped like a rule
// ID (a GUID, a single token such as CoreNet-DHCP-In, or a query-user rule "TCP Query User{...}...")
// give Unknown.
Decision DecideByOrigin(std::optional<std::string_view> filterOrigin);

}  // namespace wfp
