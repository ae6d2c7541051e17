// The Node-API face of one watcher: a dedicated thread running an EventSource into a Pipeline, and one
// thread-safe function that wakes JavaScript when batches wait in the DeliveryQueue.
//
// Lifecycle rules (see the README's "Lifecycle" section for why each exists):
// - Core is shared by the JS object and the thread-safe function; the last owner frees it, on the JS
//   thread, after the thread was joined. Queued calls therefore never see a freed Core.
// - The producer thread releases the thread-safe function when its source ends, so a finished watcher
//   lets the process exit; ref()/unref() decide it while the thread runs.
// - An environment cleanup hook stops and joins the thread before Node tears the environment down
//   (process exit, worker termination), so no thread outlives the addon's code.
// - Every Node-API call is a raw napi_* call whose result is checked, giving up at the first failure
//   (napi_values.h): during teardown JavaScript may not run, calls fail or leave an exception
//   pending, and node-addon-api would turn that into a fatal error that aborts the host.
#include "node/watcher.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

#include "enrich/enricher.h"
#include "model/event_catalog.h"
#include "node/napi_options.h"
#include "node/napi_values.h"
#include "util/decimal.h"
#include "pipeline/pipeline.h"
#include "sources/source_options.h"
#include "util/thread_name.h"

namespace wfp {
namespace {

struct Core {
  Core(size_t highWaterMark, PipelineOptions options)
      : queue(highWaterMark, [this] { Wake(); }), pipeline(std::move(options), queue) {}

  ~Core() {
    Stop();
    Join();
  }

  void Wake() {
    // Only the producer thread calls this, and only before it releases the function.
    napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking);
  }
  void Stop() {
    queue.Stop();
    if (source) source->Interrupt();
  }
  void Join() {
    if (thread.joinable()) thread.join();
  }

