// The audit policy functions of the binding (Windows only): auditQuery and auditSet, thin wrappers of
// win/audit_policy.h that throw a typed { code, systemCode } error.
#pragma once

#include <napi.h>

namespace wfp {
// Adds auditQuery and auditSet to `exports` on Windows; nothing elsewhere.
void AddAuditFunctions(Napi::Env env, Napi::Object exports);
}  // namespace wfp
