#include "sources/replay_source.h"

#include <algorithm>
#include <cstring>

#include "sources/input_decoder.h"

namespace wfp {
namespace {

// How much of a file's start, and of what was read last, is kept: enough to tell that the file was
// rewritten in place, and to recognise its rotated copy.
constexpr size_t kMarkBytes = 4096;
// A folder with more entries than this is not searched for a rotated copy.
constexpr size_t kMaxSiblings = 1000;

}  // namespace

// One file as it was opened: a file read once, a pipe, or what a followed path named at the time.
struct ReplaySource::Input {
  std::string path;
  std::unique_ptr<InputFile> file;
  InputDecoder pump;
  FileIdentity identity;
  uint64_t seenSize = 0;  // the largest size seen since it was last read from its start
  std::string head;       // its first bytes, as read
  std::string tail;       // the last bytes read, just before the position
};

// A followed path: the file it names, and the one it named before while that is read to its end.
struct ReplaySource::Followed {
  Input current;
  std::optional<Input> previous;
  std::optional<FileIdentity> unopenable;  // a successor that could not be opened (reported once)
};

ReplaySource::ReplaySource(std::vector<std::string> files, bool follow) : files_(std::move(files)), follow_(follow) {
  // Created here, not in Run, so that Interrupt() always has something to wake.
  stop_ = StopSignal::Create(stopError_);
  if (stop_ && follow) waiter_ = FileChangeWaiter::Create(*stop_, waiterError_);
  if (follow && !waiter_ && waiterError_.empty()) waiterError_ = stopError_;
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
  if (stop_) stop_->Raise();
}

// Whether the bytes of `in` before its position (and the `size` bytes just read, ending there) are
// still what the file holds: a file shorter than what was read or than it was seen to be, or whose
// first or last-read bytes changed, was truncated or rewritten in place (copytruncate), even when it
// has grown past the position again since.
bool ReplaySource::Rewritten(Input& in, const char* read, size_t size) {
  FileIdentity identity;
  uint64_t fileSize = 0;
  std::string error;
  if (!in.file->Stat(identity, fileSize, error)) return false;  // cannot tell; reading will say
  const uint64_t end = in.file->position();
  const uint64_t at = end - size;
  if (fileSize < end || fileSize < in.seenSize) return true;
  auto same = [&](uint64_t offset, const char* expected, size_t length) {
    scratch_.resize(length);
    return length == 0 ||
           (in.file->ReadAt(offset, scratch_.data(), length, error) == static_cast<int64_t>(length) &&
            std::memcmp(scratch_.data(), expected, length) == 0);
  };
  // The head as it is known after these bytes: a chunk read at its end completes it.
  const size_t headPart = at == in.head.size() && at < kMarkBytes ? std::min(size, kMarkBytes - in.head.size()) : 0;
  if (!same(0, in.head.data(), in.head.size()) || !same(at, read, headPart) ||
      !same(at - in.tail.size(), in.tail.data(), in.tail.size()))
    return true;
  in.seenSize = std::max(in.seenSize, fileSize);
  return false;
}

void ReplaySource::Restart(Input& in, RecordSink& sink) {
  const uint64_t read = in.file->position();
  if (read > 0) {
    // logrotate's copytruncate copies the file beside it, then truncates it: the copy holds the
    // rest of what was read, byte for byte.
    std::unique_ptr<InputFile> copy;
    size_t looked = 0;
    for (const std::string& candidate : InputFile::Siblings(in.path)) {
      if (++looked > kMaxSiblings) break;
      std::string error;
      bool notFound = false;
      std::unique_ptr<InputFile> file = InputFile::Open(candidate, *stop_, error, notFound);
      FileIdentity identity;
      uint64_t size = 0;
      if (!file || file->kind() != InputFile::Kind::File || !file->Stat(identity, size, error) ||
          identity == in.identity || size < read)
        continue;
      file->Seek(read);
      Input probe{candidate, std::move(file), InputDecoder(candidate), identity, size, in.head, in.tail};
      if (!Rewritten(probe, nullptr, 0)) {
        copy = std::move(probe.file);
        break;
      }
    }
    uint64_t copied = 0;
    while (copy && !sink.Stopping()) {
      std::string error;
      int64_t n = copy->Read(buffer_.data(), buffer_.size(), error);
      if (n <= 0) break;
      copied += static_cast<uint64_t>(n);
      in.pump.Feed(buffer_.data(), static_cast<size_t>(n), sink);
    }
    if (!copy && in.seenSize > read) {  // (the record they cut short is part of what this says)
      sink.OnIssue(Issue{&kErrFileTruncated,
                         in.path + " was truncated or rewritten in place before " + std::to_string(in.seenSize - read) +
                             " bytes after offset " + std::to_string(read) +
                             " were read, and no rotated copy of it was found beside it: they are lost",
                         in.path, static_cast<int64_t>(read)});
    } else {
      in.pump.Finish(sink);  // the old content ends here: a record it cuts short is reported
    }
  }
  in.file->Seek(0);
  in.pump.Restart();
  in.head.clear();
  in.tail.clear();
  in.seenSize = 0;
}

bool ReplaySource::ReadAvailable(Input& in, RecordSink& sink) {
  const bool file = in.file->kind() == InputFile::Kind::File;
  if (file && Rewritten(in, nullptr, 0)) Restart(in, sink);
  while (!sink.Stopping()) {
    std::string error;
    int64_t n = in.file->Read(buffer_.data(), buffer_.size(), error);
    if (n == InputFile::kNotYet) {
      sink.OnIdle();  // a pipe: hand over what is batched before waiting for its writer
      if (in.file->WaitReadable(sink.IdleTimeout()) == InputFile::Ready::Stopped) return false;
      continue;
    }
    if (n < 0) {
      sink.OnIssue(Issue{&kErrFileRead, "cannot read " + in.path + ": " + error, in.path});
      return false;
    }
    if (n == 0) return true;
    const size_t size = static_cast<size_t>(n);
    if (file && Rewritten(in, buffer_.data(), size)) {  // these bytes may be the new content's: read again
      in.file->Seek(in.file->position() - size);
      Restart(in, sink);
      continue;
    }
    const uint64_t at = in.file->position() - size;
    if (at == in.head.size() && at < kMarkBytes) in.head.append(buffer_.data(), std::min(size, kMarkBytes - in.head.size()));
    if (size >= kMarkBytes) in.tail.assign(buffer_.data() + size - kMarkBytes, kMarkBytes);
    else in.tail.append(buffer_.data(), size).erase(0, in.tail.size() > kMarkBytes ? in.tail.size() - kMarkBytes : 0);
    in.pump.Feed(buffer_.data(), size, sink);
  }
  return false;
}

void ReplaySource::Follow(Followed& f, RecordSink& sink) {
  const std::string path = f.current.path;  // a copy: f.current is replaced below
  FileIdentity named;
  if (InputFile::IdentityOf(path, named) && named != f.current.identity && named != f.unopenable) {
    // Another file took the path (the old one was renamed or deleted): read after the old one.
    std::string error;
    bool notFound = false;
    std::unique_ptr<InputFile> file = InputFile::Open(path, *stop_, error, notFound);
    FileIdentity identity;
    uint64_t size = 0;
    if (file && file->Stat(identity, size, error)) {
      if (f.previous) {  // a third file: the oldest is done
        ReadAvailable(*f.previous, sink);
        f.previous->pump.Finish(sink);
      }
      f.previous = std::move(f.current);
      f.current = Input{path, std::move(file), InputDecoder(path), identity};
      if (!waiter_->Watch(path, error))
        sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch " + path + ": " + error, path});
    } else if (!notFound) {  // (gone again: the next change tells)
      f.unopenable = named;
      sink.OnIssue(Issue{&kErrFileRead, "cannot open the new " + path + ": " + error, path});
    }
  }
  if (f.previous) {
    // The old file is read to its end first. Once its successor holds records, the writer has moved
    // on: what the old one holds then is all it will hold.
    FileIdentity identity;
    uint64_t successorSize = 0;
    std::string error;
    const bool successorWritten = f.current.file->Stat(identity, successorSize, error) && successorSize > 0;
    const bool ok = ReadAvailable(*f.previous, sink);
    if (sink.Stopping()) return;
    if (!ok || successorWritten) {
      if (ok) f.previous->pump.Finish(sink);
      f.previous.reset();
    }
  }
  ReadAvailable(f.current, sink);
}

void ReplaySource::Run(RecordSink& sink) {
  if (!stop_) {
    sink.OnIssue(Issue{&kErrFileRead, "cannot read the replay files: " + stopError_});
    return;
  }
  buffer_.resize(1 << 20);
  if (follow_ && !waiter_)
    sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch files for appended records: " + waiterError_});

  std::vector<Followed> followed;
  for (const std::string& path : files_) {
    if (sink.Stopping()) return;
    std::string error;
    bool notFound = false;
    Input in{path, InputFile::Open(path, *stop_, error, notFound), InputDecoder(path)};
    if (!in.file) {
      sink.OnIssue(Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + path + ": " + error, path});
      continue;
    }
    uint64_t size = 0;
    in.file->Stat(in.identity, size, error);
    // A pipe is read to its end, never followed.
    const bool follow = waiter_ && in.file->kind() == InputFile::Kind::File;
    // Watch before the first read, so that an append between reading to the end and waiting still
    // wakes the wait.
    if (follow && !waiter_->Watch(path, error)) {
      sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch " + path + ": " + error, path});
    }
    if (!ReadAvailable(in, sink)) continue;
    if (follow) followed.push_back(Followed{std::move(in), std::nullopt, std::nullopt});
    else in.pump.Finish(sink);
  }
  if (followed.empty()) return;

  while (!sink.Stopping()) {
    sink.OnIdle();
    switch (waiter_->Wait(sink.IdleTimeout())) {
      case FileChangeWaiter::Woken::Interrupted: return;
      case FileChangeWaiter::Woken::TimedOut: continue;  // held events fell due
      case FileChangeWaiter::Woken::Changed: break;
    }
    for (Followed& f : followed) Follow(f, sink);
  }
}

}  // namespace wfp
