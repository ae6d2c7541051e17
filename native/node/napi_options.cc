#include "node/napi_options.h"

namespace wfp {

std::optional<napi_value> NapiOptionReader::Get(const char* name) {
  napi_value value;
  napi_valuetype type;
  if (napi_get_named_property(env_, object_, name, &value) != napi_ok || napi_typeof(env_, value, &type) != napi_ok) {
    Fail(std::string("cannot read option ") + name);
    return std::nullopt;
  }
  if (type == napi_undefined) return std::nullopt;
  return value;
}

std::optional<std::string> NapiOptionReader::ToString(napi_value value, const char* what) {
  napi_valuetype type;
  size_t length = 0;
  if (napi_typeof(env_, value, &type) != napi_ok || type != napi_string ||
      napi_get_value_string_utf8(env_, value, nullptr, 0, &length) != napi_ok) {
    Fail(std::string(what) + " must be a string");
    return std::nullopt;
  }
  std::string out(length, '\0');
  if (napi_get_value_string_utf8(env_, value, out.data(), length + 1, &length) != napi_ok) {
    Fail(std::string("cannot read ") + what);
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> NapiOptionReader::String(const char* name) {
  std::optional<napi_value> value = Get(name);
  return value ? ToString(*value, name) : std::nullopt;
}

std::optional<bool> NapiOptionReader::Bool(const char* name) {
  std::optional<napi_value> value = Get(name);
  bool out = false;
  if (!value) return std::nullopt;
  if (napi_get_value_bool(env_, *value, &out) != napi_ok) {
    Fail(std::string(name) + " must be a boolean");
    return std::nullopt;
  }
  return out;
}

std::optional<double> NapiOptionReader::Number(const char* name) {
  std::optional<napi_value> value = Get(name);
  double out = 0;
  if (!value) return std::nullopt;
  if (napi_get_value_double(env_, *value, &out) != napi_ok) {
    Fail(std::string(name) + " must be a number");
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<std::string>> NapiOptionReader::Strings(const char* name) {
  std::optional<napi_value> value = Get(name);
  bool isArray = false;
  uint32_t length = 0;
  if (!value) return std::nullopt;
  if (napi_is_array(env_, *value, &isArray) != napi_ok || !isArray ||
      napi_get_array_length(env_, *value, &length) != napi_ok) {
    Fail(std::string(name) + " must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value element;
    if (napi_get_element(env_, *value, i, &element) != napi_ok) {
      Fail(std::string("cannot read ") + name);
      return std::nullopt;
    }
    std::optional<std::string> s = ToString(element, name);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace wfp
