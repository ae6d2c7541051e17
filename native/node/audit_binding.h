// The audit policy functions of the binding (Windows only): auditQuery and auditSet, thin wrappers of
// win/audit_policy.h that throw a typed { code, systemCode } error.
#pragma once

#include <node_api.h>

namespace wfp {
// Adds auditQuery and auditSet to `exports` on Windows; nothing elsewhere. False when the environment
// refused (it is shutting down).
bool AddAuditFunctions(napi_env env, napi_value exports);
}  // namespace wfp
