// The live source on Windows: an EvtSubscribe pull subscription on the Security log, drained with
// EvtNext on the watcher's thread, which waits on the subscription's signal and a stop event together.
// Windows filters by event ID before anything is rendered; each record is rendered as XML once and
// read by the same XmlEventReader as exported logs (never EvtFormatMessage). Windows only. Options:
// `from`, `bookmark` (see ReadLiveStart).
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
  bool Subscribe(RecordSink& sink, bool afterLastRecord);
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
  void* subscription_ = nullptr;  // EVT_HANDLE
  uint32_t batch_ = 64;
  uint64_t lastRecordId_ = 0;  // the last record handed on: a resubscription starts after it
  XmlEventReader reader_;
  EventRecord record_;
  std::wstring render_;
  std::string utf8_;
};

}  // namespace wfp
