// The legacy source on Windows: OpenEventLogW + NotifyChangeEventLog + ReadEventLogW on the watcher's
// thread, for systems where EvtSubscribe is not an option. Its limits are the API's: the service
// signals at most every few seconds (and by PulseEvent, so a signal can be missed: the thread also
// re-reads every few seconds), and it cannot filter, so every Security record is read and most are
// skipped here. Records are mapped to field names by event ID and layout (legacy_record.h). Windows
// only. Options: `from` (see ReadLiveStart; a bookmark resumes after its record ID).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_source.h"
#include "sources/source_options.h"
#include "win/win32_event.h"

namespace wfp {

class LegacySource final : public EventSource {
 public:
  explicit LegacySource(StartAt from);
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  ~LegacySource() override;
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  bool Open(RecordSink& sink, bool first);
  void Close();
  // Reads what the log holds now. Returns false when the log must be reopened (cleared).
  bool ReadAvailable(RecordSink& sink);

  StartAt from_;
  void* log_ = nullptr;     // HANDLE from OpenEventLogW
  Win32Event notify_{false, false};  // for NotifyChangeEventLog
  Win32Event stop_{true, false};
  std::vector<unsigned char> buffer_;
  std::vector<std::string> scratch_;
};

}  // namespace wfp
