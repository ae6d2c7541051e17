#include "node/audit_binding.h"

#ifdef _WIN32
#include <string>
#include <utility>
#include <vector>

#include "node/napi_values.h"
#include "win/audit_policy.h"
#endif

namespace wfp {

#ifdef _WIN32
namespace {

napi_value ThrowAuditError(napi_env env, const AuditError& e) {
  bool pending = false;
  napi_value message, error, code, systemCode;
  if (napi_is_exception_pending(env, &pending) != napi_ok || pending || !MakeString(env, e.message, &message) ||
      napi_create_error(env, nullptr, message, &error) != napi_ok || !MakeString(env, e.code->name, &code) ||
      !SetNamed(env, error, "code", code) || !MakeNumber(env, e.systemCode, &systemCode) ||
      !SetNamed(env, error, "systemCode", systemCode))
    return nullptr;
  napi_throw(env, error);
  return nullptr;
}

napi_value Fail(napi_env env, const char* message) {
  ThrowTypeError(env, message);
  return nullptr;
}

// The elements of the array argument; false when there is none (or the environment refused).
bool ArrayArgument(napi_env env, napi_callback_info info, napi_value* array, uint32_t* length) {
  size_t argc = 1;
  bool isArray = false;
  return napi_get_cb_info(env, info, &argc, array, nullptr, nullptr) == napi_ok && argc >= 1 &&
         napi_is_array(env, *array, &isArray) == napi_ok && isArray &&
         napi_get_array_length(env, *array, length) == napi_ok;
}

// auditQuery(guids: string[]): number[] (bits: 1 success, 2 failure)
napi_value AuditQuery(napi_env env, napi_callback_info info) {
  napi_value list;
  uint32_t length = 0;
  if (!ArrayArgument(env, info, &list, &length)) return Fail(env, "auditQuery(guids)");
  std::vector<std::string> guids(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value guid;
    if (napi_get_element(env, list, i, &guid) != napi_ok || !GetString(env, guid, &guids[i]))
      return Fail(env, "auditQuery(guids): guids must be strings");
  }
  std::vector<uint32_t> bits;
  AuditError error;
  if (!QueryAuditPolicy(guids, bits, error)) return ThrowAuditError(env, error);
  napi_value out;
  if (napi_create_array_with_length(env, bits.size(), &out) != napi_ok) return nullptr;
  for (size_t i = 0; i < bits.size(); ++i) {
    napi_value n;
    if (!MakeNumber(env, bits[i], &n) || !SetElement(env, out, static_cast<uint32_t>(i), n)) return nullptr;
  }
  return out;
}

// auditSet(entries: Array<{ guid: string, bits: number }>): void
napi_value AuditSet(napi_env env, napi_callback_info info) {
  constexpr const char* kUsage = "auditSet(entries): entries must be { guid, bits }";
  napi_value list;
  uint32_t length = 0;
  if (!ArrayArgument(env, info, &list, &length)) return Fail(env, "auditSet(entries)");
  std::vector<std::pair<std::string, uint32_t>> entries(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value entry, guid, bits;
    napi_valuetype type;
    if (napi_get_element(env, list, i, &entry) != napi_ok || napi_typeof(env, entry, &type) != napi_ok ||
        type != napi_object || napi_get_named_property(env, entry, "guid", &guid) != napi_ok ||
        napi_get_named_property(env, entry, "bits", &bits) != napi_ok || !GetString(env, guid, &entries[i].first) ||
        napi_get_value_uint32(env, bits, &entries[i].second) != napi_ok)
      return Fail(env, kUsage);
  }
  AuditError error;
  if (!SetAuditPolicy(entries, error)) return ThrowAuditError(env, error);
  return nullptr;
}

}  // namespace

bool AddAuditFunctions(napi_env env, napi_value exports) {
  return SetFunction(env, exports, "auditQuery", AuditQuery) && SetFunction(env, exports, "auditSet", AuditSet);
}
#else
bool AddAuditFunctions(napi_env, napi_value) { return true; }
#endif

}  // namespace wfp