  DeliveryQueue queue;
  Pipeline pipeline;
  std::unique_ptr<EventSource> source;
  std::thread thread;
  napi_threadsafe_function tsfn = nullptr;
  // JS thread only:
  bool tsfnAlive = false;
  bool closing = false;
  bool cleanupHookActive = false;
};

using CoreRef = std::shared_ptr<Core>;

void CleanupHook(void* arg) {
  Core* core = static_cast<Core*>(arg);
  core->cleanupHookActive = false;
  core->Stop();
  core->Join();
}

void FinalizeTsfn(napi_env env, void* data, void*) {
  CoreRef* holder = static_cast<CoreRef*>(data);
  Core* core = holder->get();
  core->tsfnAlive = false;
  core->Join();
  if (core->cleanupHookActive) {
    napi_remove_env_cleanup_hook(env, CleanupHook, core);
    core->cleanupHookActive = false;
  }
  delete holder;
}

bool MakeIssues(napi_env env, const std::vector<BatchIssue>& issues, napi_value* out) {
  if (napi_create_array_with_length(env, issues.size(), out) != napi_ok) return false;
  for (size_t i = 0; i < issues.size(); ++i) {
    const BatchIssue& issue = issues[i];
    napi_value obj, code, fatal, message, input, offset, at;
    if (napi_create_object(env, &obj) != napi_ok || !MakeString(env, issue.code->name, &code) ||
        napi_get_boolean(env, issue.code->fatal, &fatal) != napi_ok ||
        !MakeString(env, issue.message, &message) || napi_create_uint32(env, issue.atEvent, &at) != napi_ok)
      return false;
    if (issue.input.empty() ? napi_get_null(env, &input) != napi_ok : !MakeString(env, issue.input, &input))
      return false;
    if (issue.offset < 0 ? napi_get_null(env, &offset) != napi_ok
                         : napi_create_double(env, static_cast<double>(issue.offset), &offset) != napi_ok)
      return false;
    napi_value systemCode, hint;
    if (issue.systemCode < 0 ? napi_get_null(env, &systemCode) != napi_ok
                             : napi_create_double(env, static_cast<double>(issue.systemCode), &systemCode) != napi_ok)
      return false;
    if (issue.hint.empty() ? napi_get_null(env, &hint) != napi_ok : !MakeString(env, issue.hint, &hint)) return false;
    if (!SetNamed(env, obj, "systemCode", systemCode) || !SetNamed(env, obj, "hint", hint)) return false;
    if (!SetNamed(env, obj, "code", code) || !SetNamed(env, obj, "fatal", fatal) || !SetNamed(env, obj, "message", message) ||
        !SetNamed(env, obj, "input", input) || !SetNamed(env, obj, "offset", offset) ||
        !SetNamed(env, obj, "atEvent", at) || napi_set_element(env, *out, static_cast<uint32_t>(i), obj) != napi_ok)
      return false;
  }
  return true;
}

bool MakeGaps(napi_env env, const std::vector<BatchGap>& gaps, napi_value* out) {
  if (napi_create_array_with_length(env, gaps.size(), out) != napi_ok) return false;
  for (size_t i = 0; i < gaps.size(); ++i) {
    napi_value obj, at, message;
    if (napi_create_object(env, &obj) != napi_ok || napi_create_uint32(env, gaps[i].atEvent, &at) != napi_ok ||
        !MakeString(env, gaps[i].message, &message) || !SetNamed(env, obj, "atEvent", at) ||
        !SetNamed(env, obj, "message", message) || napi_set_element(env, *out, static_cast<uint32_t>(i), obj) != napi_ok)
      return false;
  }
  return true;
}

bool MakePolicyChanges(napi_env env, const std::vector<BatchPolicyChange>& changes, napi_value* out) {
  if (napi_create_array_with_length(env, changes.size(), out) != napi_ok) return false;
  for (size_t i = 0; i < changes.size(); ++i) {
    const BatchPolicyChange& c = changes[i];
    napi_value obj, at, recordId, time, guid, bits;
    if (napi_create_object(env, &obj) != napi_ok || napi_create_uint32(env, c.atEvent, &at) != napi_ok ||
        napi_create_double(env, static_cast<double>(c.recordId), &recordId) != napi_ok ||
        napi_create_double(env, c.timeMs, &time) != napi_ok || !MakeString(env, c.subcategoryGuid, &guid) ||
        napi_create_uint32(env, c.changes, &bits) != napi_ok)
      return false;
    if (!SetNamed(env, obj, "atEvent", at) || !SetNamed(env, obj, "recordId", recordId) ||
        !SetNamed(env, obj, "timeMs", time) || !SetNamed(env, obj, "subcategoryGuid", guid) ||
        !SetNamed(env, obj, "changes", bits) || napi_set_element(env, *out, static_cast<uint32_t>(i), obj) != napi_ok)
      return false;
  }
  return true;
}

bool MakeBatch(napi_env env, const Batch& batch, napi_value* out) {
  napi_value strings, buffer, numbers, events, issues, gaps, policyChanges;
  void* bytes = nullptr;
  const size_t size = batch.numbers.size() * sizeof(double);
  if (napi_create_object(env, out) != napi_ok || !MakeString(env, batch.strings, &strings) ||
      napi_create_arraybuffer(env, size, &bytes, &buffer) != napi_ok ||
      napi_create_typedarray(env, napi_float64_array, batch.numbers.size(), buffer, 0, &numbers) != napi_ok ||
      napi_create_uint32(env, batch.events, &events) != napi_ok || !MakeIssues(env, batch.issues, &issues) ||
      !MakeGaps(env, batch.gaps, &gaps) ||
      !MakePolicyChanges(env, batch.policyChanges, &policyChanges))
    return false;
  if (size) std::memcpy(bytes, batch.numbers.data(), size);
  return SetNamed(env, *out, "strings", strings) && SetNamed(env, *out, "numbers", numbers) &&
         SetNamed(env, *out, "events", events) && SetNamed(env, *out, "issues", issues) && SetNamed(env, *out, "gaps", gaps) &&
         SetNamed(env, *out, "policyChanges", policyChanges);
}

bool MakeSignal(napi_env env, bool drained, bool ended, napi_value* out) {
  napi_value d, e;
  return napi_create_object(env, out) == napi_ok && napi_get_boolean(env, drained, &d) == napi_ok &&
         napi_get_boolean(env, ended, &e) == napi_ok && SetNamed(env, *out, "drained", d) &&
         SetNamed(env, *out, "ended", e);
}

// Calls the JS callback. An exception it throws goes to the process as uncaught, like any event
// listener's, instead of vanishing (Node 20 otherwise only prints a deprecation warning).
bool Invoke(napi_env env, napi_value callback, napi_value arg) {
  napi_value global, ignored;
  if (napi_get_global(env, &global) != napi_ok) return false;
  napi_status status = napi_call_function(env, global, callback, 1, &arg, &ignored);
  if (status == napi_pending_exception) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
    return false;
  }
  return status == napi_ok;
}

