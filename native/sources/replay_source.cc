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
// How many files the tracker keeps for one path until the reader gets there.
constexpr size_t kMaxKept = 64;

// Whether `file` holds `expected` at `offset`.
bool Holds(InputFile& file, uint64_t offset, const std::string& expected, std::string& scratch) {
  if (expected.empty()) return true;
  std::string error;
  scratch.resize(expected.size());
  return file.ReadAt(offset, scratch.data(), expected.size(), error) == static_cast<int64_t>(expected.size()) &&
         std::memcmp(scratch.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

// The first bytes of a file, as many as identify an input.
std::string HeadOf(InputFile& file) {
  std::string head(InputIdentity::kIdentityBytes, '\0');
  std::string error;
  const int64_t n = file.ReadAt(0, head.data(), head.size(), error);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);  // a read error shows again when the input is read
  return head;
}

// One file as it was opened: a file read once, a pipe, or a generation of a followed path.
struct ReplaySource::Input {
  Input(std::string path_, std::unique_ptr<InputFile> file_, const InputOptions& options, FileIdentity identity_ = {})
      : path(std::move(path_)), file(std::move(file_)), pump(path, 0, options), identity(identity_) {}

  std::string path;
  // A pipe: what its first read returned, fed before anything else. (Declared before `file`: a
  // Windows read still pending into it is cancelled when `file` goes.)
  std::string pipeHead;
  std::unique_ptr<InputFile> file;
  InputDecoder pump;
  FileIdentity identity;
  bool announced = false;  // the content it reads was announced to the sink, as input `index`
  uint32_t index = 0;
  uint64_t seenSize = 0;  // the largest size seen since it was last read from its start
  std::string head;       // its first bytes, as read
  std::string tail;       // the last bytes read, just before the position
};

// What the tracker found for a followed path, for the reader to take in order.
struct ReplaySource::Successor {
  enum class Kind {
    NewFile,  // a file that took the path (the one before was renamed or deleted), read from its start
    Copy,     // a copy of a content the file held before it was rewritten in place, whole
    Lost,     // such a content, of `size` bytes, whose copy was not found
    Problem,  // something the reader must report
  };
  Kind kind;
  std::unique_ptr<InputFile> file;  // NewFile, Copy
  uint64_t size = 0;                // Copy, Lost: how long that content was last seen to be
  Issue issue;                      // Problem
};

// The tracker's own view of one followed path.
struct ReplaySource::Track {
  std::string path;
  std::unique_ptr<InputFile> live;   // its own handle of the file the path names
  FileIdentity identity;             // of that file
  uint64_t size = 0;                 // its size at the last look
  std::string head;                  // the first bytes of its current content
  std::string tail;                  // its last bytes at the last look
  std::vector<FileIdentity> handed;  // the last copies handed over
  std::optional<FileIdentity> unopenable;
  std::deque<Successor> found;  // under mutex_
};

// A followed path, as the reader reads it.
struct ReplaySource::Followed {
  Input current;
  Track* track;
  // Read again from its start after a rewrite: its first bytes are taken only once the tracker has
  // looked since (they may already be a later content's, if it was rewritten again meanwhile).
  bool confirmStart = false;
};

ReplaySource::ReplaySource(std::vector<std::string> files, bool follow, InputOptions inputOptions)
    : files_(std::move(files)), inputOptions_(inputOptions), follow_(follow) {
  // Created here, not in Run, so that Interrupt() always has something to wake.
  stop_ = StopSignal::Create(stopError_);
  if (stop_ && follow) waiter_ = FileChangeWaiter::Create(*stop_, waiterError_);
  if (follow && !waiter_ && waiterError_.empty()) waiterError_ = stopError_;
}

ReplaySource::~ReplaySource() = default;

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
  if (stop_) stop_->Raise();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
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
  // The head as it is known after these bytes: a chunk read at its end completes it.
  const size_t headPart = at == in.head.size() && at < kMarkBytes ? std::min(size, kMarkBytes - in.head.size()) : 0;
  if (!Holds(*in.file, 0, in.head, scratch_) ||
      !Holds(*in.file, at, std::string(read ? read : "", headPart), scratch_) ||
      !Holds(*in.file, at - in.tail.size(), in.tail, scratch_))
    return true;
  in.seenSize = std::max(in.seenSize, fileSize);
  return false;
}

