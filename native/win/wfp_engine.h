// One session with the WFP engine (the Base Filtering Engine, FwpmEngineOpen0) for one watcher, opened
// on first use and shared by the enricher's filter lookups and the 'netevents' source, so that a
// watcher holds one session, not two; closed with its last user. The session is not dynamic: engine
// options cannot be changed from a dynamic session. Used on the watcher's thread only. Windows only.
#pragma once

#include <cstdint>
#include <memory>

#include "win/win32_errors.h"

namespace wfp {

// The engine cannot be reached for now (BFE stopped or restarting, its RPC connection broke, the
// session was aborted): the session must be opened again. The one list the enricher's lookups and the
// 'netevents' source both go by.
inline bool WfpEngineUnreachable(uint32_t code) {
  switch (code) {
    case win32::kInvalidHandle:
    case win32::kServiceNotActive:
    case win32::kRpcServerUnavailable:
    case win32::kRpcCallFailed:
    case win32::kRpcCallFailedDne:
    case win32::kEptNotRegistered:
    case win32::kRpcCallCancelled:
    case win32::kFwpSessionAborted:
      return true;
    default:
      return (code & 0xFFFF0000u) == 0x80010000u;  // RPC_E_*: failure to communicate with the engine
  }
}

class WfpEngine {
 public:
  WfpEngine() = default;
  ~WfpEngine();
  WfpEngine(const WfpEngine&) = delete;
  WfpEngine& operator=(const WfpEngine&) = delete;

  // The open session (a HANDLE), opening it first; null with the Win32 error in `error` when the
  // engine refuses or cannot be reached.
  void* Open(unsigned long& error);
  // After the session failed (the engine restarted): closes it, so that the next Open() starts anew.
  void Reset();

 private:
  void* handle_ = nullptr;
};

}  // namespace wfp
