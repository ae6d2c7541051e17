// Windows files for the replay source: CreateFileW with sharing, so a log being written can be read,
// and directory change notifications for follow mode, waited on together with a stop event.
#include <windows.h>

#include <iterator>
#include <vector>

#include "sources/input_file.h"
#include "win/wide.h"

namespace wfp {
namespace {

class WinInputFile final : public InputFile {
 public:
  explicit WinInputFile(HANDLE h) : handle_(h) {}
  ~WinInputFile() override { CloseHandle(handle_); }

  int64_t Read(char* buffer, size_t size, std::string& error) override {
    DWORD got = 0;
    if (!ReadFile(handle_, buffer, static_cast<DWORD>(size), &got, nullptr)) {
      error = SystemMessage(GetLastError());
      return -1;
    }
    position_ += got;
    return got;
  }

  bool Shrunk() override {
    LARGE_INTEGER size;
    return GetFileSizeEx(handle_, &size) && static_cast<uint64_t>(size.QuadPart) < position_;
  }

  void Rewind() override {
    LARGE_INTEGER zero{};
    SetFilePointerEx(handle_, zero, nullptr, FILE_BEGIN);
    position_ = 0;
  }

 private:
  HANDLE handle_;
  uint64_t position_ = 0;
};

// FindFirstChangeNotification watches directories, so each file's folder is watched; a change to a
// sibling only causes a harmless extra read.
class WinChangeWaiter final : public FileChangeWaiter {
 public:
  explicit WinChangeWaiter(HANDLE stop) : stop_(stop) {}
  ~WinChangeWaiter() override {
    for (HANDLE h : watches_) FindCloseChangeNotification(h);
    CloseHandle(stop_);
  }

  bool Watch(const std::string& path, std::string& error) override {
    std::wstring wide = Widen(path);
    wchar_t full[MAX_PATH * 4];
    wchar_t* name = nullptr;
    DWORD n = GetFullPathNameW(wide.c_str(), static_cast<DWORD>(std::size(full)), full, &name);
    if (n == 0 || n >= std::size(full) || !name) {
      error = SystemMessage(GetLastError());
      return false;
    }
    *name = L'\0';  // keep the directory
    if (watches_.size() >= MAXIMUM_WAIT_OBJECTS - 1) {
      error = "too many folders to watch";
      return false;
    }
    HANDLE h = FindFirstChangeNotificationW(full, FALSE, FILE_NOTIFY_CHANGE_SIZE | FILE_NOTIFY_CHANGE_LAST_WRITE);
    if (h == INVALID_HANDLE_VALUE) {
      error = SystemMessage(GetLastError());
      return false;
    }
    watches_.push_back(h);
    return true;
  }

  Woken Wait(std::optional<std::chrono::milliseconds> timeout) override {
    std::vector<HANDLE> handles{stop_};
    handles.insert(handles.end(), watches_.begin(), watches_.end());
    DWORD r = WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(), FALSE,
                                     timeout ? static_cast<DWORD>(timeout->count()) : INFINITE);
    if (r == WAIT_TIMEOUT) return Woken::TimedOut;
    if (r == WAIT_OBJECT_0 || r == WAIT_FAILED) return Woken::Interrupted;
    if (r > WAIT_OBJECT_0 && r < WAIT_OBJECT_0 + handles.size()) FindNextChangeNotification(handles[r - WAIT_OBJECT_0]);
    return Woken::Changed;
  }

  void Interrupt() override { SetEvent(stop_); }

 private:
  HANDLE stop_;
  std::vector<HANDLE> watches_;
};

}  // namespace

std::unique_ptr<InputFile> InputFile::Open(const std::string& path, std::string& error, bool& notFound) {
  HANDLE h = CreateFileW(Widen(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD code = GetLastError();
    notFound = code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND;
    error = SystemMessage(code);
    return nullptr;
  }
  BY_HANDLE_FILE_INFORMATION info;
  if (GetFileInformationByHandle(h, &info) && (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
    CloseHandle(h);
    notFound = false;
    error = "is a directory";
    return nullptr;
  }
  return std::make_unique<WinInputFile>(h);
}

std::unique_ptr<FileChangeWaiter> FileChangeWaiter::Create(std::string& error) {
  HANDLE stop = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (!stop) {
    error = SystemMessage(GetLastError());
    return nullptr;
  }
  return std::make_unique<WinChangeWaiter>(stop);
}

}  // namespace wfp
