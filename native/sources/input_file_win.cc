// Windows inputs for the replay source: CreateFileW with sharing (a log being written, renamed or
// deleted can still be read) and overlapped reads, so that a read from a named pipe waits together with
// the stop event and is cancelled (CancelIoEx) when the source stops; directory change notifications
// for follow mode. FindFirstChangeNotificationW reports a size change only once the writer's cache is
// flushed to the directory entry, which a writer that keeps its handle open may not do for a long
// time: the wait is bounded, and the sizes are checked again every second through our own handles
// (which see the current size), as PowerShell's Get-Content -Wait does. The POSIX twin is
// input_file_posix.cc. Runs under Wine in the test suite; not yet on real Windows.
#include <windows.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <vector>

#include "sources/input_file.h"
#include "win/wide.h"

namespace wfp {
namespace {

// How long a follow-mode wait lasts at most before the sizes are checked again.
constexpr DWORD kRecheckMs = 1000;

class EventStop final : public StopSignal {
 public:
  explicit EventStop(HANDLE event) : event_(event) {}
  ~EventStop() override { CloseHandle(event_); }
  void Raise() override { SetEvent(event_); }
  HANDLE handle() const { return event_; }

 private:
  HANDLE event_;
};

HANDLE StopHandle(const StopSignal& stop) { return static_cast<const EventStop&>(stop).handle(); }

bool IdentityOfHandle(HANDLE h, FileIdentity& out) {
  FILE_ID_INFO id;
  if (GetFileInformationByHandleEx(h, FileIdInfo, &id, sizeof id)) {  // 128-bit IDs (ReFS)
    out.volume = id.VolumeSerialNumber;
    static_assert(sizeof id.FileId == sizeof out.file, "a FILE_ID_128 is two 64-bit words");
    std::memcpy(out.file, &id.FileId, sizeof out.file);
    return true;
  }
  BY_HANDLE_FILE_INFORMATION info;
  if (!GetFileInformationByHandle(h, &info)) return false;
  out.volume = info.dwVolumeSerialNumber;
  out.file[0] = static_cast<uint64_t>(info.nFileIndexHigh) << 32 | info.nFileIndexLow;
  out.file[1] = 0;
  return true;
}

DWORD ChunkSize(size_t size) { return static_cast<DWORD>(std::min<size_t>(size, 1u << 30)); }

class WinInputFile final : public InputFile {
 public:
  WinInputFile(HANDLE h, Kind kind, HANDLE readDone, HANDLE atDone, HANDLE stop)
      : handle_(h), kind_(kind), stop_(stop), atDone_(atDone) {
    overlapped_.hEvent = readDone;
  }
  ~WinInputFile() override {
    if (pending_) {  // the read must be over before its buffer may go
      DWORD got = 0;
      CancelIoEx(handle_, &overlapped_);
      GetOverlappedResult(handle_, &overlapped_, &got, TRUE);
    }
    CloseHandle(overlapped_.hEvent);
    CloseHandle(atDone_);
    CloseHandle(handle_);
  }

  Kind kind() const override { return kind_; }

  int64_t Read(char* buffer, size_t size, std::string& error) override {
    DWORD got = 0;
    if (!pending_) {
      SetOffset(overlapped_, kind_ == Kind::File ? position_ : 0);
      ResetEvent(overlapped_.hEvent);
      if (!ReadFile(handle_, buffer, ChunkSize(size), nullptr, &overlapped_) && GetLastError() != ERROR_IO_PENDING)
        return Failed(GetLastError(), 0, error);
    }
    // A file's read completes at once; a pipe's goes on into `buffer` until data arrive.
    if (!GetOverlappedResult(handle_, &overlapped_, &got, kind_ == Kind::File)) {
      const DWORD code = GetLastError();
      pending_ = code == ERROR_IO_INCOMPLETE;
      if (pending_) return kNotYet;
      return Failed(code, got, error);
    }
    pending_ = false;
    position_ += got;
    return got;
  }

