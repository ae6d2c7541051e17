// The Watcher class JavaScript creates: one per watcher, owning its thread, source and pipeline
// (watcher.cc says how they live and die). binding.d.ts describes it.
#pragma once

#include <node_api.h>

namespace wfp {

// The class (new Watcher(options, callback); close, ref, unref, pause, resume, write, end). False when
// the environment refused (it is shutting down).
bool DefineWatcherClass(napi_env env, napi_value* out);

}  // namespace wfp
