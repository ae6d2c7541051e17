#include "sources/replay_source.h"

#include "sources/input_decoder.h"

namespace wfp {

struct ReplaySource::Followed {
  std::unique_ptr<InputFile> file;
  InputDecoder pump;
};

ReplaySource::ReplaySource(std::vector<std::string> files, bool follow, InputOptions inputOptions)
    : files_(std::move(files)), inputOptions_(inputOptions) {
  // Created here, not in Run, so that Interrupt() always has something to wake.
  if (follow) waiter_ = FileChangeWaiter::Create(waiterError_);
  if (follow && !waiter_ && waiterError_.empty()) waiterError_ = "unknown error";
}

std::unique_ptr<EventSource> ReplaySource::Create(OptionReader& options, const SourceContext&) {
  std::optional<std::vector<std::string>> files = options.Strings("files");
  if (!files) {
    options.Fail("files must be an array of strings");
    return nullptr;
  }
  const bool follow = options.Bool("follow").value_or(false);
  InputOptions inputOptions = ReadInputOptions(options);
  if (options.failed()) return nullptr;
  return std::make_unique<ReplaySource>(std::move(*files), follow, inputOptions);
}

void ReplaySource::Interrupt() {
  if (waiter_) waiter_->Interrupt();
}

bool ReplaySource::ReadAvailable(Followed& f, RecordSink& sink) {
  if (f.file->Shrunk()) {  // truncated or rewritten in place, as `tail -f` handles it
    f.file->Rewind();
    f.pump.Restart();
  }
  while (!sink.Stopping()) {
    std::string error;
    int64_t n = f.file->Read(buffer_.data(), buffer_.size(), error);
    if (n < 0) {
      sink.OnIssue(Issue{&kErrFileRead, "cannot read " + f.pump.input() + ": " + error, f.pump.input()});
      return false;
    }
    if (n == 0) return true;
    f.pump.Feed(buffer_.data(), static_cast<size_t>(n), sink);
  }
  return true;
}

void ReplaySource::Run(RecordSink& sink) {
  buffer_.resize(1 << 20);
  const bool follow = !waiterError_.empty() || waiter_;
  if (follow && !waiter_)
    sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch files for appended records: " + waiterError_});

  std::vector<Followed> followed;
  for (const std::string& path : files_) {
    if (sink.Stopping()) return;
    std::string error;
    bool notFound = false;
    Followed f{InputFile::Open(path, error, notFound), InputDecoder(path, inputOptions_)};
    if (!f.file) {
      sink.OnIssue(Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + path + ": " + error, path});
      continue;
    }
    // Watch before the first read, so that an append between reading to the end and waiting still
    // wakes the wait.
    if (waiter_ && !waiter_->Watch(path, error)) {
      sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch " + path + ": " + error, path});
    }
    if (!ReadAvailable(f, sink)) continue;
    if (waiter_) followed.push_back(std::move(f));
    else f.pump.Finish(sink);
  }
  if (!waiter_ || followed.empty()) return;

  while (!sink.Stopping()) {
    sink.OnIdle();
    switch (waiter_->Wait(sink.IdleTimeout())) {
      case FileChangeWaiter::Woken::Interrupted: return;
      case FileChangeWaiter::Woken::TimedOut: continue;  // held events fell due
      case FileChangeWaiter::Woken::Changed: break;
    }
    for (Followed& f : followed) ReadAvailable(f, sink);
  }
}

}  // namespace wfp
