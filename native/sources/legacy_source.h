// The legacy source on Windows: OpenEventLogW + NotifyChangeEventLog + ReadEventLogW on the watcher's
// thread, for systems where EvtSubscribe is not an option. Its limits are the API's: the service
// signals at most every few seconds (and by PulseEvent, so a signal can be missed: the thread also
// re-reads every few seconds), and it cannot filter, so every Security record is read and most are
// skipped here. It reads the Security log only: the classic API opens classic logs, and the firewall's
// own operational log (whose changes the 'eventlog' source also reads) is not one. Insertion strings are
// named from the installed publisher's templates, read once at the start (legacy_record.h); the reading
// loop is legacy_reader.h. Windows only. Options: `from`, `bookmark`, `afterRecordId` (see ReadLiveStart;
// a bookmark resumes after its Security record ID).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_source.h"
#include "sources/legacy_reader.h"
#include "sources/source_options.h"
#include "win/win32_event.h"

namespace wfp {

class LegacySource final : public EventSource, private LegacyLog {
 public:
  explicit LegacySource(LiveStart start);
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  ~LegacySource() override;
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  uint32_t Open(uint32_t& notifyError) override;
  void Close() override;
  uint32_t Newest(uint32_t& record) override;
  uint32_t Read(uint32_t seekTo, std::vector<uint8_t>& buffer, uint32_t& read) override;
  bool Wait(uint32_t milliseconds) override;
  std::string AccessHint() override;

  LiveStart start_;
  void* log_ = nullptr;              // HANDLE from OpenEventLogW
  Win32Event notify_{false, false};  // for NotifyChangeEventLog
  Win32Event stop_{true, false};
};

}  // namespace wfp
