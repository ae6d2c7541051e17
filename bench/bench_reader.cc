// The native stages alone, without the hand-off to JavaScript, on one thread: files through the XML
// reader and the normaliser, then the same with the batch builder (the wire format the hand-off
// carries) added. Each stage runs three times; the median is reported, in JSON. Built by
// `npm run bench` (CMake option WFP_BENCH).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "pipeline/batch.h"
#include "model/event_catalog.h"
#include "model/normalizer.h"
#include "sources/input_file.h"
#include "xml/xml_pump.h"

namespace {

class CountingSink final : public wfp::RecordSink {
 public:
  explicit CountingSink(bool batch) : batch_(batch) {}
  void OnRecord(const wfp::EventRecord& record, const wfp::Position&) override {
    ++counts.records;
    if (wfp::Normalize(record, selection_, event_, issue_) != wfp::Normalized::Event) return;
    ++counts.events;
    if (!batch_) return;
    builder_.Add(event_, wfp::Position{});
    if (builder_.events() >= 1024) builder_.Take();
  }
  void OnEvent(const wfp::BlockEvent&, const wfp::Position&) override { ++counts.events; }
  void OnIssue(wfp::Issue) override { ++counts.issues; }
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }

  struct Counts {
    uint64_t records = 0, events = 0, issues = 0, bytes = 0;
  } counts;

 private:
  bool batch_;
  wfp::EventSelection selection_ = wfp::EventSelection::Everything();
  wfp::BlockEvent event_;
  wfp::NormalizeIssue issue_;
  wfp::BatchBuilder builder_;
};

// Reads every file as the replay source does (1 MiB reads) and returns the seconds it took.
double Run(int files, char** names, CountingSink& sink) {
  std::vector<char> buffer(1 << 20);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < files; ++i) {
    std::string error;
    bool notFound = false;
    auto file = wfp::InputFile::Open(names[i], error, notFound);
    if (!file) {
      std::fprintf(stderr, "cannot open %s: %s\n", names[i], error.c_str());
      std::exit(1);
    }
    wfp::XmlPump pump(names[i], static_cast<uint32_t>(i));
    for (int64_t n; (n = file->Read(buffer.data(), buffer.size(), error)) > 0;) {
      sink.counts.bytes += static_cast<uint64_t>(n);
      pump.Feed(buffer.data(), static_cast<size_t>(n), sink);
    }
    pump.Finish(sink);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Stage {
  double recordsPerSec;  // the median of three passes
  CountingSink::Counts counts;
};

Stage Measure(int files, char** names, bool batch) {
  std::vector<double> rates;
  CountingSink::Counts counts;
  for (int i = 0; i < 3; ++i) {
    CountingSink sink(batch);
    const double seconds = Run(files, names, sink);
    counts = sink.counts;
    rates.push_back(static_cast<double>(counts.records) / seconds);
  }
  std::sort(rates.begin(), rates.end());
  return Stage{rates[1], counts};
}

}  // namespace

int main(int argc, char** argv) {
  const Stage normalised = Measure(argc - 1, argv + 1, false);
  const Stage batched = Measure(argc - 1, argv + 1, true);
  const CountingSink::Counts& s = batched.counts;
  std::printf("{\"records\":%llu,\"events\":%llu,\"issues\":%llu,\"bytes\":%llu,\"recordsPerSec\":%.0f,"
              "\"withBatchRecordsPerSec\":%.0f}\n",
              static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.issues), static_cast<unsigned long long>(s.bytes),
              normalised.recordsPerSec, batched.recordsPerSec);
  return 0;
}
