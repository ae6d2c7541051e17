// The change events, recognised from real records: the shared .evtx of a firewall being turned off
// (4950 and 984 WFP filter changes, rendered by libevtx), Microsoft's documentation samples of 4944-4958
// and 5447, and the firewall log samples of EricZimmerman/evtx's maps (test/fixtures/README.md).
#include "test_main.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "model/rule_change.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::vector<std::string> ChangeFixture(const std::string& name) {
  std::vector<std::string> lines;
  const char* folder = std::getenv("WFP_FIXTURES");
  std::ifstream in(std::string(folder ? folder : ".") + "/changes/" + name);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string KindName(ChangeKind k) { return std::string(kChangeNames[static_cast<size_t>(k)]); }
std::string Text(const std::optional<std::string_view>& v) { return v ? std::string(*v) : std::string("(none)"); }
std::string Value(const RuleChange& c, std::string_view key) {
  for (const auto& [k, v] : c.values)
    if (k == key) return v;
  return "(none)";
}
}  // namespace

TEST_CASE("rule changes: a firewall turned off, 4950 and 984 WFP filter changes, every field read") {
  const std::vector<std::string> lines = ChangeFixture("evtx-mdecrevoisier-firewall-disabled.xml");
  Equal(lines.size(), size_t{998}, "every record of the .evtx");
  XmlEventReader reader;
  std::map<std::string, int> kinds;
  int other = 0;
  std::map<uint64_t, std::string> lastSeen;  // filter ID -> the change last seen of it
  bool addsBeforeDeletes = true;
  for (const std::string& xml : lines) {
    EventRecord r;
    RuleChange c;
    Check(Read(xml, reader, r), "reads");
    if (!RecognizeRuleChange(r, c)) {
      ++other;
      Check(r.eventId == 1102 || r.eventId == 4656 || r.eventId == 4670 || r.eventId == 4688,
            "only change events are recognised: " + std::to_string(r.eventId));
      continue;
    }
    ++kinds[std::to_string(r.eventId) + " " + KindName(c.kind)];
    if (r.eventId == 4950) {
      Check(Text(c.profiles) == "Private" || Text(c.profiles) == "Domain", "4950 profile: " + Text(c.profiles));
      Check(Text(c.setting) == "Enable Windows Firewall" || Text(c.setting) == "Windows Firewall Shielded Mode",
            "4950 setting: " + Text(c.setting));
      Equal(Text(c.value), std::string("No"), "4950 value");
      Check(!c.ruleId && !c.filterId && !c.userSid, "4950 names no rule and no user");
    } else {
      Equal(r.eventId, uint32_t{5447}, "the rest are 5447");
      Check(c.filterId.has_value(), "5447 has a run-time filter ID");
      Equal(Text(c.userSid), std::string("S-1-5-19"), "5447 user");
      Equal(Text(c.userName), std::string("NT AUTHORITY\\LOCAL SERVICE"), "5447 user name");
      Equal(c.pid.value_or(0), uint64_t{1000}, "5447 process");
      Equal(Text(c.providerKey), std::string("{4B153735-1049-4480-AAB4-D1B9BDC03710}"), "the firewall's WFP provider");
      Equal(Text(c.providerName), std::string("Microsoft Corporation"), "its name");
      Check(c.key && c.name, "filter key and name");
      const std::string action = Value(c, "action");
      Check(action == "block" || action == "permit" || action == "callout", "decoded action: " + action);
      Equal(Value(c, "filterType"), std::string("run-time"), "filter type");
      Check(Value(c, "layer").find("ALE ") == 0, "layer name: " + Value(c, "layer"));
      Check(Value(c, "conditions").find("Condition ID:") != std::string::npos, "conditions as logged");
      if (Text(c.name).find("Block") == 0) Equal(action, std::string("block"), "a Block... filter blocks");
      if (Text(c.name).find("Allow") == 0) Equal(action, std::string("permit"), "an Allow... filter permits");
      // Run-time IDs only grow: an ID seen first must be added, and only a filter that exists is deleted.
      auto seen = lastSeen.find(*c.filterId);
      if (c.kind == ChangeKind::FilterAdded) addsBeforeDeletes = addsBeforeDeletes && seen == lastSeen.end();
      if (c.kind == ChangeKind::FilterDeleted && seen != lastSeen.end())
        addsBeforeDeletes = addsBeforeDeletes && seen->second == "filter-added";
      lastSeen[*c.filterId] = KindName(c.kind);
    }
  }
  Equal(other, 8, "1102, 4656, 4670 and five 4688 are not change events");
  Equal(kinds["4950 setting-changed"], 6, "six 4950");
  Equal(kinds["5447 filter-added"], 492, "%%16384: added");
  Equal(kinds["5447 filter-deleted"], 492, "%%16385: deleted");
  Check(addsBeforeDeletes, "no filter ID is added twice, and a deleted ID that was seen was added before");
  Equal(lastSeen[72062], std::string("filter-deleted"), "filter 72062 was added and then deleted");
}

