// Replays recorded event XML from files, in the order given; with `follow`, keeps waiting for records
// appended to them (as `tail -F`), woken by the OS, through rotations: a file renamed or deleted and
// created again is read to its end before its successor, one truncated or rewritten in place is read
// on from its rotated copy when one is beside it (copytruncate), and what cannot be read is reported.
// A pipe (a FIFO, `<(...)`) is read as its writer writes, to its end. Options: `files` (paths, read in
// order), `follow`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/event_source.h"
#include "sources/input_file.h"
#include "sources/source_options.h"

namespace wfp {

class ReplaySource final : public EventSource {
 public:
  ReplaySource(std::vector<std::string> files, bool follow);
  static std::unique_ptr<EventSource> Create(OptionReader& options, const SourceContext& context);
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  struct Input;
  struct Followed;
  // Reads what the input holds now (a pipe: to its end). False on a read error (already reported)
  // or when stopping.
  bool ReadAvailable(Input& in, RecordSink& sink);
  // The file was truncated or rewritten in place since it was last read: read what it held on from
  // its rotated copy, or report what is lost; then read it again from its start.
  void Restart(Input& in, RecordSink& sink);
  // Checks whether a new file took `f`'s path; reads the files it names, oldest first.
  void Follow(Followed& f, RecordSink& sink);
  bool Rewritten(Input& in, const char* read, size_t readSize);

  std::vector<std::string> files_;
  bool follow_;
  std::unique_ptr<StopSignal> stop_;
  std::string stopError_;
  std::unique_ptr<FileChangeWaiter> waiter_;  // set in follow mode
  std::string waiterError_;
  std::vector<char> buffer_;
  std::string scratch_;
};

}  // namespace wfp
