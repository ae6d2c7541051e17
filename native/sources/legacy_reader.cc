#include "sources/legacy_reader.h"

#include <algorithm>

#include "model/event_catalog.h"
#include "win/win32_errors.h"

namespace wfp {
namespace {

constexpr uint32_t kRereadMs = 5000;    // NotifyChangeEventLog signals are pulsed and can be missed
constexpr uint32_t kMaxRead = 0x7ffff;  // ReadEventLogW's largest buffer
constexpr uint32_t kBackoffFirstMs = 250;
constexpr uint32_t kBackoffMaxMs = 30000;

std::string CodeText(uint32_t code) { return "Win32 error " + std::to_string(code); }

}  // namespace

LegacyReader::LegacyReader(LegacyLog& log, const InsertionLayouts& layouts, StartAt from, uint64_t bookmarkedRecord)
    : log_(log), layouts_(layouts), from_(from), bookmarkedRecord_(bookmarkedRecord), backoffMs_(kBackoffFirstMs) {
  buffer_.resize(64 * 1024);
}

void LegacyReader::Transient(RecordSink& sink, const std::string& what, uint32_t code) {
  sink.OnIssue(Issue{&kErrEventLogTransient, what, std::string(kSecurityChannel), -1, static_cast<int64_t>(code)});
}

bool LegacyReader::Open(RecordSink& sink, bool first) {
  while (!sink.Stopping()) {
    uint32_t notifyError = 0;
    const uint32_t code = log_.Open(notifyError);
    if (code == 0) {  // the backoff is reset by a read that works, not by an open
      if (notifyError)
        Transient(sink, "NotifyChangeEventLog failed (" + CodeText(notifyError) + "); re-reading every 5 s",
                  notifyError);
      return true;
    }
    if (first && code == win32::kAccessDenied) {
      sink.OnIssue(Issue{&kErrAccessDenied,
                         "OpenEventLogW failed on " + std::string(kSecurityChannel) + " (" + CodeText(code) + ")",
                         std::string(kSecurityChannel), -1, static_cast<int64_t>(code), log_.AccessHint()});
      return false;
    }
    Transient(sink, "OpenEventLogW failed (" + CodeText(code) + "); retrying", code);
    if (!Backoff()) return false;
  }
  return false;
}

bool LegacyReader::Backoff() {
  jitter_ = jitter_ * 1103515245u + 12345u;
  if (!log_.Wait(backoffMs_ + (jitter_ >> 8) % (backoffMs_ / 5 + 1))) return false;
  backoffMs_ = std::min(backoffMs_ * 2, kBackoffMaxMs);
  return true;
}

void LegacyReader::Deliver(uint32_t read, RecordSink& sink) {
  const uint8_t* data = buffer_.data();
  for (size_t at = 0; at < read && !sink.Stopping();) {
    const size_t used = ParseEventLogRecord(data + at, read - at, legacy_);
    if (!used) {
      const size_t skip = SkipMalformedRecord(data + at, read - at);
      sink.OnIssue(Issue{&kErrEventLogRecord,
                         "an EVENTLOGRECORD that cannot be read" +
                             std::string(resumeAt_ ? " after record " + std::to_string(resumeAt_) : "") +
                             (skip ? "; reading goes on with the next one" : "; the rest of this read is skipped"),
                         std::string(kSecurityChannel)});
      if (!skip) return;
      at += skip;
      continue;
    }
    at += used;
    resumeAt_ = legacy_.recordNumber;
    if (!sink.Wants(legacy_.eventId)) continue;  // the pipeline also skips what it has already seen
    ToEventRecord(legacy_, layouts_, record_, scratch_);
    sink.OnRecord(record_, Position{kSecurityChannel});
  }
}

LegacyReader::Outcome LegacyReader::ReadAvailable(RecordSink& sink) {
  while (!sink.Stopping()) {
    uint32_t read = 0;
    const bool seeking = seek_ && resumeAt_ && !seekRefused_;
    const uint32_t code = log_.Read(seeking ? resumeAt_ : 0, buffer_, read);
    if (code == 0) {
      seek_ = false;
      corruptReported_ = false;
      backoffMs_ = kBackoffFirstMs;
      Deliver(read, sink);
      continue;
    }
    switch (code) {
      case win32::kHandleEof:
        seek_ = false;
        return Outcome::CaughtUp;
      case win32::kInsufficientBuffer:
        if (read > buffer_.size() && read <= kMaxRead) {
          buffer_.resize(read);
          continue;
        }
        break;
      case win32::kInvalidParameter:
        if (seeking) {  // the seek is refused: from the start (the pipeline skips up to the floor)
          seekRefused_ = true;
          return Outcome::Reopen;
        }
        break;
      case win32::kEventlogFileChanged:  // cleared: reopen; records keep their numbers
        return Outcome::Reopen;
      case win32::kEventlogFileCorrupt:  // reported once per run of them, not in a silent loop
        if (!corruptReported_) Transient(sink, "ReadEventLogW: the log file is corrupt; reopening", code);
        corruptReported_ = true;
        return Outcome::RetryLater;
      default:
        break;
    }
    Transient(sink, "ReadEventLogW failed (" + CodeText(code) + "); reopening", code);
    return Outcome::RetryLater;
  }
  return Outcome::Stopped;
}

void LegacyReader::Run(RecordSink& sink) {
  if (!Open(sink, true)) return;
  if (from_ == StartAt::Now) {  // skip what is there: start after the newest record
    uint32_t newest = 0;
    if (log_.Newest(newest) == 0 && newest) {
      sink.OnStartAfter(static_cast<uint32_t>(Channel::Security), newest);
      resumeAt_ = newest;
    }
  } else if (from_ == StartAt::Bookmark && bookmarkedRecord_ && bookmarkedRecord_ <= UINT32_MAX) {
    resumeAt_ = static_cast<uint32_t>(bookmarkedRecord_);
  }
  seek_ = resumeAt_ != 0;
  while (!sink.Stopping()) {
    switch (ReadAvailable(sink)) {
      case Outcome::Stopped:
        return;
      case Outcome::RetryLater:  // a failing service: not in a hot loop
        log_.Close();
        if (!Backoff() || !Open(sink, false)) return;
        seek_ = resumeAt_ != 0;
        continue;
      case Outcome::Reopen:
        log_.Close();
        if (!Open(sink, false)) return;
        seek_ = resumeAt_ != 0;
        continue;
      case Outcome::CaughtUp: {
        sink.OnIdle();
        std::optional<std::chrono::milliseconds> due = sink.IdleTimeout();
        const uint32_t timeout = due ? std::min<uint32_t>(kRereadMs, static_cast<uint32_t>(due->count())) : kRereadMs;
        if (!log_.Wait(timeout)) return;
        break;
      }
    }
  }
}

}  // namespace wfp