TEST_CASE("rule changes: Microsoft's samples of 4944-4958 and 5447") {
  const std::vector<std::string> lines = ChangeFixture("text-msdocs-mpssvc-wfp.xml");
  Equal(lines.size(), size_t{13}, "every sample");
  std::map<uint32_t, RuleChange> got;
  // A RuleChange points into its record, which points into its reader's buffer: one of each per line.
  std::vector<std::unique_ptr<XmlEventReader>> readers;
  std::vector<EventRecord> records(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    RuleChange c;
    readers.push_back(std::make_unique<XmlEventReader>());
    Check(Read(lines[i], *readers.back(), records[i]), "reads");
    Check(RecognizeRuleChange(records[i], c), "recognised: " + std::to_string(records[i].eventId));
    got[records[i].eventId] = c;
  }
  const std::pair<uint32_t, const char*> kinds[] = {
      {4944, "policy-at-start"},      {4945, "rule-at-start"},          {4946, "rule-added"},
      {4947, "rule-modified"},        {4948, "rule-deleted"},           {4949, "defaults-restored"},
      {4950, "setting-changed"},      {4951, "rule-rejected"},          {4953, "rule-rejected"},
      {4954, "group-policy-applied"}, {4956, "active-profile-changed"}, {4957, "rule-rejected"},
      {5447, "filter-deleted"}};
  for (const auto& [id, kind] : kinds) Equal(KindName(got[id].kind), std::string(kind), std::to_string(id));
  for (uint32_t id : {4946u, 4947u, 4948u}) {
    Equal(Text(got[id].ruleId), std::string("{F2649D59-1355-4E3C-B886-CDD08B683199}"), std::to_string(id) + " rule");
    Equal(Text(got[id].name), std::string("Allow All Rule"), std::to_string(id) + " name");
    Equal(Text(got[id].profiles), std::string("All"), std::to_string(id) + " profiles");
  }
  Equal(Text(got[4945].ruleId), std::string("NPS-NPSSvc-In-RPC"), "4945 rule");
  Equal(Text(got[4945].profiles), std::string("Public"), "4945 ProfileUsed");
  Equal(Text(got[4950].setting), std::string("Default Outbound Action"), "4950 setting");
  Equal(Text(got[4950].value), std::string("Block"), "4950 value");
  Equal(Text(got[4950].profiles), std::string("Domain"), "4950 profile");
  Check(!got[4951].name, "4951 RuleName '-' is no name");
  Equal(Text(got[4953].reason), std::string("An error occurred."), "4953 reason");
  Equal(Text(got[4956].profiles), std::string("Domain"), "4956 ActiveProfile");
  Equal(Text(got[4957].reason), std::string("Local Port"), "4957 RuleAttr");
  Equal(Text(got[4957].name), std::string("Core Networking - Teredo (UDP-In)"), "4957 name");
  const RuleChange& f = got[5447];
  Equal(f.filterId.value_or(0), uint64_t{100100}, "5447 filter ID");
  Equal(Text(f.name), std::string("Port Scanning Prevention Filter"), "5447 name");
  Equal(Value(f, "action"), std::string("callout"), "%%16391");
  Equal(Value(f, "callout"), std::string("WFP Built-in Silent Drop Transport v4 Discard Layer Callout"), "callout");
  Equal(f.pid.value_or(0), uint64_t{284}, "5447 process");
}