void ReplaySource::ReadCopy(InputFile& copy, Input& in, RecordSink& sink) {
  while (!sink.Stopping()) {
    std::string error;
    int64_t n = copy.Read(buffer_.data(), buffer_.size(), error);
    if (n < 0) sink.OnIssue(Issue{&kErrFileRead, "cannot read the rotated copy of " + in.path + ": " + error, in.path});
    if (n <= 0) return;
    in.pump.Feed(buffer_.data(), static_cast<size_t>(n), sink);
  }
}

namespace {
// Reports bytes of a followed file that were rewritten before they could be read.
void ReportLost(RecordSink& sink, const std::string& path, uint64_t bytes, uint64_t offset, const char* how) {
  sink.OnIssue(Issue{&kErrFileTruncated,
                     path + " was truncated or rewritten in place" + how + " before " + std::to_string(bytes) +
                         " bytes after offset " + std::to_string(offset) +
                         " were read, and no rotated copy of it was found beside it: they are lost",
                     path, static_cast<int64_t>(offset)});
}
}  // namespace

void ReplaySource::Restart(Input& in, RecordSink& sink, Followed* f) {
  const uint64_t read = in.file->position();
  // The tracker's verdicts on the contents the file held, one per rewrite it saw, oldest first: the
  // first is on the content `in` was reading (unless `in` read nothing of it yet).
  std::deque<Successor> verdicts;
  if (f) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<Successor>& found = f->track->found;
    while (!found.empty() &&
           (found.front().kind == Successor::Kind::Copy || found.front().kind == Successor::Kind::Lost)) {
      verdicts.push_back(std::move(found.front()));
      found.pop_front();
    }
  }
  auto probe = [&](InputFile& file) {  // whether `file` holds what `in` read, and at least as much
    FileIdentity identity;
    uint64_t size = 0;
    std::string error;
    return file.kind() == InputFile::Kind::File && file.Stat(identity, size, error) && identity != in.identity &&
           size >= read && Holds(file, 0, in.head, scratch_) && Holds(file, read - in.tail.size(), in.tail, scratch_);
  };
  if (read > 0) {
    // logrotate's copytruncate copies the file beside it, then truncates it: the copy holds the
    // rest of what was read, byte for byte.
    std::unique_ptr<InputFile> copy;
    uint64_t seen = in.seenSize;
    if (!verdicts.empty()) {
      Successor& v = verdicts.front();
      if (v.kind == Successor::Kind::Copy && probe(*v.file)) {
        copy = std::move(v.file);
      } else if (Holds(*in.file, 0, in.head, scratch_) && Holds(*in.file, read - in.tail.size(), in.tail, scratch_)) {
        // The file still holds what `in` read: these verdicts are on contents before it, rewritten
        // between two looks of the reader. They cannot be read in order any more.
        for (const Successor& lost : verdicts) ReportLost(sink, in.path, lost.size, 0, " (an earlier content)");
        return;
      }
      seen = std::max(seen, v.size);
      verdicts.pop_front();
    } else {  // the tracker does not run, or missed it: look now
      size_t looked = 0;
      for (const std::string& candidate : InputFile::Siblings(in.path)) {
        if (++looked > kMaxSiblings) break;
        std::string error;
        bool notFound = false;
        std::unique_ptr<InputFile> file = InputFile::Open(candidate, *stop_, error, notFound);
        if (file && probe(*file)) {
          copy = std::move(file);
          break;
        }
      }
    }
    if (copy) {
      copy->Seek(read);
      ReadCopy(*copy, in, sink);
    }
    const bool lost = !copy && seen > read;
    if (lost) ReportLost(sink, in.path, seen - read, read, "");  // (with the record they cut short)
    EndInput(in, sink, !lost);  // the old content ends here: a record it cuts short is reported
  }
  if (in.announced) EndInput(in, sink, false);  // rewritten before any of it was read
  // Contents the file held and lost while the reader was behind, in order, each whole and each an
  // input of its own.
  for (Successor& v : verdicts) {
    if (v.kind == Successor::Kind::Copy) {
      Announce(in, sink, HeadOf(*v.file));
      ReadCopy(*v.file, in, sink);
      EndInput(in, sink);
    } else {
      ReportLost(sink, in.path, v.size, 0, " again");
    }
  }
  // What the file holds now is another input, announced when its first bytes are read.
  in.file->Seek(0);
  in.head.clear();
  in.tail.clear();
  in.seenSize = 0;
  if (f) f->confirmStart = true;
}

