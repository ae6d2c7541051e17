// POSIX inputs for the replay source: open(2) without blocking, read(2) and pread(2) for files, poll(2)
// for pipes and character devices, inotify for follow mode, and an eventfd as the stop signal that
// every poll also waits on. The Windows twin is input_file_win.cc.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "sources/input_file.h"

namespace wfp {
namespace {

class EventFdStop final : public StopSignal {
 public:
  explicit EventFdStop(int fd) : fd_(fd) {}
  ~EventFdStop() override { close(fd_); }
  void Raise() override {
    uint64_t one = 1;
    ssize_t ignored = write(fd_, &one, sizeof one);  // the counter saturating is still a wake-up
    (void)ignored;
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

int StopFd(const StopSignal& stop) { return static_cast<const EventFdStop&>(stop).fd(); }

FileIdentity IdentityFrom(const struct stat& st) {
  FileIdentity id;
  id.volume = static_cast<uint64_t>(st.st_dev);
  id.file[0] = static_cast<uint64_t>(st.st_ino);
  return id;
}

// Polls `fd` and the stop signal together; retries interrupted polls.
InputFile::Ready PollWithStop(int fd, int stop, std::optional<std::chrono::milliseconds> timeout) {
  pollfd fds[2] = {{stop, POLLIN, 0}, {fd, POLLIN, 0}};
  while (true) {
    int n = poll(fds, 2, timeout ? static_cast<int>(timeout->count()) : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[0].revents & POLLIN)) return InputFile::Ready::Stopped;
    if (n == 0) return InputFile::Ready::TimedOut;
    return InputFile::Ready::Readable;  // data, the writer gone (POLLHUP) or an error: Read() tells
  }
}

class PosixInputFile final : public InputFile {
 public:
  PosixInputFile(int fd, Kind kind, int stop) : fd_(fd), kind_(kind), stop_(stop) {}
  ~PosixInputFile() override { close(fd_); }

  Kind kind() const override { return kind_; }

  int64_t Read(char* buffer, size_t size, std::string& error) override {
    // A FIFO opened without blocking reads as ended until a writer comes: ask poll(), which reports
    // nothing then, and the writer's end (POLLHUP) only once one has come and gone.
    if (kind_ == Kind::Pipe) {
      pollfd p{fd_, POLLIN, 0};
      int n;
      while ((n = poll(&p, 1, 0)) < 0 && errno == EINTR) {
      }
      if (n == 0) return kNotYet;
    }
    while (true) {
      ssize_t n = read(fd_, buffer, size);
      if (n >= 0) {
        position_ += static_cast<uint64_t>(n);
        return n;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return kNotYet;
      error = std::strerror(errno);
      return -1;
    }
  }

  Ready WaitReadable(std::optional<std::chrono::milliseconds> timeout) override {
    return PollWithStop(fd_, stop_, timeout);
  }

  int64_t ReadAt(uint64_t offset, char* buffer, size_t size, std::string& error) override {
    while (true) {
      ssize_t n = pread(fd_, buffer, size, static_cast<off_t>(offset));
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return -1;
    }
  }

  bool Stat(FileIdentity& identity, uint64_t& size, std::string& error) override {
    struct stat st;
    if (fstat(fd_, &st) != 0) {
      error = std::strerror(errno);
      return false;
    }
    identity = IdentityFrom(st);
    size = static_cast<uint64_t>(st.st_size);
    return true;
  }

  uint64_t position() const override { return position_; }

  void Seek(uint64_t offset) override {
    if (lseek(fd_, static_cast<off_t>(offset), SEEK_SET) >= 0) position_ = offset;
  }

 private:
  int fd_;
  Kind kind_;
  int stop_;
  uint64_t position_ = 0;
};

std::string FolderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

class InotifyWaiter final : public FileChangeWaiter {
 public:
  InotifyWaiter(int inotifyFd, int pokeFd, int stop) : inotify_(inotifyFd), poke_(pokeFd), stop_(stop) {}
  ~InotifyWaiter() override {
    close(inotify_);
    close(poke_);
  }

  bool Watch(const std::string& path, std::string& error) override {
    // The folder: a successor created or renamed into place; a second watch of it is the same one.
    if (inotify_add_watch(inotify_, FolderOf(path).c_str(), IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) < 0 ||
        inotify_add_watch(inotify_, path.c_str(),
                          IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF) < 0) {
      error = std::strerror(errno);
      return false;
    }
    return true;
  }

  Woken Wait(std::optional<std::chrono::milliseconds> timeout) override {
    pollfd fds[3] = {{stop_, POLLIN, 0}, {poke_, POLLIN, 0}, {inotify_, POLLIN, 0}};
    while (true) {
      int n = poll(fds, 3, timeout ? static_cast<int>(timeout->count()) : -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (fds[0].revents & POLLIN)) return Woken::Interrupted;
      if (n == 0) return Woken::TimedOut;
      break;
    }
    uint64_t count;
    ssize_t ignored = read(poke_, &count, sizeof count);
    (void)ignored;
    alignas(inotify_event) char events[4096];
    while (read(inotify_, events, sizeof events) > 0) {
    }
    return Woken::Changed;
  }

  void Poke() override {
    uint64_t one = 1;
    ssize_t ignored = write(poke_, &one, sizeof one);
    (void)ignored;
  }

 private:
  int inotify_;
  int poke_;
  int stop_;
};

}  // namespace

std::unique_ptr<StopSignal> StopSignal::Create(std::string& error) {
  int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  return std::make_unique<EventFdStop>(fd);
}

std::unique_ptr<InputFile> InputFile::Open(const std::string& path, const StopSignal& stop, std::string& error,
                                           bool& notFound) {
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, where nothing can wake it.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    notFound = errno == ENOENT || errno == ENOTDIR;
    error = std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    error = S_ISDIR(st.st_mode) ? "is a directory" : std::strerror(errno);
    close(fd);
    notFound = false;
    return nullptr;
  }
  return std::make_unique<PosixInputFile>(fd, S_ISREG(st.st_mode) ? Kind::File : Kind::Pipe, StopFd(stop));
}

bool InputFile::IdentityOf(const std::string& path, FileIdentity& out) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  out = IdentityFrom(st);
  return true;
}

std::vector<std::string> InputFile::Siblings(const std::string& path) {
  std::vector<std::string> out;
  const std::string folder = FolderOf(path);
  DIR* dir = opendir(folder.c_str());
  if (!dir) return out;
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string full = folder == "/" ? "/" + name : folder + "/" + name;
    if (full != path) out.push_back(std::move(full));
  }
  closedir(dir);
  return out;
}

std::unique_ptr<FileChangeWaiter> FileChangeWaiter::Create(const StopSignal& stop, std::string& error) {
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  int poke = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (poke < 0) {
    error = std::strerror(errno);
    close(in);
    return nullptr;
  }
  return std::make_unique<InotifyWaiter>(in, poke, StopFd(stop));
}

}  // namespace wfp
