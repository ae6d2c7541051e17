// An input that is none of the formats this build reads (UTF-16 text without a byte-order mark that is not markup, an
// archive, binary data): one ERR_UNREADABLE_INPUT that says what it looks like, instead of a stream
// of garbage errors. Text that merely does not start with markup is not this: event XML reads it and
// reports what is not XML. Plain C++ with no Node-API and no OS code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/event_source.h"

namespace wfp {

class UnreadableInput final : public RecordDecoder {
 public:
  // How many first bytes Describe() looks at.
  static constexpr size_t kHeadBytes = 64;
  // What the input looks like, when it is not something event XML can read; nothing otherwise.
  static std::optional<std::string> Describe(std::string_view head);
  static bool Matches(std::string_view head) { return Describe(head).has_value(); }

  UnreadableInput(std::string input, uint32_t) : input_(std::move(input)) {}
  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink&) override {}
  uint64_t end() const override { return 0; }  // it holds no record

 private:
  std::string input_;
  std::string head_;
  bool reported_ = false;
};

}  // namespace wfp
