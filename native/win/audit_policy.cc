#include "win/audit_policy.h"

#include <windows.h>

#include <ntsecapi.h>

#include <cstdint>

#include "win/wide.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

// "{0CCE9226-69AE-11D9-BED3-505054503030}" (no sscanf: MSVC's /sdl rejects it).
bool ParseGuid(const std::string& text, GUID& guid) {
  if (text.size() != 38 || text.front() != '{' || text.back() != '}') return false;
  auto hex = [&](size_t at, size_t digits, uint64_t& out) {
    out = 0;
    for (size_t i = at; i < at + digits; ++i) {
      const char c = text[i];
      const int d = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                           : -1;
      if (d < 0) return false;
      out = out * 16 + static_cast<uint64_t>(d);
    }
    return true;
  };
  if (text[9] != '-' || text[14] != '-' || text[19] != '-' || text[24] != '-') return false;
  uint64_t d1, d2, d3, b0, b1, rest;
  if (!hex(1, 8, d1) || !hex(10, 4, d2) || !hex(15, 4, d3) || !hex(20, 2, b0) || !hex(22, 2, b1) || !hex(25, 12, rest))
    return false;
  guid.Data1 = static_cast<unsigned long>(d1);
  guid.Data2 = static_cast<unsigned short>(d2);
  guid.Data3 = static_cast<unsigned short>(d3);
  guid.Data4[0] = static_cast<unsigned char>(b0);
  guid.Data4[1] = static_cast<unsigned char>(b1);
  for (int i = 0; i < 6; ++i) guid.Data4[2 + i] = static_cast<unsigned char>(rest >> (8 * (5 - i)));
  return true;
}

bool Fail(AuditError& error, const char* api, DWORD code) {
  const bool elevation =
      code == win32::kAccessDenied || code == ERROR_PRIVILEGE_NOT_HELD || code == ERROR_NOT_ALL_ASSIGNED;
  error.code = elevation ? &kErrElevationRequired : &kErrAuditPolicy;
  error.systemCode = code;
  error.message = std::string(api) + " failed: " + SystemMessage(code) + " (" + std::to_string(code) + ")";
  if (elevation) error.message += "; reading and changing the audit policy needs an elevated administrator";
  return false;
}

// Enables SeSecurityPrivilege for the calling thread only, for its lifetime: the thread impersonates a
// copy of the process token (ImpersonateSelf), the privilege is enabled on that copy, and RevertToSelf
// drops the copy. Adjusting the process token instead would race between two watchers in two workers
// (one putting back the privilege while the other still needs it). Under Wine this runs but the audit
// calls that follow fail (ERROR_CALL_NOT_IMPLEMENTED): the race itself cannot be reproduced here.
class SecurityPrivilege {
 public:
  SecurityPrivilege() {
    if (!ImpersonateSelf(SecurityImpersonation)) {
      error_ = GetLastError();
      return;
    }
    impersonating_ = true;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, TRUE, &token_)) {
      error_ = GetLastError();
      token_ = nullptr;
      return;
    }
    TOKEN_PRIVILEGES wanted{};
    wanted.PrivilegeCount = 1;
    wanted.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    if (!LookupPrivilegeValueW(nullptr, SE_SECURITY_NAME, &wanted.Privileges[0].Luid)) {
      error_ = GetLastError();
      return;
    }
    // Succeeds even when the token lacks the privilege; ERROR_NOT_ALL_ASSIGNED tells that case.
    const BOOL ok = AdjustTokenPrivileges(token_, FALSE, &wanted, 0, nullptr, nullptr);
    error_ = GetLastError();
    if (ok && error_ != ERROR_NOT_ALL_ASSIGNED) error_ = ERROR_SUCCESS;
  }
  ~SecurityPrivilege() {
    if (token_) CloseHandle(token_);
    if (impersonating_) RevertToSelf();
  }
  DWORD error() const { return error_; }

 private:
  HANDLE token_ = nullptr;
  DWORD error_ = ERROR_SUCCESS;
  bool impersonating_ = false;
};

}  // namespace

bool QueryAuditPolicy(const std::vector<std::string>& guids, std::vector<uint32_t>& bits, AuditError& error) {
  std::vector<GUID> ids(guids.size());
  for (size_t i = 0; i < guids.size(); ++i)
    if (!ParseGuid(guids[i], ids[i])) return Fail(error, "parsing a subcategory GUID", ERROR_INVALID_PARAMETER);
  SecurityPrivilege privilege;
  PAUDIT_POLICY_INFORMATION info = nullptr;
  if (!AuditQuerySystemPolicy(ids.data(), static_cast<ULONG>(ids.size()), &info)) {
    DWORD code = GetLastError();
    // Without the privilege, say so rather than the API's plainer access denied.
    return Fail(error, "AuditQuerySystemPolicy",
                privilege.error() == ERROR_NOT_ALL_ASSIGNED ? ERROR_NOT_ALL_ASSIGNED : code);
  }
  bits.resize(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    bits[i] = info[i].AuditingInformation & (POLICY_AUDIT_EVENT_SUCCESS | POLICY_AUDIT_EVENT_FAILURE);
  AuditFree(info);
  return true;
}

bool SetAuditPolicy(const std::vector<std::pair<std::string, uint32_t>>& entries, AuditError& error) {
  std::vector<AUDIT_POLICY_INFORMATION> info(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!ParseGuid(entries[i].first, info[i].AuditSubCategoryGuid))
      return Fail(error, "parsing a subcategory GUID", ERROR_INVALID_PARAMETER);
    const uint32_t bits = entries[i].second & (POLICY_AUDIT_EVENT_SUCCESS | POLICY_AUDIT_EVENT_FAILURE);
    info[i].AuditingInformation = bits ? bits : POLICY_AUDIT_EVENT_NONE;
  }
  SecurityPrivilege privilege;
  if (privilege.error() == ERROR_NOT_ALL_ASSIGNED)
    return Fail(error, "AdjustTokenPrivileges(SeSecurityPrivilege)", ERROR_NOT_ALL_ASSIGNED);
  if (!AuditSetSystemPolicy(info.data(), static_cast<ULONG>(info.size())))
    return Fail(error, "AuditSetSystemPolicy", GetLastError());
  return true;
}

}  // namespace wfp