TEST_CASE("rule changes: the firewall's own log (2003-2006), decoded, and the Windows 11 IDs") {
  const std::vector<std::string> lines = ChangeFixture("text-EricZimmerman-firewall.xml");
  Equal(lines.size(), size_t{4}, "every sample");
  std::vector<std::unique_ptr<XmlEventReader>> readers;
  std::vector<EventRecord> records(lines.size());
  std::vector<RuleChange> c(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    readers.push_back(std::make_unique<XmlEventReader>());
    Check(Read(lines[i], *readers.back(), records[i]) && RecognizeRuleChange(records[i], c[i]),
          "recognised " + std::to_string(i));
  }
  XmlEventReader reader;
  Equal(KindName(c[0].kind), std::string("setting-changed"), "2003");
  Equal(Text(c[0].setting), std::string("FW_PROFILE_CONFIG_ENABLE_FW"), "2003 SettingType 1");
  Equal(Text(c[0].value), std::string("Yes"), "2003 SettingValueString");
  Equal(Text(c[0].profiles), std::string("Private"), "2003 Profiles 2");
  Equal(Text(c[0].userSid), std::string("S-1-5-21-513373498-3903154681-3342767705-1001"), "2003 ModifyingUser");
  Equal(Text(c[0].application), std::string("C:\\Windows\\explorer.exe"), "2003 ModifyingApplication");
  Equal(KindName(c[1].kind), std::string("rule-added"), "2004");
  Equal(Text(c[1].ruleId), std::string("{21B2FB86-8218-4839-ACF3-CEE5F6CC6793}"), "2004 rule");
  Equal(Text(c[1].profiles), std::string("All"), "2004 Profiles 2147483647");
  Equal(Value(c[1], "action"), std::string("block"), "2004 Action 2");
  Equal(Value(c[1], "direction"), std::string("inbound"), "2004 Direction 1");
  Equal(Value(c[1], "protocol"), std::string("any"), "2004 Protocol 256");
  Equal(Value(c[1], "enabled"), std::string("true"), "2004 Active 1");
  Equal(Value(c[1], "origin"), std::string("local"), "2004 Origin 1");
  Equal(Value(c[1], "application"), std::string("(none)"), "an empty ApplicationPath is left out");
  Equal(KindName(c[2].kind), std::string("rule-modified"), "2005");
  Equal(Value(c[2], "action"), std::string("allow"), "2005 Action 3");
  Equal(Value(c[2], "protocol"), std::string("17"), "2005 Protocol 17");
  Equal(Value(c[2], "application"), std::string("C:\\users\\hyuunnn\\downloads\\anydesk.exe"), "2005 ApplicationPath");
  Equal(Text(c[2].application), std::string("C:\\Windows\\System32\\dllhost.exe"), "2005 ModifyingApplication");
  Equal(KindName(c[3].kind), std::string("rule-deleted"), "2006");
  Equal(Text(c[3].name), std::string("WinDefend Outbound for TCP"), "2006 name");
  Equal(Text(c[3].userSid), std::string("S-1-5-18"), "2006 ModifyingUser");

  // Newer Windows 11 builds write the same fields under other IDs (SigmaHQ's firewall_as rules).
  const std::pair<size_t, std::pair<const char*, const char*>> renumbered[] = {{1, {"2071", "rule-added"}},
                                                                               {1, {"2097", "rule-added"}},
                                                                               {2, {"2073", "rule-modified"}},
                                                                               {2, {"2099", "rule-modified"}},
                                                                               {3, {"2052", "rule-deleted"}}};
  for (const auto& [i, to] : renumbered) {
    const std::string from = "<EventID>" + std::to_string(records[i].eventId) + "</EventID>";
    EventRecord r;
    RuleChange rc;
    Check(Read(Replaced(lines[i], from, std::string("<EventID>") + to.first + "</EventID>"), reader, r) &&
              RecognizeRuleChange(r, rc),
          std::string("recognised as ") + to.first);
    Equal(KindName(rc.kind), std::string(to.second), to.first);
  }
  // The firewall log's IDs from any other provider are someone else's events.
  EventRecord r;
  RuleChange rc;
  Check(Read(Replaced(lines[1], "Microsoft-Windows-Windows Firewall With Advanced Security\"",
                      "Microsoft-Windows-Kernel-Power\""),
             reader, r),
        "reads");
  Check(!RecognizeRuleChange(r, rc), "a 2004 of another provider is not a firewall change");
  Check(Read(Replaced(lines[1], "Microsoft-Windows-Windows Firewall With Advanced Security\"",
                      "Microsoft-Windows-Security-Auditing\""),
             reader, r),
        "reads");
  Check(!RecognizeRuleChange(r, rc), "nor one of the Security log's provider");
}
