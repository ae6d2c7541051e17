// Module entry: the Watcher class and the slot layout of the batch wire format. No per-process state:
// every watcher owns what it uses, so the addon loads in several environments (worker threads) at once.
#include <napi.h>

#include "batch.h"
#include "watcher.h"
#ifdef _WIN32
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
      {"interfaceIndex", wfp::kInterfaceIndex}, {"dataCount", wfp::kDataCount},
      {"header", wfp::kHeaderSlots},
  };
  for (const auto& [name, slot] : layout) slots.Set(name, Napi::Number::New(env, slot));
  return slots;
}

#ifdef _WIN32
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
#endif

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Watcher", wfp::Watcher::Define(env));
  exports.Set("slots", Slots(env));
#ifdef _WIN32
  exports.Set("bookmarkXml", Napi::Function::New(env, BookmarkXml, "bookmarkXml"));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(wfp_blocks, Init)
