#include "process_token_win.h"

#include <windows.h>

namespace wfp {

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
  return ok && member;
}

}  // namespace wfp
