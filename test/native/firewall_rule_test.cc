// The rule-string parser of the live rule stores, on real rule strings: Microsoft's troubleshooting
// article (RemoteDesktop-UserMode-In-TCP), and Windows' own rules as public scripts quote them.
#include "test_main.h"

#include "model/firewall_rule.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}
}  // namespace

TEST_CASE("firewall rule: Microsoft's RemoteDesktop-UserMode-In-TCP, enabled and disabled") {
  // learn.microsoft.com "Enable or disable a firewall rule on an Azure VM Guest OS"
  // (MicrosoftDocs/SupportArticles-docs,
  // support/azure/virtual-machines/windows/enable-disable-firewall-rule-guest-os.md).
  const std::string on =
      "v2.22|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Domain|Profile=Private|Profile=Public|LPort=3389|"
      "App=%SystemRoot%\\system32\\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|Desc=@FirewallAPI.dll,-"
      "28756|"
      "EmbedCtxt=@FirewallAPI.dll,-28752|";
  FirewallRule r;
  std::string error;
  Check(ParseFirewallRule("RemoteDesktop-UserMode-In-TCP", on, RuleStore::Local, r, error), "parses: " + error);
  Equal(r.id, std::string("RemoteDesktop-UserMode-In-TCP"), "id");
  Equal(r.version, std::string("v2.22"), "version");
  Equal(r.action.value_or(""), std::string("Allow"), "action");
  Equal(r.direction.value_or(""), std::string("In"), "direction");
  Check(r.active == true, "active");
  Equal(r.protocol.value_or(0), uint32_t{6}, "protocol");
  Equal(Join(r.profiles), std::string("Domain,Private,Public"), "profiles");
  Equal(Join(r.localPorts), std::string("3389"), "local port");
  Equal(r.application.value_or(""), std::string("%SystemRoot%\\system32\\svchost.exe"), "app");
  Equal(r.service.value_or(""), std::string("termservice"), "service");
  Equal(r.name.value_or(""), std::string("@FirewallAPI.dll,-28775"), "an indirect name, as written");
  Equal(r.group.value_or(""), std::string("@FirewallAPI.dll,-28752"), "group");
  Check(r.other.empty(), "nothing left over");
  Check(ParseFirewallRule("RemoteDesktop-UserMode-In-TCP", Replaced(on, "Active=TRUE", "Active=FALSE"),
                          RuleStore::GroupPolicy, r, error) &&
            r.active == false && r.store == RuleStore::GroupPolicy,
        "disabled, from Group Policy");
}

TEST_CASE("firewall rule: Windows' own rules, blocks, address keywords and fields it does not read") {
  FirewallRule r;
  std::string error;
  // The Windows 10/11 RemoteDesktop-Shadow-In-TCP rule (Edge traversal, Defer=App).
  Check(ParseFirewallRule("RemoteDesktop-Shadow-In-TCP",
                          "v2.33|Action=Allow|Active=TRUE|Dir=In|Protocol=6|App=%SystemRoot%\\system32\\RdpSa.exe|"
                          "Name=@FirewallAPI.dll,-28778|Desc=@FirewallAPI.dll,-28779|EmbedCtxt=@FirewallAPI.dll,-28752|"
                          "Edge=TRUE|Defer=App|",
                          RuleStore::Local, r, error),
        "shadow rule: " + error);
  Check(r.edgeTraversal == true, "Edge=TRUE");
  Check(r.other.size() == 1 && r.other[0].first == "Defer" && r.other[0].second == "App", "Defer kept in order");
  // DeliveryOptimization-TCP-In: two profiles, LocalSubnet keywords.
  Check(ParseFirewallRule("DeliveryOptimization-TCP-In",
                          "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Domain|Profile=Private|LPort=7680|"
                          "RA4=LocalSubnet|RA6=LocalSubnet|App=%SystemRoot%\\system32\\svchost.exe|Svc=dosvc|"
                          "Name=@%systemroot%\\system32\\dosvc.dll,-102|Desc=@%systemroot%\\system32\\dosvc.dll,-104|"
                          "EmbedCtxt=@%systemroot%\\system32\\dosvc.dll,-100|Edge=TRUE|",
                          RuleStore::Local, r, error),
        "delivery optimization: " + error);
  Equal(Join(r.profiles), std::string("Domain,Private"), "profiles");
  Equal(Join(r.remoteAddresses), std::string("LocalSubnet,LocalSubnet"), "RA4 and RA6 keywords");
  // Windows Defender's service-hardening block rule (no Active field: the grammar makes it optional).
  Check(ParseFirewallRule("WindowsDefender-2",
                          "v2.0|Action=Block|Active=TRUE|Dir=In|App=%ProgramFiles%\\Windows Defender\\MsMpEng.exe|"
                          "Svc=WinDefend|Name=Block All In traffic to WinDef|",
                          RuleStore::Local, r, error),
        "defender: " + error);
  Equal(r.action.value_or(""), std::string("Block"), "block");
  Check(!r.protocol && r.localPorts.empty(), "any protocol, any port");
  Check(ParseFirewallRule("WebThreatDefSvc_Allow_Out",
                          "v2.0|Action=Allow|Dir=Out|App=%SystemRoot%\\system32\\svchost.exe|Svc=WebThreatDefSvc|"
                          "RPort=443|Protocol=6|Name=Allow WebThreatDefSvc to send to port 443|",
                          RuleStore::Local, r, error) &&
            !r.active && Join(r.remotePorts) == "443",
        "a rule without Active: " + error);
  // A block rule a policy tool writes, with the Internet keywords of newer versions.
  Check(ParseFirewallRule(
            "Block-Unified-Telemetry-Client",
            "v2.31|Action=Block|Active=TRUE|Dir=Out|RA42=IntErnet|RA62=IntErnet|App=%SystemRoot%\\system32\\"
            "svchost.exe|Svc=DiagTrack|Name=Block-Unified-Telemetry-Client|Desc=Block-Unified-Telemetry-"
            "Client|EmbedCtxt=DiagTrack|",
            RuleStore::Mdm, r, error),
        "telemetry block: " + error);
  Equal(Join(r.remoteAddresses), std::string("IntErnet,IntErnet"), "keywords as written");
  Equal(r.direction.value_or(""), std::string("Out"), "outbound");
  Equal(std::string(kRuleStoreNames[static_cast<size_t>(r.store)]), std::string("mdm"), "from the MDM store");
}

TEST_CASE("firewall rule: strings that are not rules say why") {
  FirewallRule r;
  std::string error;
  // A script's value without the version prefix: Windows would reject it too (4953).
  Check(!ParseFirewallRule("{2765E0F4-2918-4A46-B9C9-43CDD8FCBA2B}",
                           "BlockCortana|Action=Block|Active=TRUE|Dir=Out|App=C:\\windows\\systemapps\\searchui.exe|",
                           RuleStore::Local, r, error),
        "no version");
  Check(error.find("version") != std::string::npos, "the error says so: " + error);
  for (const char* bad : {"", "v2.30", "v2|Action=Allow|", "v2.30|Action|", "v2.30|Active=MAYBE|",
                          "v2.30|Protocol=999|", "v2.30|Protocol=tcp|"}) {
    error.clear();
    Check(!ParseFirewallRule("x", bad, RuleStore::Local, r, error) && !error.empty(),
          std::string("rejects '") + bad + "'");
  }
}
