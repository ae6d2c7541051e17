// Replays event XML that JavaScript writes chunk by chunk (any Readable: a pipe, a decompressor, a
// socket). Write() reports when the buffered bytes pass the limit, and the drain callback says when
// the reader has caught up, so the writer can pause and resume like a Writable stream. Options:
// `name` (for error messages), `utcOffsetMinutes` (InputOptions).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "model/event_source.h"
#include "sources/input_decoder.h"
#include "sources/source_options.h"

namespace wfp {

class StreamSource final : public EventSource, public StreamInput {
 public:
  StreamSource(std::string name, size_t maxBufferedBytes, std::function<void()> onDrain,
               InputOptions inputOptions = {});
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);

  // JavaScript thread.
  bool Write(const char* data, size_t size) override;
  void End() override;

  void Run(RecordSink& sink) override;
  void Interrupt() override;
  StreamInput* streamInput() override { return this; }

 private:
  std::string name_;
  InputOptions inputOptions_;
  size_t maxBuffered_;
  std::function<void()> onDrain_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> chunks_;
  size_t buffered_ = 0;
  bool ended_ = false;
  bool interrupted_ = false;
  bool writerWaiting_ = false;
};

}  // namespace wfp
