// Module entry: the Watcher class, and the tables JavaScript needs from the native side (the batch
// slot layout, the error codes with their fatality, the event catalogue, the source types), each
// derived from the one place it is defined. No per-process state: every watcher owns what it uses, so
// the addon loads in several environments (worker threads) at once. Raw napi_* calls, checked, that
// give up at the first failure (napi_values.h): a worker can be terminated while it loads the addon.
#include <node_api.h>

#include "model/bookmark.h"
#include "model/error_codes.h"
#include "model/event_catalog.h"
#include "node/audit_binding.h"
#include "node/napi_values.h"
#include "util/decimal.h"
#include "node/watcher.h"
#include "pipeline/batch.h"
#include "sources/source_options.h"

namespace wfp {
namespace {

bool SetNumber(napi_env env, napi_value object, const char* key, double value) {
  napi_value v;
  return MakeNumber(env, value, &v) && SetNamed(env, object, key, v);
}

bool SetString(napi_env env, napi_value object, const char* key, std::string_view value) {
  napi_value v;
  return MakeString(env, value, &v) && SetNamed(env, object, key, v);
}

bool SetBool(napi_env env, napi_value object, const char* key, bool value) {
  napi_value v;
  return MakeBool(env, value, &v) && SetNamed(env, object, key, v);
}

bool Slots(napi_env env, napi_value* out) {
  if (napi_create_object(env, out) != napi_ok) return false;
#define WFP_SLOT_EXPORT(slot, name) \
  if (!SetNumber(env, *out, name, slot)) return false;
  WFP_BATCH_SLOTS(WFP_SLOT_EXPORT)
#undef WFP_SLOT_EXPORT
  return true;
}

// { ERR_...: fatal }
bool ErrorCodes(napi_env env, napi_value* out) {
  if (napi_create_object(env, out) != napi_ok) return false;
  for (const ErrorCode* code : kAllErrorCodes)
    if (!SetBool(env, *out, code->name, code->fatal)) return false;
  return true;
}

bool StringArray(napi_env env, const std::string_view* items, size_t count, napi_value* out) {
  if (napi_create_array_with_length(env, count, out) != napi_ok) return false;
  for (size_t i = 0; i < count; ++i) {
    napi_value s;
    if (!MakeString(env, items[i], &s) || !SetElement(env, *out, static_cast<uint32_t>(i), s)) return false;
  }
  return true;
}

// { kinds, subcategories: [{ key, guid, name }], events: [{ id, role, kind, action, subcategory, outcome, title }] }
bool Catalog(napi_env env, napi_value* out) {
  napi_value kinds, subcategories, events, null;
  if (napi_create_object(env, out) != napi_ok || napi_get_null(env, &null) != napi_ok ||
      !StringArray(env, kKindNames, std::size(kKindNames), &kinds) ||
      napi_create_array_with_length(env, std::size(kSubcategories), &subcategories) != napi_ok ||
      napi_create_array_with_length(env, std::size(kEvents), &events) != napi_ok)
    return false;
  for (size_t i = 0; i < std::size(kSubcategories); ++i) {
    const SubcategoryInfo& s = kSubcategories[i];
    napi_value o;
    if (napi_create_object(env, &o) != napi_ok || !SetString(env, o, "key", s.key) ||
        !SetString(env, o, "guid", s.guid) || !SetString(env, o, "name", s.name) ||
        !SetElement(env, subcategories, static_cast<uint32_t>(i), o))
      return false;
  }
  for (size_t i = 0; i < std::size(kEvents); ++i) {
    const EventInfo& e = kEvents[i];
    const bool traffic = e.role == Role::Traffic;
    napi_value o, kind = null, action = null;
    if (traffic && (!MakeString(env, kKindNames[static_cast<size_t>(e.kind)], &kind) ||
                    !MakeString(env, kActionNames[static_cast<size_t>(e.action)], &action)))
      return false;
    if (napi_create_object(env, &o) != napi_ok || !SetNumber(env, o, "id", e.id) ||
        !SetString(env, o, "role", traffic ? "traffic" : "policyChange") || !SetNamed(env, o, "kind", kind) ||
        !SetNamed(env, o, "action", action) ||
        !SetString(env, o, "subcategory", kSubcategories[static_cast<size_t>(e.subcategory)].key) ||
        !SetString(env, o, "outcome", e.outcome == Outcome::Success ? "success" : "failure") ||
        !SetString(env, o, "title", e.title) || !SetElement(env, events, static_cast<uint32_t>(i), o))
      return false;
  }
  return SetNamed(env, *out, "kinds", kinds) && SetNamed(env, *out, "subcategories", subcategories) &&
         SetNamed(env, *out, "events", events);
}

// { name: live } for the sources this build has.
bool SourceTypes(napi_env env, napi_value* out) {
  if (napi_create_object(env, out) != napi_ok) return false;
  for (const SourceType* type : AllSourceTypes()) {
    napi_value name, live;
    if (!MakeString(env, type->name, &name) || !MakeBool(env, type->live, &live) ||
        napi_set_property(env, *out, name, live) != napi_ok)
      return false;
  }
  return true;
}

// bookmarkXml(recordId: number): string, the bookmark a watcher gives out after a record: the XML
// Windows renders for it.
napi_value BookmarkXmlOf(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg = nullptr, out;
  double recordId = 0;
  if (napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr) != napi_ok) return nullptr;
  if (argc < 1 || napi_get_value_double(env, arg, &recordId) != napi_ok) {
    ThrowTypeError(env, "bookmarkXml(recordId)");
    return nullptr;
  }
  return MakeString(env, BookmarkXml(SaturatedU64(recordId)), &out) ? out : nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value watcher, slots, errorCodes, catalog, sourceTypes;
  if (!DefineWatcherClass(env, &watcher) || !SetNamed(env, exports, "Watcher", watcher) || !Slots(env, &slots) ||
      !SetNamed(env, exports, "slots", slots) || !ErrorCodes(env, &errorCodes) ||
      !SetNamed(env, exports, "errorCodes", errorCodes) || !Catalog(env, &catalog) ||
      !SetNamed(env, exports, "catalog", catalog) || !SourceTypes(env, &sourceTypes) ||
      !SetNamed(env, exports, "sourceTypes", sourceTypes) || !SetFunction(env, exports, "bookmarkXml", BookmarkXmlOf) ||
      !AddAuditFunctions(env, exports))
    return nullptr;
  return exports;
}

}  // namespace
}  // namespace wfp

NAPI_MODULE(wfp_blocks, wfp::Init)
