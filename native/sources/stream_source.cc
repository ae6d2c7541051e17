#include "sources/stream_source.h"

#include "sources/input_decoder.h"

namespace wfp {

StreamSource::StreamSource(std::string name, size_t maxBufferedBytes, std::function<void()> onDrain,
                           InputOptions inputOptions)
    : name_(std::move(name)),
      inputOptions_(inputOptions),
      maxBuffered_(maxBufferedBytes),
      onDrain_(std::move(onDrain)) {}

namespace {
constexpr size_t kMaxBufferedBytes = 4 << 20;
}  // namespace

std::unique_ptr<EventSource> StreamSource::Create(OptionReader& options, const SourceContext& context) {
  std::string name = options.String("name").value_or("stream");
  InputOptions inputOptions = ReadInputOptions(options);
  if (options.failed()) return nullptr;
  return std::make_unique<StreamSource>(std::move(name), kMaxBufferedBytes, context.streamDrained, inputOptions);
}

bool StreamSource::Write(const char* data, size_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ended_ || interrupted_) return true;
  chunks_.emplace_back(data, size);
  buffered_ += size;
  wake_.notify_one();
  if (buffered_ < maxBuffered_) return true;
  writerWaiting_ = true;
  return false;
}

void StreamSource::End() {
  std::lock_guard<std::mutex> lock(mutex_);
  ended_ = true;
  wake_.notify_one();
}

void StreamSource::Interrupt() {
  std::lock_guard<std::mutex> lock(mutex_);
  interrupted_ = true;
  wake_.notify_one();
}

void StreamSource::Run(RecordSink& sink) {
  InputDecoder pump(name_, 0, inputOptions_);
  std::vector<std::string> taken;
  // The stream is announced by its first bytes before any record is read (see RecordSink).
  std::string head;
  bool announced = false;
  auto feed = [&](const char* data, size_t size) {
    if (!announced) {
      head.append(data, size);
      if (head.size() < InputIdentity::kIdentityBytes) return;
      announced = true;
      sink.OnInputOpened(0, name_, head);
      sink.OnInputsKnown();
      if (!sink.Stopping()) pump.Feed(head.data(), head.size(), sink);
      head = std::string();
      return;
    }
    pump.Feed(data, size, sink);
  };
  while (true) {
    bool ended;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (chunks_.empty() && !ended_ && !interrupted_) {
        lock.unlock();
        sink.OnIdle();
        std::optional<std::chrono::milliseconds> timeout = sink.IdleTimeout();
        lock.lock();
        auto ready = [&] { return !chunks_.empty() || ended_ || interrupted_; };
        if (!timeout)
          wake_.wait(lock, ready);
        else if (!wake_.wait_for(lock, *timeout, ready))
          continue;  // held events fell due
      }
      if (interrupted_) return;
      taken.swap(chunks_);
      ended = ended_;
    }
    for (const std::string& chunk : taken) {
      feed(chunk.data(), chunk.size());
      sink.OnProgress();
      bool drained = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        buffered_ -= chunk.size();
        if (writerWaiting_ && buffered_ < maxBuffered_ / 2) {
          writerWaiting_ = false;
          drained = true;
        }
      }
      if (drained) onDrain_();
      if (sink.Stopping()) return;
    }
    taken.clear();
    if (ended) {  // End() came before the swap, so no chunk can follow
      if (!announced) {
        announced = true;
        sink.OnInputOpened(0, name_, head);
        sink.OnInputsKnown();
        if (sink.Stopping()) return;
        pump.Feed(head.data(), head.size(), sink);
      }
      pump.Finish(sink);
      sink.OnInputEnded(0, pump.end());
      return;
    }
  }
}

}  // namespace wfp
