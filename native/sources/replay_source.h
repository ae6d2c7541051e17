// Replays recorded event XML from files, in the order given; with `follow`, keeps waiting for records
// appended to them (as `tail -f`), woken by the OS. Options: `files` (paths, read in order), `follow`.
#pragma once

#include <memory>
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
  struct Followed;
  std::vector<uint32_t> AnnounceAll(RecordSink& sink, std::vector<std::string>& heads);
  // Reads what the file holds now. Returns false on a read error (already reported).
  bool ReadAvailable(Followed& f, RecordSink& sink);

  std::vector<std::string> files_;
  std::unique_ptr<FileChangeWaiter> waiter_;  // set in follow mode
  std::string waiterError_;
  std::vector<char> buffer_;
};

}  // namespace wfp