  Ready WaitReadable(std::optional<std::chrono::milliseconds> timeout) override {
    if (!pending_) return Ready::Readable;
    HANDLE handles[2] = {stop_, overlapped_.hEvent};
    switch (WaitForMultipleObjects(2, handles, FALSE, timeout ? static_cast<DWORD>(timeout->count()) : INFINITE)) {
      case WAIT_OBJECT_0:
        return Ready::Stopped;
      case WAIT_TIMEOUT:
        return Ready::TimedOut;
      default:
        return Ready::Readable;  // done, or the wait failed: Read() tells
    }
  }

  int64_t ReadAt(uint64_t offset, char* buffer, size_t size, std::string& error) override {
    OVERLAPPED at{};
    at.hEvent = atDone_;
    SetOffset(at, offset);
    ResetEvent(atDone_);
    DWORD got = 0;
    if ((!ReadFile(handle_, buffer, ChunkSize(size), nullptr, &at) && GetLastError() != ERROR_IO_PENDING) ||
        !GetOverlappedResult(handle_, &at, &got, TRUE)) {
      const DWORD code = GetLastError();
      if (code == ERROR_HANDLE_EOF) return 0;
      error = SystemMessage(code);
      return -1;
    }
    return got;
  }

  bool Stat(FileIdentity& identity, uint64_t& size, std::string& error) override {
    LARGE_INTEGER length;
    if (!IdentityOfHandle(handle_, identity) || !GetFileSizeEx(handle_, &length)) {
      error = SystemMessage(GetLastError());
      return false;
    }
    size = static_cast<uint64_t>(length.QuadPart);
    return true;
  }

  uint64_t position() const override { return position_; }
  void Seek(uint64_t offset) override { position_ = offset; }

 private:
  static void SetOffset(OVERLAPPED& o, uint64_t offset) {
    o.Offset = static_cast<DWORD>(offset);
    o.OffsetHigh = static_cast<DWORD>(offset >> 32);
  }

  // The end of a file or of a pipe (its writer closed it) reads as 0 bytes.
  int64_t Failed(DWORD code, DWORD got, std::string& error) {
    pending_ = false;
    if (code == ERROR_MORE_DATA) {  // a message-mode pipe: the rest of the message comes next
      position_ += got;
      return got;
    }
    if (code == ERROR_HANDLE_EOF || code == ERROR_BROKEN_PIPE || code == ERROR_PIPE_NOT_CONNECTED) return 0;
    error = SystemMessage(code);
    return -1;
  }

  HANDLE handle_;
  Kind kind_;
  HANDLE stop_;
  HANDLE atDone_;
  OVERLAPPED overlapped_{};
  bool pending_ = false;
  uint64_t position_ = 0;
};

// The folder part of a path, with its separator ("" for a bare name).
std::string FolderPrefix(const std::string& path) {
  const size_t slash = path.find_last_of("\\/");
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// FindFirstChangeNotification watches folders, so each file's folder is watched; a change to a
// sibling only causes a harmless extra read.
class WinChangeWaiter final : public FileChangeWaiter {
 public:
  WinChangeWaiter(HANDLE stop, HANDLE poke) : stop_(stop), poke_(poke) {}
  ~WinChangeWaiter() override {
    for (HANDLE h : watches_) FindCloseChangeNotification(h);
    CloseHandle(poke_);
  }

  void Poke() override { SetEvent(poke_); }

  bool Watch(const std::string& path, std::string& error) override {
    std::wstring wide = Widen(path);
    wchar_t full[MAX_PATH * 4];
    wchar_t* name = nullptr;
    DWORD n = GetFullPathNameW(wide.c_str(), static_cast<DWORD>(std::size(full)), full, &name);
    if (n == 0 || n >= std::size(full) || !name) {
      error = SystemMessage(GetLastError());
      return false;
    }
    *name = L'\0';  // keep the folder
    std::wstring folder = full;
    if (std::find(folders_.begin(), folders_.end(), folder) != folders_.end()) return true;
    if (watches_.size() >= MAXIMUM_WAIT_OBJECTS - 2) {
      error = "too many folders to watch";
      return false;
    }
    // FILE_NAME: a successor created, renamed or deleted there.
    HANDLE h = FindFirstChangeNotificationW(
        full, FALSE, FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_FILE_NAME);
    if (h == INVALID_HANDLE_VALUE) {
      error = SystemMessage(GetLastError());
      return false;
    }
    watches_.push_back(h);
    folders_.push_back(std::move(folder));
    return true;
  }

  Woken Wait(std::optional<std::chrono::milliseconds> timeout) override {
    std::vector<HANDLE> handles{stop_, poke_};  // poke_ resets itself when the wait takes it
    handles.insert(handles.end(), watches_.begin(), watches_.end());
    const bool bounded = !timeout || timeout->count() >= kRecheckMs;
    const DWORD ms = bounded ? kRecheckMs : static_cast<DWORD>(timeout->count());
    DWORD r = WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), FALSE, ms);
    if (r == WAIT_TIMEOUT) return bounded ? Woken::Changed : Woken::TimedOut;  // bounded: check the sizes again
    if (r == WAIT_OBJECT_0 || r == WAIT_FAILED) return Woken::Interrupted;
    if (r > WAIT_OBJECT_0 + 1 && r < WAIT_OBJECT_0 + handles.size())
      FindNextChangeNotification(handles[r - WAIT_OBJECT_0]);
    return Woken::Changed;
  }

