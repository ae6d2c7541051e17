// The live source on Windows: an EvtSubscribe pull subscription on the Security log, drained with
// EvtNext on the watcher's thread, which waits on the subscription's signal and a stop event together.
// Windows filters by event ID before anything is rendered; each record is rendered as XML once and
// read by the same XmlEventReader as exported logs (never EvtFormatMessage). 'now' is the newest record
// of the log when the watcher starts (a reverse EvtQuery): records at or below it are never reported,
// also after a resubscription. Windows only. Options: `from`, `bookmark`, `afterRecordId` (see
// ReadLiveStart).
#pragma once

#include <cstdint>
#include <string>

#include "model/event_catalog.h"
#include "model/event_source.h"
#include "sources/source_options.h"
#include "win/win32_event.h"
#include "xml/xml_event_reader.h"

namespace wfp {

// The subscription query: the selected event IDs of the Security log (and 4719), as a structured XML query.
std::string BuildQuery(const EventSelection& selection, bool policyChanges);

class EventLogSource final : public EventSource {
 public:
  EventLogSource(LiveStart start, EventSelection selection, bool policyChanges);
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  ~EventLogSource() override;
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  enum class Drained { Empty, Resubscribe, Fatal, Stopped };
  bool Subscribe(RecordSink& sink, bool resubscribe);
  void* SubscribeOnce(RecordSink& sink, bool resubscribe, unsigned long& code, bool& reported);
  void FindStartFloor(RecordSink& sink);
  // The first record of an EvtQuery over the Security log, rendered into record_; false with `code`
  // (ERROR_NO_MORE_ITEMS when the query matched nothing).
  bool QueryFirst(const wchar_t* query, bool newestFirst, unsigned long& code);
  bool Render(void* event, unsigned long& code);  // EvtRender(EventXml) into utf8_
  Drained Drain(RecordSink& sink);
  void Deliver(RecordSink& sink, void* event);
  bool WaitOrStop(unsigned long milliseconds);
  void Fatal(RecordSink& sink, const char* api, unsigned long code);
  void Transient(RecordSink& sink, std::string message, unsigned long code);
  void CloseSubscription();

  LiveStart start_;
  EventSelection selection_;
  bool policyChanges_;
  std::wstring query_;
  Win32Event stop_{true, false};
  Win32Event signal_{false, true};  // auto-reset and initially set: the first wait drains the backlog
  void* subscription_ = nullptr;    // EVT_HANDLE
  uint32_t batch_;                  // EvtNext's batch: halved on RPC_S_INVALID_BOUND, grown back after a while
  uint32_t callsSinceHalved_ = 0;
  uint64_t lastRecordId_ = 0;  // the last record handed on (or the 'now' floor): a resubscription starts after it
  bool floorKnown_ = false;    // 'now': the newest record at the start was found
  XmlEventReader reader_;
  EventRecord record_;
  std::wstring render_;
  std::string utf8_;
};

}  // namespace wfp
