// One session with the WFP engine (the Base Filtering Engine, FwpmEngineOpen0) for one watcher, opened
// on first use and shared by the enricher's filter lookups and the 'netevents' source, so that a
// watcher holds one session, not two; closed with its last user. The session is not dynamic: engine
// options cannot be changed from a dynamic session. Used on the watcher's thread only. Windows only.
#pragma once

#include <memory>

namespace wfp {

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
