// Module entry: the Watcher class and the slot layout of the batch wire format. No per-process state:
// every watcher owns what it uses, so the addon loads in several environments (worker threads) at once.
#include <napi.h>

#include "batch.h"
#include "bookmark.h"
#include "watcher.h"
#ifdef _WIN32
#include "audit_policy_win.h"
#include "eventlog_source.h"
#endif

namespace {

Napi::Object Slots(Napi::Env env) {
  Napi::Object slots = Napi::Object::New(env);
  const std::pair<const char*, wfp::Slot> layout[] = {
      {"eventId", wfp::kEventId},           {"recordId", wfp::kRecordId},
      {"timeMs", wfp::kTimeMs},             {"version", wfp::kVersion},
      {"computer", wfp::kComputer},         {"kind", wfp::kKind},
      {"action", wfp::kAction},             {"direction", wfp::kDirection},
      {"protocol", wfp::kProtocol},         {"protocolName", wfp::kProtocolName},
      {"pid", wfp::kPid},                   {"application", wfp::kApplication},
      {"sourceAddress", wfp::kSourceAddress}, {"sourcePort", wfp::kSourcePort},
      {"destAddress", wfp::kDestAddress},   {"destPort", wfp::kDestPort},
      {"local", wfp::kLocal},               {"remote", wfp::kRemote},
      {"filterId", wfp::kFilterId},         {"filterOrigin", wfp::kFilterOrigin},
      {"layerId", wfp::kLayerId},           {"layerName", wfp::kLayerName},
      {"interfaceIndex", wfp::kInterfaceIndex}, {"applicationPath", wfp::kApplicationPath},
      {"filterName", wfp::kFilterName},     {"filterDescription", wfp::kFilterDescription},
      {"filterProvider", wfp::kFilterProvider}, {"ruleName", wfp::kRuleName},
      {"processName", wfp::kProcessName},   {"services", wfp::kServices},
      {"count", wfp::kCount},
      {"firstTimeMs", wfp::kFirstTimeMs},   {"lastTimeMs", wfp::kLastTimeMs},
      {"dataCount", wfp::kDataCount},
      {"header", wfp::kHeaderSlots},
  };
  for (const auto& [name, slot] : layout) slots.Set(name, Napi::Number::New(env, slot));
  return slots;
}

// The bookmark a watcher gives out after a record: the XML Windows renders for it.
Napi::Value BookmarkXml(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "bookmarkXml(channel, recordId)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::String::New(env, wfp::BookmarkXml(info[0].As<Napi::String>().Utf8Value(),
                                                 static_cast<uint64_t>(info[1].As<Napi::Number>().DoubleValue())));
}

#ifdef _WIN32
Napi::Value ThrowAuditError(Napi::Env env, const wfp::AuditError& e) {
  Napi::Error error = Napi::Error::New(env, e.message);
  error.Set("code", Napi::String::New(env, e.code));
  error.Set("systemCode", Napi::Number::New(env, e.systemCode));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

// auditQuery(guids: string[]): number[] (bits: 1 success, 2 failure)
Napi::Value AuditQuery(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "auditQuery(guids)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::string> guids;
  for (uint32_t i = 0; i < list.Length(); ++i) guids.push_back(list.Get(i).ToString().Utf8Value());
  std::vector<uint32_t> bits;
  wfp::AuditError error;
  if (!wfp::QueryAuditPolicy(guids, bits, error)) return ThrowAuditError(env, error);
  Napi::Array out = Napi::Array::New(env, bits.size());
  for (size_t i = 0; i < bits.size(); ++i) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, bits[i]));
  return out;
}

// auditSet(entries: Array<{ guid: string, bits: number }>): void
Napi::Value AuditSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "auditSet(entries)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array list = info[0].As<Napi::Array>();
  std::vector<std::pair<std::string, uint32_t>> entries;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Object entry = list.Get(i).ToObject();
    entries.emplace_back(entry.Get("guid").ToString().Utf8Value(), entry.Get("bits").ToNumber().Uint32Value());
  }
  wfp::AuditError error;
  if (!wfp::SetAuditPolicy(entries, error)) return ThrowAuditError(env, error);
  return env.Undefined();
}
#endif

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Watcher", wfp::Watcher::Define(env));
  exports.Set("slots", Slots(env));
  exports.Set("bookmarkXml", Napi::Function::New(env, BookmarkXml, "bookmarkXml"));
#ifdef _WIN32
  exports.Set("auditQuery", Napi::Function::New(env, AuditQuery, "auditQuery"));
  exports.Set("auditSet", Napi::Function::New(env, AuditSet, "auditSet"));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(wfp_blocks, Init)
