// Module entry: the Watcher class and the slot layout of the batch wire format. No per-process state:
// every watcher owns what it uses, so the addon loads in several environments (worker threads) at once.
#include <napi.h>

#include "batch.h"
#include "watcher.h"

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

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Watcher", wfp::Watcher::Define(env));
  exports.Set("slots", Slots(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(wfp_blocks, Init)