// `in` was rewritten in place. Followed (`f`), the tracker's verdict says where the rest of it is;
// without one yet, the tracker is asked to look now, and a rewrite it still did not see is handled
// here.
void ReplaySource::OnRewritten(Input& in, RecordSink& sink, Followed* f) {
  if (f && !VerdictWaiting(*f)) WaitForLook();
  Restart(in, sink, f);
}

void ReplaySource::WaitForLook() {
  uint64_t want;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    want = passStarted_ + 1;  // a pass that starts after now
  }
  waiter_->Poke();
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return passDone_ >= want || stopping_; });
}

bool ReplaySource::VerdictWaiting(Followed& f) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::deque<Successor>& found = f.track->found;
  return !found.empty() && (found.front().kind == Successor::Kind::Copy || found.front().kind == Successor::Kind::Lost);
}

void ReplaySource::Announce(Input& in, RecordSink& sink, std::string_view head) {
  in.index = nextIndex_++;
  in.announced = true;
  in.pump.Restart(in.index);
  sink.OnInputOpened(in.index, in.path, head.substr(0, InputIdentity::kIdentityBytes));
}

void ReplaySource::EndInput(Input& in, RecordSink& sink, bool finish) {
  if (finish) in.pump.Finish(sink);
  if (in.announced) sink.OnInputEnded(in.index, in.pump.end());
  in.announced = false;
}

bool ReplaySource::ReadAvailable(Input& in, RecordSink& sink, Followed* f) {
  const bool file = in.file->kind() == InputFile::Kind::File;
  if (!in.pipeHead.empty()) {
    const std::string head = std::move(in.pipeHead);
    in.pipeHead.clear();
    in.pump.Feed(head.data(), head.size(), sink);
    sink.OnProgress();
  }
  if (file && Rewritten(in, nullptr, 0)) OnRewritten(in, sink, f);
  while (!sink.Stopping()) {
    // The tracker saw the content end (rewritten in place): go on from where it is kept.
    if (f && VerdictWaiting(*f)) Restart(in, sink, f);
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
    const uint64_t at = in.file->position() - size;
    if (f && f->confirmStart && at == 0) {
      WaitForLook();
      f->confirmStart = false;
      if (VerdictWaiting(*f)) {  // rewritten again: these bytes are a later content's
        in.file->Seek(0);
        Restart(in, sink, f);
        continue;
      }
    }
    if (file && Rewritten(in, buffer_.data(), size)) {  // these bytes may be the new content's: read again
      in.file->Seek(at);
      OnRewritten(in, sink, f);
      continue;
    }
    if (!in.announced) Announce(in, sink, at == 0 ? std::string_view(buffer_.data(), size) : HeadOf(*in.file));
    if (at == in.head.size() && at < kMarkBytes)
      in.head.append(buffer_.data(), std::min(size, kMarkBytes - in.head.size()));
    if (size >= kMarkBytes)
      in.tail.assign(buffer_.data() + size - kMarkBytes, kMarkBytes);
    else
      in.tail.append(buffer_.data(), size).erase(0, in.tail.size() > kMarkBytes ? in.tail.size() - kMarkBytes : 0);
    in.pump.Feed(buffer_.data(), size, sink);
    sink.OnProgress();
  }
  return false;
}