 private:
  HANDLE stop_;
  HANDLE poke_;
  std::vector<HANDLE> watches_;
  std::vector<std::wstring> folders_;
};

}  // namespace

std::unique_ptr<StopSignal> StopSignal::Create(std::string& error) {
  HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (!event) {
    error = SystemMessage(GetLastError());
    return nullptr;
  }
  return std::make_unique<EventStop>(event);
}

std::unique_ptr<InputFile> InputFile::Open(const std::string& path, const StopSignal& stop, std::string& error,
                                           bool& notFound) {
  HANDLE h =
      CreateFileW(Widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_OVERLAPPED, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD code = GetLastError();
    notFound = code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND;
    error = SystemMessage(code);
    return nullptr;
  }
  const DWORD type = GetFileType(h);
  BY_HANDLE_FILE_INFORMATION info;
  if (type == FILE_TYPE_DISK && GetFileInformationByHandle(h, &info) &&
      (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
    CloseHandle(h);
    notFound = false;
    error = "is a directory";
    return nullptr;
  }
  HANDLE readDone = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  HANDLE atDone = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (!readDone || !atDone) {
    error = SystemMessage(GetLastError());
    if (readDone) CloseHandle(readDone);
    if (atDone) CloseHandle(atDone);
    CloseHandle(h);
    notFound = false;
    return nullptr;
  }
  return std::make_unique<WinInputFile>(h, type == FILE_TYPE_DISK ? Kind::File : Kind::Pipe, readDone, atDone,
                                        StopHandle(stop));
}

bool InputFile::IdentityOf(const std::string& path, FileIdentity& out) {
  // Attributes only, sharing everything: the writer and other readers are not disturbed.
  HANDLE h =
      CreateFileW(Widen(path).c_str(), FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                  nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;  // none (or deleted, its last handle still open)
  const bool ok = IdentityOfHandle(h, out);
  CloseHandle(h);
  return ok;
}

std::vector<std::string> InputFile::Siblings(const std::string& path) {
  std::vector<std::string> out;
  const std::string prefix = FolderPrefix(path);
  WIN32_FIND_DATAW found;
  HANDLE find =
      FindFirstFileExW(Widen(prefix + "*").c_str(), FindExInfoBasic, &found, FindExSearchNameMatch, nullptr, 0);
  if (find == INVALID_HANDLE_VALUE) return out;
  do {
    if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
    std::string name;
    Narrow(found.cFileName, wcslen(found.cFileName), name);
    std::string full = prefix + name;
    if (full != path) out.push_back(std::move(full));
  } while (FindNextFileW(find, &found));
  FindClose(find);
  return out;
}

std::unique_ptr<FileChangeWaiter> FileChangeWaiter::Create(const StopSignal& stop, std::string& error) {
  HANDLE poke = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  if (!poke) {
    error = SystemMessage(GetLastError());
    return nullptr;
  }
  return std::make_unique<WinChangeWaiter>(StopHandle(stop), poke);
}

}  // namespace wfp
