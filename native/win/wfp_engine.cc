// Only built for Windows. Under Wine it opens the stand-in fwpuclnt.dll's engine (test/wine/).
#include "win/wfp_engine.h"

#include <windows.h>

#include <fwpmu.h>
#include <rpc.h>

namespace wfp {

WfpEngine::~WfpEngine() { Reset(); }

void* WfpEngine::Open(unsigned long& error) {
  error = ERROR_SUCCESS;
  if (handle_) return handle_;
  FWPM_SESSION0 session{};  // not FWPM_SESSION_FLAG_DYNAMIC
  HANDLE h = nullptr;
  error = FwpmEngineOpen0(nullptr, RPC_C_AUTHN_WINNT, nullptr, &session, &h);
  if (error != ERROR_SUCCESS) return nullptr;
  handle_ = h;
  return handle_;
}

void WfpEngine::Reset() {
  if (handle_) FwpmEngineClose0(static_cast<HANDLE>(handle_));
  handle_ = nullptr;
}

}  // namespace wfp
