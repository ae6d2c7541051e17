// Event 4719, "System audit policy was changed": which subcategory, and which bits were added or
// removed (AuditPolicyChanges tokens %%8448 success removed, %%8449 success added, %%8450 failure
// removed, %%8451 failure added). Windows logs it whatever the audit policy says. Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/event_record.h"

namespace wfp {

enum PolicyChangeBits : uint8_t { kSuccessAdded = 1, kSuccessRemoved = 2, kFailureAdded = 4, kFailureRemoved = 8 };

struct PolicyChange {
  double timeMs = 0;
  std::string_view subcategoryGuid;
  uint8_t changes = 0;  // PolicyChangeBits
};

bool RecognizePolicyChange(const EventRecord& record, PolicyChange& out);

}  // namespace wfp
