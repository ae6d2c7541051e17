// The live source on Windows: one EvtSubscribe pull subscription over the Security log and the
// firewall's own operational log (Microsoft-Windows-Windows Firewall With Advanced Security/Firewall,
// whose rule and setting changes the blocks are correlated with), drained with EvtNext on the watcher's
// thread, which waits on the subscription's signal and a stop event together. The query has a <Query>
// per log and is subscribed with EvtSubscribeTolerateQueryErrors, so a machine without the firewall's
// log still watches the Security log. Windows filters by event ID before anything is rendered; each
// record is rendered as XML once and read by the same XmlEventReader as exported logs (never
// EvtFormatMessage), and its <Channel> says which log it is from: the two logs' record IDs are separate
// sequences, so positions (bookmarks, resubscriptions, 'now') are kept per log. 'now' is the newest
// record of each log when the watcher starts (a reverse EvtQuery): records at or below it are never
// reported, also after a resubscription; a bookmark that does not name the firewall's log (one from a
// version that read the Security log alone) starts that log at 'now' too. Windows only. Options: `from`,
// `bookmark`, `afterRecordId`, `afterFirewallRecordId` (see ReadLiveStart).
#pragma once

#include <cstdint>
#include <string>

#include "model/bookmark.h"
#include "model/event_catalog.h"
#include "model/event_source.h"
#include "sources/source_options.h"
#include "win/win32_event.h"
#include "xml/xml_event_reader.h"

namespace wfp {

// The subscription query, as a structured XML query: a <Query> for the Security log (the selected event
// IDs, 4719 when asked, its change events) and one for the firewall's own log (its change events).
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
  void FindStartFloors(RecordSink& sink);
  // The first record of an EvtQuery over `channel`, rendered into record_; false with `code`
  // (ERROR_NO_MORE_ITEMS when the query matched nothing).
  bool QueryFirst(Channel channel, const wchar_t* query, bool newestFirst, unsigned long& code);
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
  // In each log, the last record handed on (or the bookmarked one, or the 'now' floor): a resubscription
  // starts after them.
  ChannelRecordIds last_;
  // The logs whose newest record at the start is still to be found ('now', or a log the bookmark does
  // not name); a log found empty or missing needs none.
  std::array<bool, kChannelCount> floorWanted_{};
  XmlEventReader reader_;
  EventRecord record_;
  std::wstring render_;
  std::string utf8_;
};

}  // namespace wfp
