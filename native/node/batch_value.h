// A batch of the wire format (pipeline/batch.h) as the JavaScript value the watcher's callback takes
// (NativeBatch in binding.d.ts), built with raw napi_* calls that give up at the first failure: during
// teardown JavaScript may not run, and that must not turn into a fatal error.
#pragma once

#include <napi.h>

#include "pipeline/batch.h"

namespace wfp {

// False (with `out` unset) when any call failed. A formatted batch's text is taken by the value where
// it can be (batch.text is then empty).
bool MakeBatchValue(napi_env env, Batch& batch, napi_value* out);

// { drained, ended }: a stream watcher may take writes again; the thread has stopped.
bool MakeSignalValue(napi_env env, bool drained, bool ended, napi_value* out);

}  // namespace wfp