void ReplaySource::Follow(Followed& f, RecordSink& sink) {
  while (!sink.Stopping()) {
    Successor next{Successor::Kind::Lost};
    bool have = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::deque<Successor>& found = f.track->found;
      if (!found.empty() &&
          (found.front().kind == Successor::Kind::NewFile || found.front().kind == Successor::Kind::Problem)) {
        if (found.front().kind == Successor::Kind::Problem) {
          Issue issue = std::move(found.front().issue);
          found.pop_front();
          sink.OnIssue(std::move(issue));
          continue;
        }
        next = std::move(found.front());
        have = true;
        found.pop_front();
      }
    }
    if (!have) break;
    // A file took the path. The old one is read to its end first; once its successor holds records,
    // the writer has moved on: what the old one holds then is all it will hold. (Its size is taken
    // first: records the successor holds then were written after the old one's last.)
    FileIdentity identity;
    uint64_t size = 0;
    std::string error;
    const bool written = next.file->Stat(identity, size, error) && size > 0;
    const bool ok = ReadAvailable(f.current, sink, &f);
    if (sink.Stopping()) return;
    if (ok && !written) {  // not yet: the old file may still grow; the successor waits its turn
      std::lock_guard<std::mutex> lock(mutex_);
      f.track->found.push_front(std::move(next));
      return;
    }
    if (ok) EndInput(f.current, sink);
    f.confirmStart = false;
    f.current = Input(f.current.path, std::move(next.file), inputOptions_, identity);  // announced when first read
  }
  ReadAvailable(f.current, sink, &f);
}

// The tracker thread: sees every change as it happens, whatever the reader is doing.
void ReplaySource::TrackChanges() {
  while (waiter_->Wait(std::nullopt) != FileChangeWaiter::Woken::Interrupted) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++passStarted_;
    }
    for (const std::unique_ptr<Track>& t : tracks_) Look(*t);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      passDone_ = passStarted_;
    }
    changed_.notify_all();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;  // nothing answers WaitForLook() any more
  }
  changed_.notify_all();
}

