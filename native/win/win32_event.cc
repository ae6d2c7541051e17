#include "win/win32_event.h"

#include <windows.h>

namespace wfp {

Win32Event::Win32Event(bool manualReset, bool initiallySet)
    : handle_(CreateEventW(nullptr, manualReset, initiallySet, nullptr)) {}

Win32Event::~Win32Event() {
  if (handle_) CloseHandle(handle_);
}

void Win32Event::Set() {
  if (handle_) SetEvent(handle_);
}

}  // namespace wfp
