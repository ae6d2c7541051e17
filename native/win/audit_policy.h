// Reads and sets audit subcategories with AuditQuerySystemPolicy/AuditSetSystemPolicy, always by
// GUID (names are localised), with SeSecurityPrivilege enabled for the call on the calling thread's own
// impersonation token and dropped after.
// Only built for Windows; under Wine both calls fail (ERROR_CALL_NOT_IMPLEMENTED), which the Wine
// suite checks is reported as a typed error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error_codes.h"

namespace wfp {

struct AuditError {
  const ErrorCode* code = nullptr;
  std::string message;
  uint32_t systemCode = 0;
};

// Bits per subcategory: 1 success, 2 failure (POLICY_AUDIT_EVENT_SUCCESS/FAILURE).
bool QueryAuditPolicy(const std::vector<std::string>& guids, std::vector<uint32_t>& bits, AuditError& error);
// Sets each subcategory to exactly `bits` (0 means none: passed as POLICY_AUDIT_EVENT_NONE, since 0
// would mean "unchanged").
bool SetAuditPolicy(const std::vector<std::pair<std::string, uint32_t>>& entries, AuditError& error);

}  // namespace wfp
