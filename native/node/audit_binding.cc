#include "node/audit_binding.h"

#ifdef _WIN32
#include <string>
#include <utility>
#include <vector>

#include "node/napi_errors.h"
#include "win/audit_policy.h"
#endif

namespace wfp {

#ifdef _WIN32
namespace {

Napi::Value ThrowAuditError(Napi::Env env, const AuditError& e) {
  return ThrowUnlessPending(env, [&] {
    Napi::Error error = Napi::Error::New(env, e.message);
    error.Set("code", Napi::String::New(env, e.code->name));
    error.Set("systemCode", Napi::Number::New(env, e.systemCode));
    return error;
  });
}

Napi::Value TypeError(Napi::Env env, const char* message) { return ThrowTypeError(env, message); }

// auditQuery(guids: string[]): number[] (bits: 1 success, 2 failure)
Napi::Value AuditQuery(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) return TypeError(env, "auditQuery(guids)");
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::string> guids;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value guid = list.Get(i);
    if (!guid.IsString()) return TypeError(env, "auditQuery(guids): guids must be strings");
    guids.push_back(guid.As<Napi::String>().Utf8Value());
  }
  std::vector<uint32_t> bits;
  AuditError error;
  if (!QueryAuditPolicy(guids, bits, error)) return ThrowAuditError(env, error);
  Napi::Array out = Napi::Array::New(env, bits.size());
  for (size_t i = 0; i < bits.size(); ++i) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, bits[i]));
  return out;
}

// auditSet(entries: Array<{ guid: string, bits: number }>): void
Napi::Value AuditSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) return TypeError(env, "auditSet(entries)");
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::pair<std::string, uint32_t>> entries;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value entry = list.Get(i);
    if (!entry.IsObject()) return TypeError(env, "auditSet(entries): entries must be { guid, bits }");
    Napi::Value guid = entry.As<Napi::Object>().Get("guid");
    Napi::Value bits = entry.As<Napi::Object>().Get("bits");
    if (!guid.IsString() || !bits.IsNumber())
      return TypeError(env, "auditSet(entries): entries must be { guid, bits }");
    entries.emplace_back(guid.As<Napi::String>().Utf8Value(), bits.As<Napi::Number>().Uint32Value());
  }
  AuditError error;
  if (!SetAuditPolicy(entries, error)) return ThrowAuditError(env, error);
  return env.Undefined();
}

}  // namespace

void AddAuditFunctions(Napi::Env env, Napi::Object exports) {
  exports.Set("auditQuery", Napi::Function::New(env, AuditQuery, "auditQuery"));
  exports.Set("auditSet", Napi::Function::New(env, AuditSet, "auditSet"));
}
#else
void AddAuditFunctions(Napi::Env, Napi::Object) {}
#endif

}  // namespace wfp
