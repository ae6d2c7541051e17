// The native stages alone, without the hand-off to JavaScript: reads files through the XML reader,
// the normaliser and the batch builder on one thread, and prints JSON with records per second.
// Built by `npm run bench` (CMake option WFP_BENCH).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "../batch.h"
#include "../event_classes.h"
#include "../input_file.h"
#include "../normalizer.h"
#include "../xml_pump.h"

namespace {

class CountingSink final : public wfp::RecordSink {
 public:
  CountingSink() {
    const bool all[6] = {true, true, true, true, true, true};
    selection_ = wfp::EventSelection::Of(all, true);
  }
  void OnRecord(const wfp::EventRecord& record, std::string_view, uint64_t) override {
    ++records;
    if (wfp::Normalize(record, selection_, event_, issue_) == wfp::Normalized::Event) {
      builder_.Add(event_);
      if (builder_.events() >= 1024) {
        events += builder_.events();
        builder_.Take();
      }
    }
  }
  void OnIssue(const char*, std::string, std::string_view, int64_t) override { ++issues; }
  void OnSystemError(const char*, std::string, std::string_view, uint32_t, std::string) override { ++issues; }
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  void Finish() { events += builder_.events(); }

  uint64_t records = 0, events = 0, issues = 0;

 private:
  wfp::EventSelection selection_;
  wfp::BlockEvent event_;
  wfp::NormalizeIssue issue_;
  wfp::BatchBuilder builder_;
};

}  // namespace

int main(int argc, char** argv) {
  CountingSink sink;
  std::vector<char> buffer(1 << 20);
  uint64_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 1; i < argc; ++i) {
    std::string error;
    bool notFound = false;
    auto file = wfp::InputFile::Open(argv[i], error, notFound);
    if (!file) {
      std::fprintf(stderr, "cannot open %s: %s\n", argv[i], error.c_str());
      return 1;
    }
    wfp::XmlPump pump(argv[i]);
    for (int64_t n; (n = file->Read(buffer.data(), buffer.size(), error)) > 0;) {
      bytes += static_cast<uint64_t>(n);
      pump.Feed(buffer.data(), static_cast<size_t>(n), sink);
    }
    pump.Finish(sink);
  }
  sink.Finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"records\":%llu,\"events\":%llu,\"issues\":%llu,\"bytes\":%llu,\"seconds\":%.4f,\"recordsPerSec\":%.0f}\n",
              static_cast<unsigned long long>(sink.records), static_cast<unsigned long long>(sink.events),
              static_cast<unsigned long long>(sink.issues), static_cast<unsigned long long>(bytes), seconds,
              static_cast<double>(sink.records) / seconds);
  return 0;
}
