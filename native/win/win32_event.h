// A Win32 event object owned for its lifetime (CreateEventW / CloseHandle). Windows only.
#pragma once

namespace wfp {

class Win32Event {
 public:
  Win32Event(bool manualReset, bool initiallySet);
  ~Win32Event();
  Win32Event(const Win32Event&) = delete;
  Win32Event& operator=(const Win32Event&) = delete;

  void* handle() const { return handle_; }  // HANDLE; null if it could not be created
  void Set();

 private:
  void* handle_;
};

}  // namespace wfp
