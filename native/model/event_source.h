// The one interface every source implements (files, JavaScript streams, the Windows event log, WFP
// net events), and the sink they feed. A source runs on its watcher's dedicated thread. There are two
// ways into the sink: a record to normalise (a Security-log record from any reader), or an event a
// source has already normalised (a source whose data are not Security-log records). Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/block_event.h"
#include "model/error_codes.h"
#include "model/event_record.h"

namespace wfp {

inline constexpr uint64_t kNoOffset = UINT64_MAX;

// Where a record was read: which input of the source, and its byte range there (kNoOffset for the
// live sources, whose records are placed by their record ID). Offsets count the bytes the input's
// decoder reads (for UTF-16 XML, those of its UTF-8 form): the same input gives the same positions
// every time it is read, which is what resuming needs. A live source's inputs are the logs it reads,
// by Channel (model/event_catalog.h): each has record IDs of its own.
struct Position {
  std::string_view input;       // file or stream name; the channel for the live sources
  uint32_t inputIndex = 0;      // which input of the source (the order they were given in; live: its Channel)
  uint64_t offset = kNoOffset;  // where the record starts
  uint64_t end = kNoOffset;     // just past it
};

// What identifies an input across runs, whatever its name: its first bytes (up to kIdentityBytes, as
// many as it held when it was opened). A replaced or rewritten file has other first bytes; a file that
// only grew keeps them.
struct InputIdentity {
  static constexpr uint64_t kIdentityBytes = 4096;
  uint64_t headLength = 0;
  uint64_t headHash = 0;  // FNV-1a 64 of those bytes

  static InputIdentity Of(std::string_view head);
  // Whether an input whose first bytes are `head` is the one this identity was taken of.
  bool Matches(std::string_view head) const;
};

inline uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ull;
  return hash;
}

inline InputIdentity InputIdentity::Of(std::string_view head) {
  head = head.substr(0, kIdentityBytes);
  return InputIdentity{head.size(), Fnv1a64(head)};
}

inline bool InputIdentity::Matches(std::string_view head) const {
  return head.size() >= headLength && Fnv1a64(head.substr(0, headLength)) == headHash;
}

// A problem the source met and (unless its code is fatal) stepped over.
struct Issue {
  const ErrorCode* code = nullptr;
  std::string message;
  std::string input;        // file or stream name; empty when not about an input
  int64_t offset = -1;      // byte offset in that input, -1 when not applicable
  int64_t systemCode = -1;  // the OS error code behind it (Win32 or errno), -1 when none
  std::string hint;         // what to do about it, when known
  // Fatal here although its code is not: nothing else is left to read (the only input is missing).
  bool fatal = false;
  // A summary: this many more of the same problem in the same input were not reported one by one.
  uint64_t repeated = 0;
  int64_t line = -1;  // the offset's line (1-based) and column (1-based, in bytes), -1 when unknown
  int64_t column = -1;
};

class RecordSink {
 public:
  // May block while the consumer is behind (back-pressure); returns when it has room or is stopping.
  virtual void OnRecord(const EventRecord& record, const Position& at) = 0;
  // An event the source built itself; its views need only last for the call.
  virtual void OnEvent(const BlockEvent& event, const Position& at) = 0;
  virtual void OnIssue(Issue issue) = 0;
  // The rest tell the sink how reading goes; a sink that needs none of it (a test's, a benchmark's)
  // keeps these defaults.
  // Not an error: the position resumed from was gone (log cleared or overwritten); the source went on
  // from the oldest record, so records may have been missed.
  virtual void OnGap(std::string message) {}
  // A live source found where 'now' is in its input `input` (a Channel): records there at or below this
  // record ID are not reported.
  virtual void OnStartAfter(uint32_t input, uint64_t recordId) {}
  // A replay source opened input `index`, whose first bytes (up to InputIdentity::kIdentityBytes) are
  // `head`. A source announces all its inputs, then OnInputsKnown(), before it hands on any record.
  virtual void OnInputOpened(uint32_t index, std::string_view name, std::string_view head) {}
  virtual void OnInputsKnown() {}
  // Input `index` was read to its end, which is at `end` (in the decoder's offsets).
  virtual void OnInputEnded(uint32_t index, uint64_t end) {}
  // The source read more and goes on reading: a batch that waited long enough should go out now.
  virtual void OnProgress() {}
  // The source is about to wait for more input: whatever is batched should go out now.
  virtual void OnIdle() = 0;
  // How long the source may wait before calling OnIdle() again (held events fall due); none: forever.
  virtual std::optional<std::chrono::milliseconds> IdleTimeout() const = 0;
  virtual bool Stopping() const = 0;
  // Whether records of this event ID are of any use: a reader may skip the others before decoding
  // their strings.
  virtual bool Wants(uint32_t eventId) const { return true; }
  // Whether the sink takes each record as its event XML (EventRecord::xml) and nothing else: only an
  // export asks, so a reader that must render XML to have it (.evtx) never does so on the normal path,
  // and then need not fill the other fields.
  virtual bool WantsXml() const { return false; }

 protected:
  ~RecordSink() = default;
};

// Turns the bytes of one input into records for a sink: one per format (event XML, ...), chosen
// from the input's first bytes (sources/input_decoder.h).
// What a decoder may need to know about an input beyond its bytes (the watcher's options).
struct InputOptions {
  // Inputs that log local time: minutes east of UTC of the machine that wrote them; none: this one's zone.
  std::optional<int32_t> utcOffsetMinutes;
};

class RecordDecoder {
 public:
  virtual ~RecordDecoder() = default;
  // Bytes that follow those already given.
  virtual void Feed(const char* data, size_t size, RecordSink& sink) = 0;
  // The input has ended: report a partial record, and an input that held no record at all.
  virtual void Finish(RecordSink& sink) = 0;
  // Where the input ends in this decoder's offsets, once Finish() was called.
  virtual uint64_t end() const = 0;
};

// Bytes written from JavaScript (a Readable); only the stream source takes them.
class StreamInput {
 public:
  // Returns false once the writer should wait for the drain callback.
  virtual bool Write(const char* data, size_t size) = 0;
  virtual void End() = 0;

 protected:
  ~StreamInput() = default;
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // Reads until the input ends or the sink is stopping.
  virtual void Run(RecordSink& sink) = 0;
  // Any thread: wakes Run from any wait so that it sees the sink stopping.
  virtual void Interrupt() = 0;
  // The source that takes bytes from JavaScript, if this is one.
  virtual StreamInput* streamInput() { return nullptr; }
};

}  // namespace wfp
