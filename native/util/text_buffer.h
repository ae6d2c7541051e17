// A byte buffer that grows without writing what it grows by (std::string::resize() zeroes it): a
// formatted batch's lines (pipeline/batch.h), which the machine formats write through a pointer
// (pipeline/event_formats.cc) and the hand-off copies to JavaScript. Plain C++ with no dependencies.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace wfp {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(TextBuffer&& other) noexcept { *this = std::move(other); }
  TextBuffer& operator=(TextBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.size_ = other.capacity_ = 0;
    return *this;
  }

  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }

  void reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  // Where `n` more bytes may be written (they count once Commit() says where they end).
  char* Room(size_t n) {
    if (capacity_ - size_ < n) reserve(std::max(capacity_ * 2, size_ + n));
    return data_.get() + size_;
  }
  void clear() { size_ = 0; }
  // Gives up the bytes (data() of before, size() of them) to the caller, who frees them with delete[].
  char* Release() {
    size_ = capacity_ = 0;
    return data_.release();
  }
  void Commit(const char* end) { size_ = static_cast<size_t>(end - data_.get()); }
  void append(std::string_view s) {
    char* p = Room(s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    size_ += s.size();
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

}  // namespace wfp
