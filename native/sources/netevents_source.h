// The live source that needs no audit policy: WFP's own net events, on the engine session the enricher
// shares. FwpmNetEventSubscribe<n> (the newest the running Windows exports) delivers what happens from
// now on; FwpmNetEventEnum<n> lists what the engine's buffer still holds, for `from: 'oldest'`, a
// bookmark, and after a reconnection. The callback runs on a thread WFP owns and only copies the event
// into a bounded hand-off and signals the watcher's thread, which maps and delivers the events, checks
// the engine every few seconds (a subscription whose engine went away says nothing), reconnects after
// a failure, and unsubscribes; the engine options it had to turn on are restored when it ends
// (engine_options.h). Windows only. Options: `from`, `bookmark` (a NetEventBookmark string),
// `engineStateFile` (the crash record of changed engine options), `highWaterMark` (bounds the hand-off).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_source.h"
#include "sources/engine_options.h"
#include "sources/net_event.h"
#include "sources/source_options.h"
#include "win/fwp_net_events.h"
#include "win/wfp_engine.h"
#include "win/win32_event.h"

namespace wfp {

class NetEventsSource final : public EventSource {
 public:
  NetEventsSource(LiveStart start, std::optional<NetEventBookmark> bookmark, EventSelection selection,
                  std::shared_ptr<WfpEngine> engine, std::string stateFile, size_t handoffCapacity);
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  ~NetEventsSource() override;
  void Run(RecordSink& sink) override;
  void Interrupt() override;

  // What the WFP callback is given: where to put the event and whom to wake.
  struct CallbackContext {
    NetEventHandoff* handoff;
    void* signal;     // HANDLE
    int version = 0;  // of the FWPM_NET_EVENT structures the subscription delivers
  };

 private:
  enum class Outcome { Ok, Retry, Fatal, Stopped };
  Outcome Connect(RecordSink& sink, bool reconnecting);
  Outcome Subscribe(RecordSink& sink, void* engine);
  std::vector<FWPM_FILTER_CONDITION0> TypeConditions() const;
  Outcome List(RecordSink& sink, void* engine, bool reconnecting);
  Outcome Watch(RecordSink& sink);
  Outcome Check(RecordSink& sink);
  void Disconnect();
  void Drain(RecordSink& sink);
  void Deliver(RecordSink& sink, const NetEventFacts& facts, uint32_t hash);
  // The engine options: changes what must change (recorded first), and puts it back at the end.
  Outcome EnsureOptions(RecordSink& sink, void* engine);
  void ReleaseOptions();
  Outcome Failed(RecordSink& sink, const char* api, unsigned long code);
  bool WaitOrStop(unsigned long milliseconds);

  LiveStart start_;
  std::optional<NetEventBookmark> startBookmark_;
  EventSelection selection_;
  std::vector<NetEventType> types_;  // what the subscription and listings ask for
  uint32_t neededKeywords_ = 0;
  std::shared_ptr<WfpEngine> engine_;
  std::string stateFile_;
  Win32Event stop_{true, false};
  Win32Event signal_{false, false};
  NetEventHandoff handoff_;
  CallbackContext context_;
  fwp::NetEventApi api_;
  void* subscription_ = nullptr;  // HANDLE from FwpmNetEventSubscribe
  uint64_t startedAt_ = 0;        // FILETIME at which the watcher started: where 'now' begins
  uint64_t subscribedAt_ = 0;
  NetEventCursor cursor_;
  NetEventOverlap overlap_;
  std::unique_ptr<NetEventMapper> mapper_;
  BlockEvent event_;
  std::string bookmarkText_;
  std::vector<NetEventFacts> drained_;
  EngineOptionOwner owner_;
  bool ownsRecord_ = false;  // this watcher is an owner in the state file
};

}  // namespace wfp
