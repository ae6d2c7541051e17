// A firewall rule as the rule stores keep it: the registry value named by the rule's ID whose data is a
// rule string, "v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|App=...|Name=...|" ([MS-GPFAS] 2.2.2.19,
// "Firewall Rule and the Firewall Rule Grammar Rule", for Group Policy; the local store's values are
// written the same way, as Microsoft's troubleshooting article that edits one shows; the MDM store's are
// expected to be but were not seen here). Parsed into the fields a block's rule identity needs; keys this does not read
// are kept in order. Names such as "@FirewallAPI.dll,-28775" are indirect strings, kept as written (resolving them is
// the live lookup's job). Plain C++ with no Node-API and no OS code: the Windows code reads the stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfp {

// Where the rule was read from; FW_RULE_ORIGIN_TYPE of [MS-FASP] for the stores a live watcher reads.
enum class RuleStore : uint8_t { Local, GroupPolicy, Mdm };
inline constexpr std::string_view kRuleStoreNames[] = {"local", "group-policy", "mdm"};

struct FirewallRule {
  std::string id;
  RuleStore store = RuleStore::Local;
  std::string version;                       // "v2.30"
  std::optional<std::string> action;         // "Allow", "Block", "ByPass" as written
  std::optional<std::string> direction;      // "In", "Out"
  std::optional<bool> active;                // Active=TRUE / FALSE
  std::optional<uint32_t> protocol;          // IANA number
  std::vector<std::string> profiles;         // Profile=Domain|Profile=Private|...; none means every profile
  std::vector<std::string> localPorts;       // LPort, LPort2_10
  std::vector<std::string> remotePorts;      // RPort, RPort2_10
  std::vector<std::string> localAddresses;   // LA4, LA6
  std::vector<std::string> remoteAddresses;  // RA4, RA6, RA42, RA62 (keywords such as LocalSubnet as written)
  std::optional<std::string> application;    // App
  std::optional<std::string> service;        // Svc
  std::optional<std::string> packageSid;     // AppPkgId
  std::optional<std::string> name;           // Name
  std::optional<std::string> description;    // Desc
  std::optional<std::string> group;          // EmbedCtxt: the rule group
  std::optional<bool> edgeTraversal;         // Edge=TRUE / FALSE
  std::vector<std::pair<std::string, std::string>> other;  // every other Key=Value, in order
};

// False, with the reason in `error`, for text that is not a rule string: no "v<major>.<minor>|" version,
// a field without '=', or an Active/Edge/Protocol value the grammar does not allow.
bool ParseFirewallRule(std::string_view id, std::string_view text, RuleStore store, FirewallRule& out,
                       std::string& error);

}  // namespace wfp
