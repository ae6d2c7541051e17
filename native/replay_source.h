// Replays recorded event XML from files, in the order given; with `follow`, keeps waiting for records
// appended to them (as `tail -f`), woken by the OS.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "event_source.h"
#include "input_file.h"

namespace wfp {

inline constexpr const char* kErrFileNotFound = "ERR_FILE_NOT_FOUND";
inline constexpr const char* kErrFileRead = "ERR_FILE_READ";
inline constexpr const char* kErrFollowUnavailable = "ERR_FOLLOW_UNAVAILABLE";

class ReplaySource final : public EventSource {
 public:
  ReplaySource(std::vector<std::string> files, bool follow);
  void Run(RecordSink& sink) override;
  void Interrupt() override;

 private:
  struct Followed;
  // Reads what the file holds now. Returns false on a read error (already reported).
  bool ReadAvailable(Followed& f, RecordSink& sink);

  std::vector<std::string> files_;
  std::unique_ptr<FileChangeWaiter> waiter_;  // set in follow mode
  std::string waiterError_;
  std::vector<char> buffer_;
};

}  // namespace wfp
