// A file read from start to end and then, in follow mode, as it grows. Per-OS implementations.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace wfp {

class InputFile {
 public:
  virtual ~InputFile() = default;
  // Opens `path` (UTF-8). On failure returns null and sets `error`; `notFound` tells a missing file.
  static std::unique_ptr<InputFile> Open(const std::string& path, std::string& error, bool& notFound);
  // Reads up to `size` bytes; 0 at the current end of the file; -1 on error (sets `error`).
  virtual int64_t Read(char* buffer, size_t size, std::string& error) = 0;
  // Whether the file is now shorter than what was read (it was truncated or rewritten).
  virtual bool Shrunk() = 0;
  // Reads from the beginning again.
  virtual void Rewind() = 0;
};

// Wakes a follow-mode reader when one of its files changes, without polling.
class FileChangeWaiter {
 public:
  virtual ~FileChangeWaiter() = default;
  static std::unique_ptr<FileChangeWaiter> Create(std::string& error);
  virtual bool Watch(const std::string& path, std::string& error) = 0;
  enum class Woken { Changed, TimedOut, Interrupted };
  // Blocks until a watched file may have changed, the timeout passed (none: no timeout), or
  // Interrupt() was called.
  virtual Woken Wait(std::optional<std::chrono::milliseconds> timeout) = 0;
  // Any thread. Makes the current and every later Wait() return false.
  virtual void Interrupt() = 0;
};

}  // namespace wfp
