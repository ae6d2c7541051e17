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
// - Values are built with raw napi_* calls that give up at the first failure: during teardown
//   JavaScript may not run, and that must not turn into a fatal error.
#include "node/watcher.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

#include "enrich/enricher.h"
#include "model/event_catalog.h"
#include "node/batch_value.h"
#include "node/napi_errors.h"
#include "node/napi_options.h"
#include "pipeline/export_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/resume_point.h"
#include "sources/source_options.h"
#include "util/thread_name.h"

namespace wfp {
namespace {

// The sink is the Pipeline (events), or for an export the ExportSink (every record as text).
struct Core {
  Core(size_t highWaterMark, PipelineOptions options, std::optional<ExportFormat> exportFormat)
      : queue(highWaterMark, [this] { Wake(); }),
        pipeline(exportFormat ? nullptr : std::make_unique<Pipeline>(std::move(options), queue)),
        exporter(exportFormat ? std::make_unique<ExportSink>(*exportFormat, options.batchSize, queue) : nullptr) {}

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

  RecordSink& sink() { return pipeline ? static_cast<RecordSink&>(*pipeline) : *exporter; }
  void FinishSink() {
    if (pipeline)
      pipeline->Finish();
    else
      exporter->Finish();
  }

  DeliveryQueue queue;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<ExportSink> exporter;
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
  for (Batch& batch : taken.batches) {
    if (core.closing) break;  // after close() nothing more is delivered
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value value;
    bool ok = MakeBatchValue(env, batch, &value) && Invoke(env, callback, value);
    napi_close_handle_scope(env, scope);
    if (!ok) return;
  }
  if (taken.ended || (taken.drained && !core.closing)) {
    napi_value value;
    if (MakeSignalValue(env, taken.drained, taken.ended, &value)) Invoke(env, callback, value);
  }
}

void RunThread(Core* core) {
  SetCurrentThreadName("wfp-blocks");
  core->source->Run(core->sink());
  core->FinishSink();
  core->queue.MarkEnded();
  napi_release_threadsafe_function(core->tsfn, napi_tsfn_release);
}

// The `filter*` options (lib/filter.ts has validated them for users; these checks guard the boundary).
void ReadFilter(OptionReader& options, EventFilter& filter) {
  if (std::optional<double> since = options.Number("filterSinceMs")) filter.SetSince(*since);
  if (std::optional<double> until = options.Number("filterUntilMs")) filter.SetUntil(*until);
  const struct {
    const char* name;
    bool (EventFilter::*add)(std::string_view);
  } lists[] = {
      {"filterEventIds", &EventFilter::AddEventId},  {"filterDirections", &EventFilter::AddDirection},
      {"filterActions", &EventFilter::AddAction},    {"filterApplications", &EventFilter::AddApplication},
      {"filterAddresses", &EventFilter::AddAddress}, {"filterPorts", &EventFilter::AddPorts},
  };
  for (const auto& list : lists) {
    for (const std::string& value : options.Strings(list.name).value_or(std::vector<std::string>{}))
      if (!(filter.*list.add)(value)) options.Fail(std::string(list.name) + " contains an invalid value: " + value);
  }
}

}  // namespace

// Where a replay resumes (pipeline/resume_point.h reads the text lib/bookmark.ts writes).
ResumePoint ReadResume(OptionReader& options) {
  ResumePoint resume;
  for (const std::string& entry : options.Strings("resumeInputs").value_or(std::vector<std::string>{})) {
    std::optional<ResumeInput> input = ParseResumeInput(entry);
    if (!input) {
      options.Fail("resumeInputs entries must be 'headLength headHash offset done'");
      return resume;
    }
    resume.inputs.push_back(*input);
  }
  if (std::optional<std::string> epoch = options.String("resumeEpoch")) {
    if (!ParseResumeEpoch(*epoch, resume)) options.Fail("resumeEpoch must be 'input end delivered'");
  }
  return resume;
}

// Throws a TypeError (unless an exception is pending); a constructor that returns after it leaves the
// JS `new` throwing.
void Fail(Napi::Env env, const std::string& message) { ThrowTypeError(env, message); }

struct Watcher::State {
  CoreRef core;
};

Napi::Function Watcher::Define(Napi::Env env) {
  return DefineClass(env, "Watcher",
                     {InstanceMethod<&Watcher::Close>("close"), InstanceMethod<&Watcher::Ref>("ref"),
                      InstanceMethod<&Watcher::Unref>("unref"), InstanceMethod<&Watcher::Pause>("pause"),
                      InstanceMethod<&Watcher::Resume>("resume"), InstanceMethod<&Watcher::Write>("write"),
                      InstanceMethod<&Watcher::End>("end")});
}

Watcher::~Watcher() = default;

Watcher::Watcher(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Watcher>(info), state_(new State) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    Fail(env, "Watcher(options, callback): expected an object and a function");
    return;
  }
  Napi::Function callback = info[1].As<Napi::Function>();

