// Module entry: the Watcher class, and the tables JavaScript needs from the native side (the batch
// slot layout, the error codes with their fatality, the event catalogue, the source types), each
// derived from the one place it is defined. No per-process state: every watcher owns what it uses, so
// the addon loads in several environments (worker threads) at once.
#include <napi.h>

#include "model/bookmark.h"
#include "model/error_codes.h"
#include "model/event_catalog.h"
#include "model/record_values.h"
#include "node/audit_binding.h"
#include "node/napi_errors.h"
#include "node/watcher.h"
#include "pipeline/batch.h"
#include "sources/source_options.h"
#include "util/decimal.h"

namespace {

Napi::Object Slots(Napi::Env env) {
  Napi::Object slots = Napi::Object::New(env);
#define WFP_SLOT_EXPORT(slot, name) slots.Set(name, Napi::Number::New(env, wfp::slot));
  WFP_BATCH_SLOTS(WFP_SLOT_EXPORT)
#undef WFP_SLOT_EXPORT
  return slots;
}

// { ERR_...: fatal }
Napi::Object ErrorCodes(Napi::Env env) {
  Napi::Object codes = Napi::Object::New(env);
  for (const wfp::ErrorCode* code : wfp::kAllErrorCodes) codes.Set(code->name, Napi::Boolean::New(env, code->fatal));
  return codes;
}

Napi::String Str(Napi::Env env, std::string_view s) { return Napi::String::New(env, s.data(), s.size()); }

// { kinds, decidedBy, changes, channels, messages, subcategories: [{ key, guid, name }],
//   events: [{ id, role, kind, action, subcategory, outcome, title, change, channel }] }
Napi::Object Catalog(Napi::Env env) {
  Napi::Object catalog = Napi::Object::New(env);
  Napi::Array kinds = Napi::Array::New(env);
  for (size_t i = 0; i < std::size(wfp::kKindNames); ++i)
    kinds.Set(static_cast<uint32_t>(i), Str(env, wfp::kKindNames[i]));
  auto names = [&](const auto& table) {
    Napi::Array out = Napi::Array::New(env);
    for (size_t i = 0; i < std::size(table); ++i) out.Set(static_cast<uint32_t>(i), Str(env, table[i]));
    return out;
  };
  Napi::Array subcategories = Napi::Array::New(env);
  for (size_t i = 0; i < std::size(wfp::kSubcategories); ++i) {
    const wfp::SubcategoryInfo& s = wfp::kSubcategories[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("key", Str(env, s.key));
    o.Set("guid", Str(env, s.guid));
    o.Set("name", Str(env, s.name));
    subcategories.Set(static_cast<uint32_t>(i), o);
  }
  Napi::Array events = Napi::Array::New(env);
  for (size_t i = 0; i < std::size(wfp::kEvents); ++i) {
    const wfp::EventInfo& e = wfp::kEvents[i];
    const bool traffic = e.role == wfp::Role::Traffic;
    const bool change = e.role == wfp::Role::RuleChange;
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", Napi::Number::New(env, e.id));
    o.Set("role", Str(env, traffic ? "traffic" : change ? "ruleChange" : "policyChange"));
    o.Set("kind", traffic ? Napi::Value(Str(env, wfp::kKindNames[static_cast<size_t>(e.kind)])) : env.Null());
    o.Set("action", traffic ? Napi::Value(Str(env, wfp::kActionNames[static_cast<size_t>(e.action)])) : env.Null());
    o.Set("subcategory", e.subcategory == wfp::Subcategory::None
                             ? env.Null()
                             : Napi::Value(Str(env, wfp::kSubcategories[static_cast<size_t>(e.subcategory)].key)));
    o.Set("outcome", e.outcome == wfp::Outcome::None
                         ? env.Null()
                         : Napi::Value(Str(env, e.outcome == wfp::Outcome::Success ? "success" : "failure")));
    o.Set("title", Str(env, e.title));
    o.Set("change", change ? Napi::Value(Str(env, wfp::kChangeNames[static_cast<size_t>(e.change)])) : env.Null());
    o.Set("channel", Str(env, wfp::kChannelNames[static_cast<size_t>(e.channel)]));
    events.Set(static_cast<uint32_t>(i), o);
  }
  catalog.Set("kinds", kinds);
  catalog.Set("decidedBy", names(wfp::kDecidedByNames));
  catalog.Set("decidedByFilterNames", names(wfp::kDecidedByFilterNames));
  catalog.Set("changes", names(wfp::kChangeNames));
  catalog.Set("channels", names(wfp::kChannelNames));
  Napi::Object messages = Napi::Object::New(env);
  for (const auto& [id, text] : wfp::kMessages) messages.Set(std::to_string(id), Str(env, text));
  catalog.Set("messages", messages);
  catalog.Set("subcategories", subcategories);
  catalog.Set("events", events);
  return catalog;
}

// { name: live } for the sources this build has.
Napi::Object SourceTypes(Napi::Env env) {
  Napi::Object types = Napi::Object::New(env);
  for (const wfp::SourceType* type : wfp::AllSourceTypes())
    types.Set(Str(env, type->name), Napi::Boolean::New(env, type->live));
  return types;
}

// The bookmark a live watcher gives out: the XML Windows renders for its position in each log.
// bookmarkXml(recordIds): one entry per channel of catalog.channels, the record ID as decimal text or
// null where the watcher has no position in that log; at least one is given.
Napi::Value BookmarkXml(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto refuse = [&] {
    return wfp::ThrowTypeError(env, "bookmarkXml(recordIds): one decimal record ID or null per channel, not all null");
  };
  if (info.Length() < 1 || !info[0].IsArray()) return refuse();
  Napi::Array given = info[0].As<Napi::Array>();
  if (given.Length() != wfp::kChannelCount) return refuse();
  wfp::ChannelRecordIds recordIds;
  bool any = false;
  for (uint32_t i = 0; i < wfp::kChannelCount; ++i) {
    Napi::Value v = given.Get(i);
    if (v.IsNull()) continue;
    uint64_t recordId = 0;
    if (!v.IsString() || !wfp::ParseDecimal(v.As<Napi::String>().Utf8Value(), recordId)) return refuse();
    recordIds[i] = recordId;
    any = true;
  }
  if (!any) return refuse();
  return Napi::String::New(env, wfp::BookmarkXml(recordIds));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Watcher", wfp::Watcher::Define(env));
  exports.Set("slots", Slots(env));
  exports.Set("errorCodes", ErrorCodes(env));
  exports.Set("catalog", Catalog(env));
  exports.Set("sourceTypes", SourceTypes(env));
  exports.Set("bookmarkXml", Napi::Function::New(env, BookmarkXml, "bookmarkXml"));
  wfp::AddAuditFunctions(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(wfp_blocks, Init)