void ReplaySource::Look(Track& t) {
  auto hand = [&](Successor s) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (t.found.size() >= kMaxKept && s.kind != Successor::Kind::Problem) {
      s = Successor{Successor::Kind::Problem};
      s.issue = Issue{&kErrFileTruncated,
                      "follow mode fell more than " + std::to_string(kMaxKept) + " rotations behind " + t.path +
                          ": a rotated file was not kept, and what it holds is not read",
                      t.path};
    }
    t.found.push_back(std::move(s));
  };
  std::string error;
  FileIdentity named;
  if (InputFile::IdentityOf(t.path, named) && named != t.identity && named != t.unopenable) {
    // A file took the path: opened now (twice: the reader's and ours), before it can be renamed again.
    bool notFound = false;
    std::unique_ptr<InputFile> forReader = InputFile::Open(t.path, *stop_, error, notFound);
    std::unique_ptr<InputFile> ours = forReader ? InputFile::Open(t.path, *stop_, error, notFound) : nullptr;
    FileIdentity identity;
    uint64_t size = 0;
    if (ours && ours->Stat(identity, size, error)) {
      hand(Successor{Successor::Kind::NewFile, std::move(forReader)});
      t.live = std::move(ours);
      t.identity = identity;
      t.size = 0;
      t.head.clear();
      if (!waiter_->Watch(t.path, error)) {
        Successor s{Successor::Kind::Problem};
        s.issue = Issue{&kErrFollowUnavailable, "cannot watch " + t.path + ": " + error, t.path};
        hand(std::move(s));
      }
    } else if (!notFound) {  // (gone again: the next change tells)
      t.unopenable = named;
      Successor s{Successor::Kind::Problem};
      s.issue = Issue{&kErrFileRead, "cannot open the new " + t.path + ": " + error, t.path};
      hand(std::move(s));
    }
  }
  if (!t.live) return;
  FileIdentity identity;
  uint64_t size = 0;
  if (!t.live->Stat(identity, size, error)) return;
  std::string scratch;
  const bool rewritten =
      size < t.size || !Holds(*t.live, 0, t.head, scratch) || !Holds(*t.live, t.size - t.tail.size(), t.tail, scratch);
  if (rewritten && t.size > 0) {
    // Rewritten in place: keep its copy now, before a later rotation renames or removes it. The copy
    // begins and, where the last look ended, ends as the content did.
    std::unique_ptr<InputFile> copy;
    size_t looked = 0;
    for (const std::string& candidate : InputFile::Siblings(t.path)) {
      if (++looked > kMaxSiblings) break;
      bool notFound = false;
      std::unique_ptr<InputFile> file = InputFile::Open(candidate, *stop_, error, notFound);
      FileIdentity id;
      uint64_t copySize = 0;
      if (file && file->kind() == InputFile::Kind::File && file->Stat(id, copySize, error) && id != t.identity &&
          std::find(t.handed.begin(), t.handed.end(), id) == t.handed.end() && copySize >= t.size &&
          Holds(*file, 0, t.head, scratch) && Holds(*file, t.size - t.tail.size(), t.tail, scratch)) {
        t.handed.push_back(id);
        if (t.handed.size() > kMaxKept) t.handed.erase(t.handed.begin());
        copy = std::move(file);
        break;
      }
    }
    Successor s{copy ? Successor::Kind::Copy : Successor::Kind::Lost, std::move(copy), t.size};
    hand(std::move(s));
  }
  if (rewritten) {
    t.size = 0;
    t.head.clear();
    t.tail.clear();
  }
  if (t.head.size() < kMarkBytes && size > t.head.size()) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size, kMarkBytes)) - t.head.size();
    scratch.resize(want);
    int64_t n = t.live->ReadAt(t.head.size(), scratch.data(), want, error);
    if (n > 0) t.head.append(scratch.data(), static_cast<size_t>(n));
  }
  const size_t tailSize = static_cast<size_t>(std::min<uint64_t>(size, kMarkBytes));
  t.tail.resize(tailSize);
  if (t.live->ReadAt(size - tailSize, t.tail.data(), tailSize, error) != static_cast<int64_t>(tailSize)) t.tail.clear();
  t.size = size;
}

std::vector<ReplaySource::Input> ReplaySource::AnnounceAll(RecordSink& sink) {
  std::vector<Input> inputs;
  std::vector<Issue> failures;
  for (uint32_t i = 0; i < files_.size() && !sink.Stopping(); ++i) {
    const std::string& path = files_[i];
    std::string error;
    bool notFound = false;
    Input in(path, InputFile::Open(path, *stop_, error, notFound), inputOptions_);
    if (!in.file) {
      failures.push_back(
          Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + path + ": " + error, path});
      continue;
    }
    std::string_view head;
    std::string fileHead;
    if (in.file->kind() == InputFile::Kind::Pipe) {
      // Its first read, however short: a writer may write one record and wait.
      in.pipeHead.resize(InputIdentity::kIdentityBytes);
      int64_t n;
      while ((n = in.file->Read(in.pipeHead.data(), in.pipeHead.size(), error)) == InputFile::kNotYet) {
        if (in.file->WaitReadable(std::nullopt) == InputFile::Ready::Stopped) return {};
      }
      if (n < 0) {
        failures.push_back(Issue{&kErrFileRead, "cannot read " + path + ": " + error, path});
        continue;
      }
      in.pipeHead.resize(static_cast<size_t>(n));
      head = in.pipeHead;
    } else {
      fileHead = HeadOf(*in.file);
      head = fileHead;
      in.head = fileHead;  // kept until the file is opened again to be read (see Reopen)
      in.file.reset();
    }
    in.index = i;
    in.announced = true;
    in.pump.Restart(i);
    sink.OnInputOpened(i, path, head);
    inputs.push_back(std::move(in));
  }
  nextIndex_ = static_cast<uint32_t>(files_.size());
  if (inputs.empty() && !failures.empty()) failures.back().fatal = true;
  for (Issue& failure : failures) sink.OnIssue(std::move(failure));
  sink.OnInputsKnown();
  return inputs;
}

