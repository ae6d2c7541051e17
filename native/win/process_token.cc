#include "win/process_token.h"

#include <windows.h>

#include <optional>

namespace wfp {
namespace {

std::optional<bool> IsProcessElevated() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return std::nullopt;
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  const bool ok = GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &size);
  CloseHandle(token);
  if (!ok) return std::nullopt;
  return elevation.TokenIsElevated != 0;
}

bool IsEventLogReader() {
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID readers = nullptr;
  if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, 573, 0, 0, 0, 0, 0, 0, &readers)) return false;
  BOOL member = FALSE;
  const bool ok = CheckTokenMembership(nullptr, readers, &member);
  FreeSid(readers);
  return ok && member;  // member of BUILTIN\Event Log Readers (S-1-5-32-573)
}

}  // namespace

std::string SecurityLogAccessHint() {
  std::optional<bool> elevated = IsProcessElevated();
  if (elevated && *elevated)
    return "the process is elevated but may not read this log: check its access list (wevtutil gl Security) and "
           "Group Policy 'Configure log access'";
  if (IsEventLogReader())
    return "the account is in Event Log Readers but was still refused: check the log's access list (wevtutil gl "
           "Security)";
  return std::string(elevated ? "the process is not elevated: " : "") +
         "run as administrator, or add the account to Event Log Readers (S-1-5-32-573), to read the Security log";
}

}  // namespace wfp
