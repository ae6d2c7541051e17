// The change events: Security-log records of firewall rule and setting changes (4944-4958, Audit MPSSVC
// Rule-Level Policy Change), of WFP object changes (5440-5450), and the firewall's own log
// (Microsoft-Windows-Windows Firewall With Advanced Security/Firewall: 2002-2099). Each becomes a
// RuleChange: what changed, the rule or WFP object, the new values as logged, and who changed it. Fields
// are read by name; what a record lacks stays empty. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_record.h"

namespace wfp {

struct RuleChange {
  const EventRecord* record = nullptr;
  double timeMs = 0;
  ChangeKind kind = ChangeKind::RuleAdded;
  Channel channel = Channel::Security;
  std::optional<std::string_view> ruleId;       // RuleId: the firewall rule's ID
  std::optional<uint64_t> filterId;             // FilterId: the WFP filter's run-time ID (a block's FilterRTID)
  std::optional<std::string_view> key;          // the WFP object's GUID (FilterKey, CalloutKey, ...)
  std::optional<std::string_view> name;         // RuleName, FilterName, CalloutName, ... as logged
  std::optional<std::string_view> profiles;     // the profiles it applies to, as logged (decoded for the firewall log)
  std::optional<std::string_view> setting;      // the setting that changed (4950, 2002/2003)
  std::optional<std::string_view> value;        // its new value
  std::optional<std::string_view> providerKey;  // WFP: the object's provider
  std::optional<std::string_view> providerName;
  std::optional<std::string_view> userSid;  // who: ModifyingUser or UserSid
  std::optional<std::string_view> userName;
  std::optional<std::string_view> application;  // ModifyingApplication
  std::optional<uint64_t> pid;                  // ProcessId: the process that made the change (WFP events)
  std::optional<std::string_view> reason;       // why a rule was rejected
  // The rule's or WFP object's properties as the record gives them (the new state; a deleted object's
  // last state), with Windows' codes decoded: action, direction, protocol, application, ...
  std::vector<std::pair<std::string_view, std::string>> values;
};

// A change event of the catalogue from its own provider, with a valid SystemTime; false for anything else.
// `out` points into `record`.
bool RecognizeRuleChange(const EventRecord& record, RuleChange& out);

// The gist of a change, owned, for a block that a changed rule or filter decided: when, what, by whom.
struct ChangeNote {
  uint32_t eventId = 0;
  uint64_t recordId = 0;
  double timeMs = 0;
  ChangeKind kind = ChangeKind::RuleAdded;
  std::optional<std::string> name;
  std::optional<std::string> userSid;
  std::optional<std::string> userName;
  std::optional<std::string> application;
};

ChangeNote NoteOf(const RuleChange& change);

}  // namespace wfp
