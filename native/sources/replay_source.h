// Replays recorded event XML from files, in the order given; with `follow`, keeps waiting for records
// appended to them (as `tail -F`), woken by the OS, through rotations, however far behind the reader
// is (paused, or a slow listener): a file renamed or deleted and created again is read to its end
// before its successor, one truncated or rewritten in place (copytruncate) is read on from its rotated
// copy, and what cannot be read is reported. A pipe (a FIFO, `<(...)`) is read as its writer writes,
// to its end. Options: `files` (paths, read in order), `follow`.
//
// Follow mode has two threads. The reader (the watcher's thread) reads and may block for a long time
// while JavaScript is behind. The tracker sees each change as it happens: it opens every file that
// takes a followed path and every copy a rewrite in place leaves, and keeps them, in order, until the
// reader gets there, so that no generation of a file is gone (deleted, renamed again, truncated) by
// then.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/event_source.h"
#include "sources/input_file.h"
#include "sources/source_options.h"

namespace wfp {

class ReplaySource final : public EventSource {
 public:
  ReplaySource(std::vector<std::string> files, bool follow);
  ~ReplaySource() override;
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  struct Input;
  struct Successor;
  struct Track;
  struct Followed;
  // Reads what the input holds now (a pipe: to its end). False on a read error (already reported)
  // or when stopping. `f`: the followed path the input is the current file of.
  bool ReadAvailable(Input& in, RecordSink& sink, Followed* f = nullptr);
  // The file was truncated or rewritten in place since it was last read: read what it held on from
  // its rotated copy, or report what is lost; then the copies the tracker kept of later rewrites;
  // then read it again from its start.
  void Restart(Input& in, RecordSink& sink, Followed* f);
  void OnRewritten(Input& in, RecordSink& sink, Followed* f);
  // Whether the tracker handed a verdict on the content `f` is reading (it was rewritten in place).
  bool VerdictWaiting(Followed& f);
  // Has the tracker look at every file once more, now, and waits until it did.
  void WaitForLook();
  // Reads the files that took `f`'s path since, oldest first, then the current one.
  void Follow(Followed& f, RecordSink& sink);
  bool Rewritten(Input& in, const char* read, size_t readSize);
  // The tracker thread.
  void TrackChanges();
  void Look(Track& t);
  void ReadCopy(InputFile& copy, Input& in, RecordSink& sink);

  std::vector<std::string> files_;
  bool follow_;
  std::unique_ptr<StopSignal> stop_;
  std::string stopError_;
  std::unique_ptr<FileChangeWaiter> waiter_;  // set in follow mode; used by the tracker once it runs
  std::string waiterError_;
  std::vector<char> buffer_;
  std::string scratch_;

  std::vector<std::unique_ptr<Track>> tracks_;
  std::thread tracker_;
  std::mutex mutex_;  // guards what the tracker hands over (Track::found), the pass counts, stopping_
  std::condition_variable changed_;
  uint64_t passStarted_ = 0;  // the tracker's looks at every file, started and done
  uint64_t passDone_ = 0;
  bool stopping_ = false;
};

}  // namespace wfp
