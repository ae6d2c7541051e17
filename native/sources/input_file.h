// One input of the replay source as the OS gives it: a file, read from start to end and then, in follow
// mode, as it grows, rotates and is replaced; or a pipe (a FIFO, a character device, a Windows named
// pipe), read as its writer writes. Every wait is woken at once by the source's StopSignal, so close()
// never waits for a writer. Per-OS implementations: input_file_posix.cc, input_file_win.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wfp {

// Wakes every wait of one source, from any thread.
class StopSignal {
 public:
  virtual ~StopSignal() = default;
  static std::unique_ptr<StopSignal> Create(std::string& error);
  // Any thread. The current and every later wait return at once.
  virtual void Raise() = 0;
};

// Which file a handle or a path is: device and inode (POSIX), volume serial number and file ID
// (Windows). A file renamed keeps it; a file created in its place has another.
struct FileIdentity {
  uint64_t volume = 0;
  uint64_t file[2] = {0, 0};
  bool operator==(const FileIdentity& o) const {
    return volume == o.volume && file[0] == o.file[0] && file[1] == o.file[1];
  }
  bool operator!=(const FileIdentity& o) const { return !(*this == o); }
};

class InputFile {
 public:
  enum class Kind { File, Pipe };
  enum class Ready { Readable, TimedOut, Stopped };
  // Read(): nothing has arrived from the pipe yet.
  static constexpr int64_t kNotYet = -2;

  virtual ~InputFile() = default;
  // Opens `path` (UTF-8) for reading without blocking (a FIFO with no writer yet opens at once). On
  // failure returns null and sets `error`; `notFound` tells a missing file.
  static std::unique_ptr<InputFile> Open(const std::string& path, const StopSignal& stop, std::string& error,
                                         bool& notFound);
  // Which file `path` names now; false when there is none.
  static bool IdentityOf(const std::string& path, FileIdentity& out);
  // The other entries of the folder `path` is in (full paths), where a rotated copy of it may be.
  static std::vector<std::string> Siblings(const std::string& path);

  virtual Kind kind() const = 0;
  // Reads up to `size` bytes at the position, and moves past them. A file: 0 at its current end. A
  // pipe: 0 at its end (its writer closed it), or kNotYet: wait with WaitReadable(), then call Read()
  // again with the same buffer (a Windows read goes on into it meanwhile). -1 on error (sets `error`).
  virtual int64_t Read(char* buffer, size_t size, std::string& error) = 0;
  // A pipe: blocks until Read() has something to return, the timeout passed, or the stop signal.
  virtual Ready WaitReadable(std::optional<std::chrono::milliseconds> timeout) = 0;
  // A file: reads up to `size` bytes at `offset`, leaving the position alone.
  virtual int64_t ReadAt(uint64_t offset, char* buffer, size_t size, std::string& error) = 0;
  // The identity and size of the file now (of what was opened, wherever its name went since).
  virtual bool Stat(FileIdentity& identity, uint64_t& size, std::string& error) = 0;
  virtual uint64_t position() const = 0;
  // A file: reads from `offset` on.
  virtual void Seek(uint64_t offset) = 0;
};

// Wakes a follow-mode reader when one of its files, or the folder it is in, changes.
class FileChangeWaiter {
 public:
  virtual ~FileChangeWaiter() = default;
  static std::unique_ptr<FileChangeWaiter> Create(const StopSignal& stop, std::string& error);
  // Watches the file `path` names now (again after it was replaced), and its folder: a file created
  // or renamed there may be its successor.
  virtual bool Watch(const std::string& path, std::string& error) = 0;
  enum class Woken { Changed, TimedOut, Interrupted };
  // Blocks until a watched file may have changed (Windows also re-checks every second: see
  // input_file_win.cc), Poke() was called, the timeout passed (none: no timeout), or the stop signal
  // was raised.
  virtual Woken Wait(std::optional<std::chrono::milliseconds> timeout) = 0;
  // Any thread: the current or the next Wait() returns Changed.
  virtual void Poke() = 0;
};

}  // namespace wfp
