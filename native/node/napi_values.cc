#include "node/napi_values.h"

namespace wfp {

bool MakeString(napi_env env, std::string_view s, napi_value* out) {
  return napi_create_string_utf8(env, s.data(), s.size(), out) == napi_ok;
}

bool MakeNumber(napi_env env, double value, napi_value* out) { return napi_create_double(env, value, out) == napi_ok; }

bool MakeBool(napi_env env, bool value, napi_value* out) { return napi_get_boolean(env, value, out) == napi_ok; }

bool SetNamed(napi_env env, napi_value object, const char* key, napi_value value) {
  return napi_set_named_property(env, object, key, value) == napi_ok;
}

bool SetElement(napi_env env, napi_value array, uint32_t index, napi_value value) {
  return napi_set_element(env, array, index, value) == napi_ok;
}

bool SetFunction(napi_env env, napi_value object, const char* name, napi_callback callback) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, nullptr, &fn) == napi_ok &&
         SetNamed(env, object, name, fn);
}

bool GetString(napi_env env, napi_value value, std::string* out) {
  napi_valuetype type;
  size_t length = 0;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string ||
      napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok)
    return false;
  out->assign(length, '\0');
  return napi_get_value_string_utf8(env, value, out->data(), length + 1, &length) == napi_ok;
}

void ThrowTypeError(napi_env env, const std::string& message) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || pending) return;
  napi_throw_type_error(env, nullptr, message.c_str());  // fails only when nothing can run any more
}

}  // namespace wfp
