#include "sources/input_decoder.h"

#include <string_view>

#include "fwlog/fwlog_decoder.h"
#include "xml/xml_pump.h"

namespace wfp {
namespace {

struct InputFormat {
  size_t headBytes;  // how many first bytes `matches` looks at
  bool (*matches)(std::string_view head);
  std::unique_ptr<RecordDecoder> (*create)(std::string input, const InputOptions& options);
};

// Tried in order; event XML takes whatever no other format claims.
constexpr InputFormat kFormats[] = {
    {FirewallLogDecoder::kHeadBytes, &FirewallLogDecoder::Recognizes,
     [](std::string input, const InputOptions& o) -> std::unique_ptr<RecordDecoder> { return std::make_unique<FirewallLogDecoder>(std::move(input), o.utcOffsetMinutes); }},
    {0, [](std::string_view) { return true; },
     [](std::string input, const InputOptions&) -> std::unique_ptr<RecordDecoder> { return std::make_unique<XmlPump>(std::move(input)); }},
};

constexpr size_t MaxHeadBytes() {
  size_t most = 0;
  for (const InputFormat& f : kFormats) most = f.headBytes > most ? f.headBytes : most;
  return most;
}

}  // namespace

InputOptions ReadInputOptions(OptionReader& options) {
  InputOptions o;
  if (std::optional<double> minutes = options.Number("utcOffsetMinutes")) {
    if (*minutes != static_cast<int32_t>(*minutes) || *minutes < -1080 || *minutes > 1080) options.Fail("utcOffsetMinutes must be whole minutes from -1080 to 1080");
    else o.utcOffsetMinutes = static_cast<int32_t>(*minutes);
  }
  return o;
}

void InputDecoder::Choose(bool eof) {
  if (decoder_ || (!eof && head_.size() < MaxHeadBytes())) return;
  for (const InputFormat& f : kFormats) {
    if (f.matches(head_)) {
      decoder_ = f.create(input_, options_);
      return;
    }
  }
}

void InputDecoder::Feed(const char* data, size_t size, RecordSink& sink) {
  if (decoder_) return decoder_->Feed(data, size, sink);
  head_.append(data, size);
  Choose(false);
  if (!decoder_) return;
  std::string head = std::move(head_);
  head_.clear();
  decoder_->Feed(head.data(), head.size(), sink);
}

void InputDecoder::Finish(RecordSink& sink) {
  if (!decoder_) {
    Choose(true);
    std::string head = std::move(head_);
    head_.clear();
    decoder_->Feed(head.data(), head.size(), sink);
  }
  decoder_->Finish(sink);
}

void InputDecoder::Restart() {
  decoder_.reset();
  head_.clear();
}

}  // namespace wfp