  // The TypeScript layer validates options for users; these checks only guard the boundary.
  NapiOptionReader options(env, info[0]);
  const SourceType* type = FindSourceType(options.String("source").value_or(""));
  if (!type && !options.failed()) options.Fail("source must be one of the sources this build has");
  const double hwm = options.Number("highWaterMark").value_or(0);
  if (!(hwm >= 1) && !options.failed()) options.Fail("highWaterMark must be a number >= 1");  // also NaN
  bool wanted[kKindCount] = {};
  for (const std::string& name : options.Strings("kinds").value_or(std::vector<std::string>{})) {
    std::optional<Kind> kind = ParseKind(name);
    if (!kind)
      options.Fail("kinds contains an unknown kind");
    else
      wanted[static_cast<size_t>(*kind)] = true;
  }
  PipelineOptions pipeline;
  pipeline.selection = EventSelection::Of(wanted, options.Bool("includeAllowed").value_or(false));
  pipeline.policyChanges = options.Bool("policyChanges").value_or(false);
  pipeline.ruleChanges = options.Bool("ruleChanges").value_or(false);
  pipeline.afterRecordIds[static_cast<size_t>(Channel::Security)] = options.Decimal("afterRecordId").value_or(0);
  pipeline.afterRecordIds[static_cast<size_t>(Channel::Firewall)] =
      options.Decimal("afterFirewallRecordId").value_or(0);
  pipeline.resume = ReadResume(options);
  pipeline.coalesceMs = options.Number("coalesceMs").value_or(0);
  if (std::optional<double> held = options.Number("coalesceMaxHeld")) {
    if (!(*held >= 1 && *held <= 1e7))
      options.Fail("coalesceMaxHeld must be a number from 1 to 10000000");
    else
      pipeline.coalesceMaxHeld = static_cast<size_t>(*held);
  }
  ReadFilter(options, pipeline.filter);
  if (std::optional<std::string> format = options.String("format")) {
    if (!ParseEventFormat(*format, pipeline.format)) options.Fail("format must be 'json', 'ecs' or 'otel'");
    pipeline.formatContext.packageVersion = options.String("packageVersion").value_or("");
  }
  const bool enrich = options.Bool("enrich").value_or(false);
  std::optional<ExportFormat> exportFormat;
  if (std::optional<std::string> format = options.String("export")) {
    if (*format == "xml")
      exportFormat = ExportFormat::Xml;
    else if (*format == "json")
      exportFormat = ExportFormat::Json;
    else
      options.Fail("export must be 'xml' or 'json'");
  }
  if (options.failed()) {
    Fail(env, options.error());
    return;
  }
  pipeline.recordIdsAscend = type->live;
  // One engine session per live watcher, for the enricher and a source that reads from the engine.
  std::shared_ptr<WfpEngine> engine = type->live ? CreateSharedWfpEngine() : nullptr;
  pipeline.enricher = type->live && enrich ? CreateSystemEnricher(engine) : nullptr;
  pipeline.localAddresses = type->sidesKnown ? nullptr
                            : type->live     ? CreateInterfaceAddresses()
                                             : CreateLearnedAddresses();
  pipeline.batchSize = static_cast<uint32_t>(std::max(1.0, std::min(1024.0, hwm / 2)));
  SourceContext context{pipeline.selection, pipeline.policyChanges, nullptr, engine};

