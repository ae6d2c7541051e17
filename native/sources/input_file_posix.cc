// POSIX files for the replay source: open(2) and read(2), and for follow mode inotify with an eventfd
// that wakes a wait at once on close(). The Windows twin is input_file_win.cc.
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

class PosixInputFile final : public InputFile {
 public:
  explicit PosixInputFile(int fd) : fd_(fd) {}
  ~PosixInputFile() override { close(fd_); }

  int64_t Read(char* buffer, size_t size, std::string& error) override {
    while (true) {
      ssize_t n = read(fd_, buffer, size);
      if (n >= 0) {
        position_ += static_cast<uint64_t>(n);
        return n;
      }
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return -1;
    }
  }

  bool Shrunk() override {
    struct stat st;
    return fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) < position_;
  }

  void Rewind() override {
    lseek(fd_, 0, SEEK_SET);
    position_ = 0;
  }

 private:
  int fd_;
  uint64_t position_ = 0;
};

class InotifyWaiter final : public FileChangeWaiter {
 public:
  InotifyWaiter(int inotifyFd, int wakeFd) : inotify_(inotifyFd), wake_(wakeFd) {}
  ~InotifyWaiter() override {
    close(inotify_);
    close(wake_);
  }

  bool Watch(const std::string& path, std::string& error) override {
    if (inotify_add_watch(inotify_, path.c_str(), IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE) >= 0) return true;
    error = std::strerror(errno);
    return false;
  }

  Woken Wait(std::optional<std::chrono::milliseconds> timeout) override {
    pollfd fds[2] = {{wake_, POLLIN, 0}, {inotify_, POLLIN, 0}};
    while (true) {
      int n = poll(fds, 2, timeout ? static_cast<int>(timeout->count()) : -1);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 || (fds[0].revents & POLLIN)) return Woken::Interrupted;
      if (n == 0) return Woken::TimedOut;
      if (fds[1].revents & POLLIN) {
        alignas(inotify_event) char events[4096];
        while (read(inotify_, events, sizeof events) > 0) {
        }
        return Woken::Changed;
      }
    }
  }

  void Interrupt() override {
    uint64_t one = 1;
    ssize_t ignored = write(wake_, &one, sizeof one);  // the counter saturating is still a wake-up
    (void)ignored;
  }

 private:
  int inotify_;
  int wake_;
};

}  // namespace

std::unique_ptr<InputFile> InputFile::Open(const std::string& path, std::string& error, bool& notFound) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    notFound = errno == ENOENT || errno == ENOTDIR;
    error = std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    notFound = false;
    error = "is a directory";
    return nullptr;
  }
  return std::make_unique<PosixInputFile>(fd);
}

std::unique_ptr<FileChangeWaiter> FileChangeWaiter::Create(std::string& error) {
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    error = std::strerror(errno);
    close(in);
    return nullptr;
  }
  return std::make_unique<InotifyWaiter>(in, wake);
}

}  // namespace wfp
