#include "util/thread_name.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

namespace wfp {

void SetCurrentThreadName(const char* name) {
#ifdef _WIN32
  // SetThreadDescription exists from Windows 10 1607 on; look it up instead of importing it.
  using SetDescription = HRESULT(WINAPI*)(HANDLE, PCWSTR);
  HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
  auto set =
      kernel ? reinterpret_cast<SetDescription>(reinterpret_cast<void*>(GetProcAddress(kernel, "SetThreadDescription")))
             : nullptr;
  if (!set) return;
  wchar_t wide[32] = {};
  for (int i = 0; i < 31 && name[i]; ++i) wide[i] = static_cast<wchar_t>(name[i]);
  set(GetCurrentThread(), wide);
#else
  pthread_setname_np(pthread_self(), name);
#endif
}

}  // namespace wfp
