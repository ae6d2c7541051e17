#include "sources/gzip_input.h"

#include "sources/input_decoder.h"

namespace wfp {

GzipInput::GzipInput(std::string input, uint32_t index)
    : input_(input), inner_(std::make_unique<InputDecoder>(std::move(input), index)) {}

bool GzipInput::Matches(std::string_view head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
}

void GzipInput::Failed(RecordSink& sink) {
  failed_ = true;
  sink.OnIssue(Issue{&kErrUnreadableInput, "cannot decompress " + input_ + ": " + inflater_.error(), input_});
}

void GzipInput::Feed(const char* data, size_t size, RecordSink& sink) {
  if (failed_) return;
  out_.clear();
  const GzipInflater::Status status = inflater_.Feed(data, size, out_);
  if (!out_.empty()) inner_->Feed(out_.data(), out_.size(), sink);
  if (status == GzipInflater::Status::Error) Failed(sink);
}

void GzipInput::Finish(RecordSink& sink) {
  if (!failed_ && inflater_.Finish() == GzipInflater::Status::Error) Failed(sink);
  inner_->Finish(sink);
}

}  // namespace wfp