  const size_t highWaterMark = hwm < 1e9 ? static_cast<size_t>(hwm) : size_t{1000000000};  // no cast overflow
  auto core = std::make_shared<Core>(highWaterMark, std::move(pipeline), exportFormat);
  Core* raw = core.get();
  context.streamDrained = [raw] { raw->queue.MarkDrained(); };
  core->source = type->create(options, context);
  if (!core->source) {
    Fail(env, options.failed() ? options.error() : "cannot create the source");
    return;
  }

  napi_value resourceName;
  if (napi_create_string_utf8(env, "wfp-blocks watcher", NAPI_AUTO_LENGTH, &resourceName) != napi_ok) {
    Fail(env, "cannot create the thread-safe function");
    return;
  }
  CoreRef* holder = new CoreRef(core);
  if (napi_create_threadsafe_function(env, callback, nullptr, resourceName, 0, 1, holder, FinalizeTsfn, holder, CallJs,
                                      &core->tsfn) != napi_ok) {
    delete holder;
    {
      Fail(env, "cannot create the thread-safe function");
      return;
    }
  }
  core->tsfnAlive = true;
  // Registered after the function, so it runs before the function's own teardown (hooks run LIFO).
  // Without it no thread may start: nothing would join it before the addon is unloaded.
  if (napi_add_env_cleanup_hook(env, CleanupHook, raw) != napi_ok) {
    napi_release_threadsafe_function(core->tsfn, napi_tsfn_abort);
    {
      Fail(env, "cannot register the environment cleanup hook");
      return;
    }
  }
  core->cleanupHookActive = true;
  core->thread = std::thread(RunThread, raw);
  state_->core = std::move(core);
}

// `core` is null when construction failed part way in an environment that is shutting down, where the
// TypeError could not be thrown and `new` may still return the object: every method then does nothing.
Napi::Value Watcher::Close(const Napi::CallbackInfo& info) {
  if (Core* core = state_->core.get()) {
    core->closing = true;
    core->Stop();
  }
  return info.Env().Undefined();
}

Napi::Value Watcher::Ref(const Napi::CallbackInfo& info) {
  Core* core = state_->core.get();
  if (core && core->tsfnAlive) napi_ref_threadsafe_function(info.Env(), core->tsfn);
  return info.Env().Undefined();
}

Napi::Value Watcher::Unref(const Napi::CallbackInfo& info) {
  Core* core = state_->core.get();
  if (core && core->tsfnAlive) napi_unref_threadsafe_function(info.Env(), core->tsfn);
  return info.Env().Undefined();
}

Napi::Value Watcher::Pause(const Napi::CallbackInfo& info) {
  if (Core* core = state_->core.get()) core->queue.SetPaused(true);
  return info.Env().Undefined();
}

Napi::Value Watcher::Resume(const Napi::CallbackInfo& info) {
  if (Core* core = state_->core.get()) core->queue.SetPaused(false);
  return info.Env().Undefined();
}

StreamInput* Watcher::Stream() const {
  Core* core = state_->core.get();
  return core ? core->source->streamInput() : nullptr;
}

// write(chunk: Uint8Array): boolean (false: pause the writer until the drained signal). Raw calls for
// the chunk: node-addon-api's Uint8Array of another typed array is a pending error and a wrong length.
Napi::Value Watcher::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StreamInput* stream = Stream();
  bool isTypedArray = false;
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  if (!stream || info.Length() < 1 || napi_is_typedarray(env, info[0], &isTypedArray) != napi_ok || !isTypedArray ||
      napi_get_typedarray_info(env, info[0], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    return ThrowTypeError(env, "write(chunk) needs a stream watcher and a Uint8Array");
  }
  napi_value more;
  if (napi_get_boolean(env, stream->Write(static_cast<const char*>(data), length), &more) != napi_ok)
    return env.Undefined();
  return Napi::Value(env, more);
}

Napi::Value Watcher::End(const Napi::CallbackInfo& info) {
  if (StreamInput* stream = Stream()) stream->End();
  return info.Env().Undefined();
}

}  // namespace wfp
