// Throwing a JavaScript error from the node layer without ever aborting the host. node-addon-api
// makes a throw while another exception is pending a fatal error, and Node records a worker's
// termination as a pending exception (so does a getter that threw while an option was read). A
// pending exception therefore goes first and no new one is made; when JavaScript cannot run any more
// (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS) the throw is dropped. Node-API only; no core code.
#pragma once

#include <napi.h>

#include <string>

namespace wfp {

inline bool ExceptionPending(napi_env env) {
  bool pending = false;
  return napi_is_exception_pending(env, &pending) != napi_ok || pending;
}

// Throws `error` (made by `make`, only when nothing is pending); returns undefined for the caller to return.
template <typename Make>
Napi::Value ThrowUnlessPending(Napi::Env env, Make make) {
  if (!ExceptionPending(env)) make().ThrowAsJavaScriptException();
  return env.Undefined();
}

inline Napi::Value ThrowTypeError(Napi::Env env, const std::string& message) {
  return ThrowUnlessPending(env, [&] { return Napi::TypeError::New(env, message); });
}

}  // namespace wfp