bool ReplaySource::Reopen(Input& in, RecordSink& sink) {
  std::string error;
  bool notFound = false;
  in.file = InputFile::Open(in.path, *stop_, error, notFound);
  if (!in.file) {
    sink.OnIssue(Issue{notFound ? &kErrFileNotFound : &kErrFileRead, "cannot open " + in.path + ": " + error, in.path});
    return false;
  }
  // A file that only grew since it was announced is the same input; any other change is not.
  const std::string announced = std::move(in.head);
  in.head.clear();
  if (in.file->kind() != InputFile::Kind::File || HeadOf(*in.file).compare(0, announced.size(), announced) != 0) {
    sink.OnIssue(Issue{&kErrFileRead, in.path + " was replaced while it was being opened", in.path});
    return false;
  }
  return true;
}

void ReplaySource::Run(RecordSink& sink) {
  if (!stop_) {
    sink.OnIssue(Issue{&kErrFileRead, "cannot read the replay files: " + stopError_});
    return;
  }
  buffer_.resize(1 << 20);
  if (follow_ && !waiter_)
    sink.OnIssue(Issue{&kErrFollowUnavailable, "cannot watch files for appended records: " + waiterError_});

  std::vector<Input> inputs = AnnounceAll(sink);
  std::vector<Followed> followed;
  for (Input& in : inputs) {
    if (sink.Stopping()) return;
    const std::string& path = in.path;
    if (!in.file && !Reopen(in, sink)) continue;
    std::string error;
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
    if (follow)
      followed.push_back(Followed{std::move(in), nullptr, false});
    else
      EndInput(in, sink);
  }
  if (followed.empty() || sink.Stopping()) return;

  // The tracker starts from what the reader has read: the file it opened (unless another took its
  // path meanwhile, which the tracker's first look then finds) and its first bytes.
  for (Followed& f : followed) {
    auto t = std::make_unique<Track>();
    t->path = f.current.path;
    t->identity = f.current.identity;
    FileIdentity named;
    std::string error;
    bool notFound = false;
    if (InputFile::IdentityOf(t->path, named) && named == t->identity) {
      t->live = InputFile::Open(t->path, *stop_, error, notFound);
      t->head = f.current.head;
      t->size = f.current.seenSize;
    }
    f.track = t.get();
    tracks_.push_back(std::move(t));
  }
  tracker_ = std::thread([this] { TrackChanges(); });
  // The tracker never outlives Run: a watcher's thread is joined before its addon may be unloaded.
  struct JoinTracker {
    ReplaySource& source;
    ~JoinTracker() {
      source.stop_->Raise();
      source.tracker_.join();
    }
  } joinTracker{*this};

  uint64_t seen = 0;
  for (Followed& f : followed) Follow(f, sink);  // what changed before the tracker ran
  while (!sink.Stopping()) {
    sink.OnIdle();
    const std::optional<std::chrono::milliseconds> timeout = sink.IdleTimeout();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto woken = [&] { return passDone_ != seen || stopping_; };
      if (!timeout)
        changed_.wait(lock, woken);
      else if (!changed_.wait_for(lock, *timeout, woken))
        continue;  // held events fell due
      if (stopping_) return;
      seen = passDone_;
    }
    for (Followed& f : followed) Follow(f, sink);
  }
}

}  // namespace wfp
