// A gzip-compressed input (chosen by its signature, 1F 8B): decompressed as it arrives and handed to
// a decoder of its own, which chooses the format of what is inside from its first bytes as for any
// input. Positions in errors are then offsets in the decompressed data. Plain C++ with no Node-API
// and no OS code.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/event_source.h"
#include "util/inflate.h"

namespace wfp {

class GzipInput final : public RecordDecoder {
 public:
  GzipInput(std::string input, uint32_t index);
  static bool Matches(std::string_view head);

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;
  uint64_t end() const override { return inner_->end(); }

 private:
  void Failed(RecordSink& sink);

  std::string input_;
  GzipInflater inflater_;
  std::unique_ptr<RecordDecoder> inner_;
  std::string out_;
  bool failed_ = false;
};

}  // namespace wfp
