// What decided an event, from FilterOrigin: every name Microsoft's "Filter origin audit log" page gives
// the firewall's default filters, the rule IDs Windows writes, and values nobody documented.
#include "test_main.h"

#include "model/decided_by.h"
#include "model/normalizer.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::string Name(DecidedBy by) { return std::string(kDecidedByNames[static_cast<size_t>(by)]); }
}  // namespace

TEST_CASE("decided by: every documented FilterOrigin value, in the spellings Windows and the page use") {
  const std::pair<const char*, DecidedBy> documented[] = {
      // The names as Windows writes them (Stealth, Query User Default, WSH Default in AppControl
      // Manager's filter list; the page's list for the others).
      {"AppContainer Loopback", DecidedBy::AppContainerLoopback},
      {"Boot Time Default", DecidedBy::BootTimeDefault},
      {"Quarantine Default", DecidedBy::QuarantineDefault},
      {"Query User Default", DecidedBy::QueryUserDefault},
      {"Stealth", DecidedBy::Stealth},
      {"UWP Default", DecidedBy::UwpDefault},
      {"WSH Default", DecidedBy::WshDefault},
      // The page's own wording and casing.
      {"AppContainer loopback", DecidedBy::AppContainerLoopback},
      {"Boot time default", DecidedBy::BootTimeDefault},
      {"Quarantine default", DecidedBy::QuarantineDefault},
      {"Query user default", DecidedBy::QueryUserDefault},
      {"Universal Windows Platform (UWP) default", DecidedBy::UwpDefault},
      {"Windows Service Hardening (WSH) default", DecidedBy::WshDefault},
      {"  query   USER default ", DecidedBy::QueryUserDefault},
  };
  for (const auto& [origin, by] : documented) {
    const Decision d = DecideByOrigin(std::string_view(origin));
    Equal(Name(d.by), Name(by), std::string("'") + origin + "'");
    Check(!d.ruleId, std::string("a default filter has no rule ID: ") + origin);
  }
}

TEST_CASE("decided by: rule IDs are rules, with the ID as logged minus surrounding spaces") {
  const std::pair<const char*, const char*> rules[] = {
      // The page's example, with the spaces it shows around the ID.
      {" {A549B7CF-0542-4B67-93F9-EEBCDD584377} ", "{A549B7CF-0542-4B67-93F9-EEBCDD584377}"},
      {"{F2649D59-1355-4E3C-B886-CDD08B683199}", "{F2649D59-1355-4E3C-B886-CDD08B683199}"},  // 4946's sample
      {"CoreNet-Teredo-In", "CoreNet-Teredo-In"},                                            // 4957's sample
      {"NPS-NPSSvc-In-RPC", "NPS-NPSSvc-In-RPC"},                                            // 4945's sample
      {"RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-TCP"},
      // A query-user rule (the firewall log's 2005 sample writes its ID like this).
      {"UDP Query User{~~~~}C:\\users\\hyuunnn\\downloads\\anydesk.exe",
       "UDP Query User{~~~~}C:\\users\\hyuunnn\\downloads\\anydesk.exe"},
      {"a549b7cf-0542-4b67-93f9-eebcdd584377", "a549b7cf-0542-4b67-93f9-eebcdd584377"},
  };
  for (const auto& [origin, id] : rules) {
    const Decision d = DecideByOrigin(std::string_view(origin));
    Equal(Name(d.by), std::string("rule"), origin);
    Equal(std::string(d.ruleId.value_or("(none)")), std::string(id), std::string("rule ID of ") + origin);
  }
}

TEST_CASE("decided by: no FilterOrigin, 'Unknown' and undocumented names are unknown") {
  Equal(Name(DecideByOrigin(std::nullopt).by), std::string("unknown"), "no FilterOrigin (before Windows 11)");
  for (const char* origin :
       {"Unknown", "unknown", "", "-", "   ", "Port Scanning Default", "Some New Default Filter"}) {
    const Decision d = DecideByOrigin(std::string_view(origin));
    Equal(Name(d.by), std::string("unknown"), std::string("'") + origin + "'");
    Check(!d.ruleId, std::string("no rule ID for '") + origin + "'");
  }
}

TEST_CASE("decided by: the normaliser sets it on every fixture record (none has FilterOrigin)") {
  XmlEventReader reader;
  const EventSelection all = EventSelection::Everything();
  size_t events = 0;
  for (const Fixture& f : Fixtures())
    for (const std::string& xml : f.xml) {
      EventRecord r;
      BlockEvent e;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, all, e, issue) != Normalized::Event) continue;
      ++events;
      Check(e.decidedBy == DecidedBy::Unknown && !e.ruleId && !e.lastChange, f.file + ": unknown, no rule, no change");
    }
  Check(events > 9000, "every fixture event was read");
  // The same real 5157 with each kind of FilterOrigin.
  const std::string win11 =
      "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID><TimeCreated "
      "SystemTime='2024-05-06T07:08:09.1234567Z'/><EventRecordID>1</EventRecordID><Computer>synthetic</Computer></"
      "System>"
      "<EventData><Data Name='FilterOrigin'>ORIGIN</Data><Data Name='FilterRTID'>206474</Data></EventData></Event>";
  for (const auto& [origin, by] :
       {std::pair<const char*, DecidedBy>{"{A549B7CF-0542-4B67-93F9-EEBCDD584377}", DecidedBy::Rule},
        {"Stealth", DecidedBy::Stealth},
        {"Unknown", DecidedBy::Unknown}}) {
    EventRecord r;
    BlockEvent e;
    NormalizeIssue issue;
    Check(Read(Replaced(win11, "ORIGIN", origin), reader, r) && Normalize(r, all, e, issue) == Normalized::Event,
          origin);
    Equal(Name(e.decidedBy), Name(by), std::string("normalised ") + origin);
  }
}
