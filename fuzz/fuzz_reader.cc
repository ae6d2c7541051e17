// libFuzzer target for the platform-neutral core: feeds arbitrary bytes, split at a point the input
// chooses, through the byte-order detection, the XML reader, the normaliser and the batch builder,
// and through the firewall-log decoder, and checks what each promises (offsets move forward and stay
// inside the input, events are built). It also reads the bytes with and without learned record
// shapes (the two must give the same), and as a net-event bookmark and an engine-option record (what
// parses must survive its own round trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fwlog/fwlog_decoder.h"
#include "pipeline/batch.h"
#include "model/event_catalog.h"
#include "model/normalizer.h"
#include "model/policy_change.h"
#include "sources/engine_options.h"
#include "sources/net_event.h"
#include "xml/xml_pump.h"
#include "reader_transcript.h"

namespace {

class CheckingSink final : public wfp::RecordSink {
 public:
  explicit CheckingSink(uint64_t inputSize) : inputSize_(inputSize) {}
  void OnRecord(const wfp::EventRecord& record, const wfp::Position& at) override {
    Check(at.offset);
    wfp::BlockEvent event;
    wfp::NormalizeIssue issue;
    if (wfp::Normalize(record, selection_, event, issue) == wfp::Normalized::Event) builder_.Add(event, at);
    wfp::PolicyChange change;
    if (wfp::RecognizePolicyChange(record, change) && change.changes > 15) std::abort();
    if (builder_.events() >= 64) builder_.Take();
  }
  void OnEvent(const wfp::BlockEvent& event, const wfp::Position& at) override { builder_.Add(event, at); }
  void OnIssue(wfp::Issue issue) override {
    if (issue.message.empty() || !issue.code) std::abort();
    if (issue.offset >= 0) Check(static_cast<uint64_t>(issue.offset));
  }
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }

 private:
  void Check(uint64_t offset) {
    // UTF-16 input is converted to UTF-8 first, which can be up to 1.5 times longer.
    if (offset > inputSize_ * 2) std::abort();
  }
  uint64_t inputSize_;
  wfp::EventSelection selection_ = wfp::EventSelection::Everything();
  wfp::BatchBuilder builder_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = data[0] % (size + 1);
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  const size_t n = size - 1;
  CheckingSink sink(n);
  wfp::XmlPump pump("fuzz", 0);
  const size_t cut = split < n ? split : n;
  pump.Feed(bytes, cut, sink);
  pump.Feed(bytes + cut, n - cut, sink);
  pump.Finish(sink);

  wfp::FirewallLogDecoder fwlog("fuzz", 0, wfp::InputOptions{split % 2 ? std::optional<int32_t>(-300) : std::nullopt});
  fwlog.Feed(bytes, cut, sink);
  fwlog.Feed(bytes + cut, n - cut, sink);
  fwlog.Finish(sink);

  const std::string_view input(bytes, n);
  if (std::optional<wfp::NetEventBookmark> b = wfp::NetEventBookmark::Parse(input))
    if (!(wfp::NetEventBookmark::Parse(b->Format()) == b)) std::abort();
  if (std::optional<wfp::EngineOptionRecord> r = wfp::EngineOptionRecord::Parse(input))
    if (!wfp::EngineOptionRecord::Parse(r->Serialize())) std::abort();
  const size_t chunk = split == 0 ? n : split;
  wfp::XmlEventReader withShapes, without(false);
  if (wfp::ReaderTranscript(withShapes, input, chunk) != wfp::ReaderTranscript(without, input, chunk)) std::abort();
  return 0;
}
