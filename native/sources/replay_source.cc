#include "sources/replay_source.h"

#include "sources/input_decoder.h"

namespace wfp {

struct ReplaySource::Followed {
  uint32_t index;
  std::unique_ptr<InputFile> file;
  InputDecoder pump;
};

namespace {

// The first bytes of a file, as many as identify it.
std::string ReadHead(InputFile& file) {
  std::string head(InputIdentity::kIdentityBytes, '\0');
  size_t have = 0;
  std::string error;
  while (have < head.size()) {
    const int64_t n = file.Read(head.data() + have, head.size() - have, error);
    if (n <= 0) break;  // a read error shows again when the input is read
    have += static_cast<size_t>(n);
  }
  head.resize(have);
  return head;
}

}  // namespace

ReplaySource::ReplaySource(std::vector<std::string> files, bool follow) : files_(std::move(files)) {
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
  return std::make_unique<ReplaySource>(std::move(*files), options.Bool("follow").value_or(false));
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
    sink.OnProgress();
  }
  return true;
}

// Announces every input by its first bytes before any record is read, so that a bookmark that does
// not fit the inputs is reported before anything is delivered. An input that cannot be opened is
// reported and the others are read; when none can be, that is fatal. Each file is opened again to
// be read, so that many inputs never hold many handles.
std::vector<uint32_t> ReplaySource::AnnounceAll(RecordSink& sink, std::vector<std::string>& heads) {
  std::vector<uint32_t> opened;
  std::vector<Issue> failures;
  heads.assign(files_.size(), std::string());
  for (uint32_t i = 0; i < files_.size(); ++i) {
    std::string error;
    bool notFound = false;
    std::unique_ptr<InputFile> file = InputFile::Open(files_[i], error, notFound);
    if (!file) {
      failures.push_back(
          Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + files_[i] + ": " + error, files_[i]});
      continue;
    }
    heads[i] = ReadHead(*file);
    sink.OnInputOpened(i, files_[i], heads[i]);
    opened.push_back(i);
  }
  if (opened.empty() && !failures.empty()) failures.back().fatal = true;
  for (Issue& failure : failures) sink.OnIssue(std::move(failure));
  sink.OnInputsKnown();
  return opened;
}

void ReplaySource::Run(RecordSink& sink) {
  buffer_.resize(1 << 20);
  const bool follow = !waiterError_.empty() || waiter_;
  if (follow && !waiter_)
    sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch files for appended records: " + waiterError_});

  std::vector<std::string> heads;
  std::vector<Followed> followed;
  for (uint32_t i : AnnounceAll(sink, heads)) {
    if (sink.Stopping()) return;
    const std::string& path = files_[i];
    std::string error;
    bool notFound = false;
    Followed f{i, InputFile::Open(path, error, notFound), InputDecoder(path, i)};
    if (!f.file) {
      sink.OnIssue(Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + path + ": " + error, path});
      continue;
    }
    // A file that only grew since it was announced is the same input; any other change is not.
    const std::string head = ReadHead(*f.file);
    f.file->Rewind();
    if (head.compare(0, heads[i].size(), heads[i]) != 0) {
      sink.OnIssue(Issue{&kErrFileRead, path + " was replaced while it was being opened", path});
      continue;
    }
    // Watch before the first read, so that an append between reading to the end and waiting still
    // wakes the wait.
    if (waiter_ && !waiter_->Watch(path, error))
      sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch " + path + ": " + error, path});
    if (!ReadAvailable(f, sink)) continue;
    if (waiter_) {
      followed.push_back(std::move(f));
    } else {
      f.pump.Finish(sink);
      sink.OnInputEnded(f.index, f.pump.end());
    }
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