void CallJs(napi_env env, napi_value callback, void* context, void*) {
  if (!env) return;  // the function is being torn down; nothing can run
  Core& core = **static_cast<CoreRef*>(context);
  DeliveryQueue::Taken taken = core.queue.Take();
  for (const Batch& batch : taken.batches) {
    if (core.closing) break;  // after close() nothing more is delivered
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value value;
    bool ok = MakeBatch(env, batch, &value) && Invoke(env, callback, value);
    napi_close_handle_scope(env, scope);
    if (!ok) return;
  }
  if (taken.ended || (taken.drained && !core.closing)) {
    napi_value value;
    if (MakeSignal(env, taken.drained, taken.ended, &value)) Invoke(env, callback, value);
  }
}

void RunThread(Core* core) {
  SetCurrentThreadName("wfp-blocks");
  core->source->Run(core->pipeline);
  core->pipeline.Finish();
  core->queue.MarkEnded();
  napi_release_threadsafe_function(core->tsfn, napi_tsfn_release);
}

// What the JavaScript object holds. `core` is null when construction failed part way (possible only in
// an environment that is shutting down, where the TypeError could not be thrown): every method then
// does nothing.
struct Handle {
  CoreRef core;
};

void FinalizeHandle(napi_env, void* data, void*) { delete static_cast<Handle*>(data); }

// The handle of `this` and up to `argc` arguments; null when there is none (or the call failed).
Handle* Unwrap(napi_env env, napi_callback_info info, size_t* argc = nullptr, napi_value* argv = nullptr) {
  napi_value self;
  void* data = nullptr;
  size_t none = 0;
  if (napi_get_cb_info(env, info, argc ? argc : &none, argv, &self, nullptr) != napi_ok ||
      napi_unwrap(env, self, &data) != napi_ok)
    return nullptr;
  return static_cast<Handle*>(data);
}

Core* CoreOf(napi_env env, napi_callback_info info) {
  Handle* handle = Unwrap(env, info);
  return handle ? handle->core.get() : nullptr;
}

bool TypeIs(napi_env env, napi_value value, napi_valuetype expected) {
  napi_valuetype type;
  return napi_typeof(env, value, &type) == napi_ok && type == expected;
}

// new Watcher(options, callback)
napi_value Construct(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  if (napi_get_cb_info(env, info, &argc, argv, &self, nullptr) != napi_ok) return nullptr;
  if (argc < 2 || !TypeIs(env, argv[0], napi_object) || !TypeIs(env, argv[1], napi_function)) {
    ThrowTypeError(env, "Watcher(options, callback): expected an object and a function");
    return nullptr;
  }
  Handle* handle = new Handle;
  if (napi_wrap(env, self, handle, FinalizeHandle, nullptr, nullptr) != napi_ok) {
    delete handle;
    ThrowTypeError(env, "Watcher: cannot wrap the object");
    return nullptr;
  }

  // The TypeScript layer validates options for users; these checks only guard the boundary.
  NapiOptionReader options(env, argv[0]);
  const SourceType* type = FindSourceType(options.String("source").value_or(""));
  if (!type && !options.failed()) options.Fail("source must be one of the sources this build has");
  const double hwm = options.Number("highWaterMark").value_or(0);
  if (!(hwm >= 1) && !options.failed()) options.Fail("highWaterMark must be a number >= 1");
  bool wanted[kKindCount] = {};
  for (const std::string& name : options.Strings("kinds").value_or(std::vector<std::string>{})) {
    std::optional<Kind> kind = ParseKind(name);
    if (!kind) options.Fail("kinds contains an unknown kind");
    else wanted[static_cast<size_t>(*kind)] = true;
  }
  PipelineOptions pipeline;
  pipeline.selection = EventSelection::Of(wanted, options.Bool("includeAllowed").value_or(false));
  pipeline.policyChanges = options.Bool("policyChanges").value_or(false);
  pipeline.afterRecordId = SaturatedU64(options.Number("afterRecordId").value_or(0));
  pipeline.coalesceMs = options.Number("coalesceMs").value_or(0);
  const bool enrich = options.Bool("enrich").value_or(false);
  if (options.failed()) {
    ThrowTypeError(env, options.error());
    return nullptr;
  }
  pipeline.recordIdsAscend = type->live;
  pipeline.enricher = type->live && enrich ? CreateSystemEnricher() : nullptr;
  pipeline.batchSize = static_cast<uint32_t>(std::max(1.0, std::min(1024.0, hwm / 2)));
  SourceContext context{pipeline.selection, pipeline.policyChanges, nullptr};

  const size_t highWaterMark = hwm < 1e9 ? static_cast<size_t>(hwm) : size_t{1000000000};
  auto core = std::make_shared<Core>(highWaterMark, std::move(pipeline));
  Core* raw = core.get();
  context.streamDrained = [raw] { raw->queue.MarkDrained(); };
  core->source = type->create(options, context);
  if (!core->source) {
    ThrowTypeError(env, options.failed() ? options.error() : "cannot create the source");
    return nullptr;
  }

  napi_value resourceName;
  if (!MakeString(env, "wfp-blocks watcher", &resourceName)) {
    ThrowTypeError(env, "cannot create the thread-safe function");
    return nullptr;
  }
  CoreRef* holder = new CoreRef(core);
  if (napi_create_threadsafe_function(env, argv[1], nullptr, resourceName, 0, 1, holder, FinalizeTsfn, holder,
                                      CallJs, &core->tsfn) != napi_ok) {
    delete holder;
    ThrowTypeError(env, "cannot create the thread-safe function");
    return nullptr;
  }
  core->tsfnAlive = true;
  // Registered after the function, so it runs before the function's own teardown (hooks run LIFO).
  // Without it no thread may start: nothing would join it before the addon is unloaded.
  if (napi_add_env_cleanup_hook(env, CleanupHook, raw) != napi_ok) {
    napi_release_threadsafe_function(core->tsfn, napi_tsfn_abort);
    ThrowTypeError(env, "cannot register the environment cleanup hook");
    return nullptr;
  }
  core->cleanupHookActive = true;
  core->thread = std::thread(RunThread, raw);
  handle->core = std::move(core);
  return self;
}

