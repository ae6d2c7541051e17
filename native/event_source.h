// The one interface every source of event records implements (replay files, JS streams, and on
// Windows the event log), and the sink they feed. A source runs on its watcher's dedicated thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "event_record.h"

namespace wfp {

class RecordSink {
 public:
  // May block while the consumer is behind (back-pressure); returns when it has room or is stopping.
  virtual void OnRecord(const EventRecord& record, std::string_view input, uint64_t offset) = 0;
  // A problem with the input that the source has stepped over. offset is -1 when not applicable.
  virtual void OnIssue(const char* code, std::string message, std::string_view input, int64_t offset) = 0;
  // An operating-system failure: `systemCode` is the Win32 or errno value, `hint` what to do about it.
  virtual void OnSystemError(const char* code, std::string message, std::string_view input, uint32_t systemCode,
                             std::string hint) = 0;
  // The source is about to wait for more input: whatever is batched should go out now.
  virtual void OnIdle() = 0;
  // How long the source may wait before calling OnIdle() again (held events fall due); none: forever.
  virtual std::optional<std::chrono::milliseconds> IdleTimeout() const = 0;
  virtual bool Stopping() const = 0;

 protected:
  ~RecordSink() = default;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Reads until the input ends or the sink is stopping.
  virtual void Run(RecordSink& sink) = 0;
  // Any thread: wakes Run from any wait so that it sees the sink stopping.
  virtual void Interrupt() = 0;
};

}  // namespace wfp
