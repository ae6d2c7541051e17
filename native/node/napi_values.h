// Small helpers over raw napi_* calls for the node layer. Each returns false at the first failure, so
// that a caller can give up at once: in an environment that is shutting down (a worker being
// terminated, process exit) JavaScript may not run, calls fail or leave an exception pending, and
// that must end in a quiet return, never in node-addon-api's fatal errors.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wfp {

bool MakeString(napi_env env, std::string_view s, napi_value* out);
bool MakeNumber(napi_env env, double value, napi_value* out);
bool MakeBool(napi_env env, bool value, napi_value* out);
bool SetNamed(napi_env env, napi_value object, const char* key, napi_value value);
bool SetElement(napi_env env, napi_value array, uint32_t index, napi_value value);
bool SetFunction(napi_env env, napi_value object, const char* name, napi_callback callback);
// The value of a JavaScript string (false for anything else).
bool GetString(napi_env env, napi_value value, std::string* out);

// Throws a TypeError, unless an exception is already pending (it is the one the caller sees) or the
// environment refuses (it is shutting down: there is no one left to see it).
void ThrowTypeError(napi_env env, const std::string& message);

}  // namespace wfp