napi_value Close(napi_env env, napi_callback_info info) {
  if (Core* core = CoreOf(env, info)) {
    core->closing = true;
    core->Stop();
  }
  return nullptr;
}

napi_value Ref(napi_env env, napi_callback_info info) {
  Core* core = CoreOf(env, info);
  if (core && core->tsfnAlive) napi_ref_threadsafe_function(env, core->tsfn);
  return nullptr;
}

napi_value Unref(napi_env env, napi_callback_info info) {
  Core* core = CoreOf(env, info);
  if (core && core->tsfnAlive) napi_unref_threadsafe_function(env, core->tsfn);
  return nullptr;
}

napi_value Pause(napi_env env, napi_callback_info info) {
  if (Core* core = CoreOf(env, info)) core->queue.SetPaused(true);
  return nullptr;
}

napi_value Resume(napi_env env, napi_callback_info info) {
  if (Core* core = CoreOf(env, info)) core->queue.SetPaused(false);
  return nullptr;
}

size_t ElementSize(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: case napi_uint8_array: case napi_uint8_clamped_array: return 1;
    case napi_int16_array: case napi_uint16_array: return 2;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: return 4;
    default: return 8;
  }
}

// write(chunk: Uint8Array): boolean (false: pause the writer until the drained signal)
napi_value Write(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value chunk = nullptr;
  Handle* handle = Unwrap(env, info, &argc, &chunk);
  StreamInput* stream = handle && handle->core ? handle->core->source->streamInput() : nullptr;
  bool isTypedArray = false;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!stream || argc < 1 || napi_is_typedarray(env, chunk, &isTypedArray) != napi_ok || !isTypedArray ||
      napi_get_typedarray_info(env, chunk, &type, &length, &data, nullptr, nullptr) != napi_ok) {
    ThrowTypeError(env, "write(chunk) needs a stream watcher and a Uint8Array");
    return nullptr;
  }
  napi_value result;
  const bool more = stream->Write(static_cast<const char*>(data), length * ElementSize(type));
  return MakeBool(env, more, &result) ? result : nullptr;
}

napi_value End(napi_env env, napi_callback_info info) {
  Core* core = CoreOf(env, info);
  if (StreamInput* stream = core ? core->source->streamInput() : nullptr) stream->End();
  return nullptr;
}

}  // namespace

bool DefineWatcherClass(napi_env env, napi_value* out) {
  auto method = [](const char* name, napi_callback callback) {
    return napi_property_descriptor{name, nullptr, callback, nullptr, nullptr, nullptr, napi_default, nullptr};
  };
  const napi_property_descriptor methods[] = {
      method("close", Close),   method("ref", Ref),     method("unref", Unref), method("pause", Pause),
      method("resume", Resume), method("write", Write), method("end", End),
  };
  return napi_define_class(env, "Watcher", NAPI_AUTO_LENGTH, Construct, nullptr, std::size(methods), methods, out) ==
         napi_ok;
}

}  // namespace wfp
