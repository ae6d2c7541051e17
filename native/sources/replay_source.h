// Replays recorded event XML, .evtx files or the firewall's own log from files, in the order given;
// with `follow`, keeps waiting for records appended to them (as `tail -F`), woken by the OS, through
// rotations, however far behind the reader is (paused, or a slow listener): a file renamed or deleted and created again
// is read to its end before its successor, one truncated or rewritten in place (copytruncate) is read on from its
// rotated copy, and what cannot be read is reported. A pipe (a FIFO, `<(...)`) is read as its writer writes, to its
// end. Options: `files` (paths, read in order), `follow`, `utcOffsetMinutes` (InputOptions).
//
// Every input is announced to the sink by its first bytes (RecordSink::OnInputOpened) before any
// record is read: the files as given, and a pipe once its first read returned. In follow mode each
// later content of a followed path (a file that took the path, a copy of a content rewritten in
// place, the content a rewrite left) is a new input, announced when its first bytes are read, and
// the one before it ends (OnInputEnded): a bookmark then resumes each content by its own first bytes.
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
#include <string_view>
#include <thread>
#include <vector>

#include "model/event_source.h"
#include "sources/input_decoder.h"
#include "sources/input_file.h"
#include "sources/source_options.h"

namespace wfp {

class ReplaySource final : public EventSource {
 public:
  ReplaySource(std::vector<std::string> files, bool follow, InputOptions inputOptions = {});
  ~ReplaySource() override;
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  struct Input;
  struct Successor;
  struct Track;
  struct Followed;
  // Opens and announces every input, then OnInputsKnown(). A file is opened again to be read (so
  // that many inputs never hold many handles); a pipe is kept, with what its first read returned.
  std::vector<Input> AnnounceAll(RecordSink& sink);
  // Opens a file announced by AnnounceAll to read it; false (reported) when it cannot be, or when it
  // is no longer the file that was announced.
  bool Reopen(Input& in, RecordSink& sink);
  // Gives `in` (a content not announced yet) the next input index and announces it with `head`.
  void Announce(Input& in, RecordSink& sink, std::string_view head);
  // The content `in` was reading ended: its decoder is finished, and the sink told.
  void EndInput(Input& in, RecordSink& sink, bool finish = true);
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
  InputOptions inputOptions_;
  bool follow_;
  uint32_t nextIndex_ = 0;  // the index the next content announced gets
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
