// Turns an EventRecord of 5031 or 5150-5159 into a BlockEvent. Plain C++ with no Node-API.
#pragma once

#include <string>

#include "block_event.h"
#include "event_classes.h"
#include "event_record.h"

namespace wfp {

inline constexpr const char* kErrForeignProvider = "ERR_FOREIGN_PROVIDER";
inline constexpr const char* kErrMissingField = "ERR_MISSING_FIELD";
inline constexpr const char* kErrBadField = "ERR_BAD_FIELD";

struct NormalizeIssue {
  const char* code = "";
  std::string message;
};

enum class Normalized { Event, Skipped, Issue };

// Skipped: an event ID outside the selection (not an error). Issue: a WFP event ID whose record
// cannot be trusted (another provider, a missing or invalid System field).
Normalized Normalize(const EventRecord& record, const EventSelection& selection, BlockEvent& out,
                     NormalizeIssue& issue);

// Event 4719, "System audit policy was changed": which subcategory, and which bits were added or
// removed (AuditPolicyChanges tokens %%8448 success removed, %%8449 success added, %%8450 failure
// removed, %%8451 failure added). Windows logs it whatever the audit policy says.
enum PolicyChangeBits : uint8_t { kSuccessAdded = 1, kSuccessRemoved = 2, kFailureAdded = 4, kFailureRemoved = 8 };

struct PolicyChange {
  double timeMs = 0;
  std::string_view subcategoryGuid;
  uint8_t changes = 0;  // PolicyChangeBits
};

inline constexpr uint32_t kAuditPolicyChangedEventId = 4719;

bool RecognizePolicyChange(const EventRecord& record, PolicyChange& out);

// Milliseconds since the Unix epoch for an xs:dateTime as Windows writes SystemTime
// ("2016-06-29T15:24:34.3460000Z"; also a space for 'T', no zone meaning UTC, or a +hh:mm offset).
bool ParseSystemTime(std::string_view text, double& ms);

std::string_view ProtocolName(uint32_t protocol);
std::optional<std::string_view> LayerNameForToken(std::string_view token);

}  // namespace wfp
