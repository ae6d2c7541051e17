// The Windows Firewall's rule stores as the registry holds them, and the display name in a rule's
// string ("v2.30|Action=Block|Active=TRUE|Dir=Out|...|Name=@FirewallAPI.dll,-28502|..."). FilterOrigin
// (Windows 11 / Server 2022) names a rule by its ID, which is the value's name in one of the stores: a
// GUID for rules made by users and tools, a text ID for the built-in ones ("CoreNet-IPHTTPS-In-TCP"),
// or the name of a default filter ("Stealth", "Query User Default"), which no store holds. Plain C++:
// the Windows enricher reads the values.
#pragma once

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace wfp {

// Under HKEY_LOCAL_MACHINE, in the order they are looked in: the local store, Group Policy's, the
// service-hardening rules (static and configurable), the app-isolation rules of packaged apps, and the
// MDM store.
// clang-format off
inline constexpr const wchar_t* kFirewallRuleStores[] = {
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules",
    L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\FirewallRules",
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\RestrictedServices\\Static\\System",
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\RestrictedServices\\Configurable\\System",
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\RestrictedServices\\AppIso\\FirewallRules",
    L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\Mdm\\FirewallRules",
};
// clang-format on
// What a block's `rule.store` says for each store above, in the same order.
inline constexpr std::string_view kFirewallRuleStoreNames[] = {
    "local", "group-policy", "service-hardening", "service-hardening", "app-isolation", "mdm",
};
static_assert(std::size(kFirewallRuleStoreNames) == std::size(kFirewallRuleStores), "a name per rule store");

// The Name field of a rule string (whole fields only: "|Name=" never matches inside another field's
// value such as "|Desc=..."); nothing when there is none.
inline std::optional<std::string> FirewallRuleName(std::string_view rule) {
  size_t at = 0;
  while (at <= rule.size()) {
    const size_t end = std::min(rule.find('|', at), rule.size());
    const std::string_view field = rule.substr(at, end - at);
    if (field.substr(0, 5) == "Name=" && field.size() > 5) return std::string(field.substr(5));
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace wfp
