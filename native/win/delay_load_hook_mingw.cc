// The addon imports Node-API from "node.exe" through a delay-load import library, and this hook
// answers that import with the process's own executable: so the addon also loads in hosts that are
// not named node.exe (Electron). cmake-js adds the same hook for MSVC builds; MinGW needs its own.
#include <windows.h>

#include <delayimp.h>

namespace {

FARPROC WINAPI LoadNodeFromHost(unsigned notify, PDelayLoadInfo info) {
  if (notify == dliNotePreLoadLibrary && lstrcmpiA(info->szDll, "node.exe") == 0)
    return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
  return nullptr;
}

struct InstallHook {
  InstallHook() { __pfnDliNotifyHook2 = LoadNodeFromHost; }
} installHook;

}  // namespace
