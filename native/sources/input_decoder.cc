#include "sources/input_decoder.h"

#include <string_view>
#include <type_traits>

#include "fwlog/fwlog_decoder.h"
#include "evtx/evtx_decoder.h"
#include "sources/gzip_input.h"
#include "sources/unreadable_input.h"
#include "xml/xml_pump.h"

namespace wfp {
namespace {

struct InputFormat {
  size_t headBytes;  // how many first bytes `matches` looks at
  bool (*matches)(std::string_view head);
  std::unique_ptr<RecordDecoder> (*create)(std::string input, uint32_t index, const InputOptions& options);
};

// A decoder takes the options when it needs them.
template <typename Decoder>
std::unique_ptr<RecordDecoder> Create(std::string input, uint32_t index, const InputOptions& options) {
  if constexpr (std::is_constructible_v<Decoder, std::string, uint32_t, const InputOptions&>)
    return std::make_unique<Decoder>(std::move(input), index, options);
  else
    return std::make_unique<Decoder>(std::move(input), index);
}

// Tried in order; event XML takes whatever no other format claims.
constexpr InputFormat kFormats[] = {
    {2, &GzipInput::Matches, &Create<GzipInput>},
    {FirewallLogDecoder::kHeadBytes, &FirewallLogDecoder::Recognizes, &Create<FirewallLogDecoder>},
    {EvtxDecoder::kSignatureBytes, &EvtxDecoder::Matches, &Create<EvtxDecoder>},
    // Keep last but one: says what an input is when no reader above claims it and it is not XML.
    {UnreadableInput::kHeadBytes, &UnreadableInput::Matches, &Create<UnreadableInput>},
    {0, [](std::string_view) { return true; }, &Create<XmlPump>},
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
    if (*minutes != static_cast<int32_t>(*minutes) || *minutes < -1080 || *minutes > 1080)
      options.Fail("utcOffsetMinutes must be whole minutes from -1080 to 1080");
    else
      o.utcOffsetMinutes = static_cast<int32_t>(*minutes);
  }
  return o;
}

void InputDecoder::Choose(bool eof) {
  if (decoder_ || (!eof && head_.size() < MaxHeadBytes())) return;
  for (const InputFormat& f : kFormats) {
    if (f.matches(head_)) {
      decoder_ = f.create(input_, index_, options_);
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

void InputDecoder::Restart(uint32_t index) {
  index_ = index;
  decoder_.reset();
  head_.clear();
}

}  // namespace wfp
