// A firewall rule's display name from its registry string, also past 8 KB and never from inside
// another field.
#include "test_main.h"

#include "enrich/firewall_rules.h"

namespace {
using namespace wfp;
using namespace wfp::test;
}  // namespace

TEST_CASE("firewall rules: the Name field, whole fields only, at any length") {
  Equal(FirewallRuleName("v2.30|Action=Block|Active=TRUE|Dir=Out|Protocol=6|Name=wfp-blocks e2e|Desc=x|").value_or("?"),
        std::string("wfp-blocks e2e"), "a plain name");
  Equal(FirewallRuleName("v2.31|Action=Allow|Name=@FirewallAPI.dll,-28502|EmbedCtxt=@FirewallAPI.dll,-28502|")
            .value_or("?"),
        std::string("@FirewallAPI.dll,-28502"), "an indirect string, resolved by the caller");
  Equal(FirewallRuleName("v2.30|Desc=see |Name=other|Action=Block|").value_or("?"), std::string("other"),
        "the field, not the text");
  Check(!FirewallRuleName("v2.30|Desc=Name=not this|Action=Block|"), "never from inside another field");
  Check(!FirewallRuleName("v2.30|Action=Block|Name=|"), "an empty name is none");
  Check(!FirewallRuleName(""), "an empty rule");
  std::string big = "v2.30|Action=Block|Desc=" + std::string(20000, 'd') + "|Name=after twenty thousand bytes|";
  Equal(FirewallRuleName(big).value_or("?"), std::string("after twenty thousand bytes"), "rule strings over 8 KB");
  Equal(sizeof(kFirewallRuleStores) / sizeof(kFirewallRuleStores[0]), size_t{6}, "six stores");
}
