// The native stages alone, without the hand-off to JavaScript, on one thread: files through the XML
// reader and the normaliser, then the same with the batch builder (the wire format the hand-off
// carries) added; and the 'netevents' source's mapping of net events (the blocks of the same records,
// as WFP would report them) to BlockEvents, alone and with the batch builder. With --evtx: .evtx files
// through the .evtx reader, every record's header and event ID read and the WFP and 4719 records
// decoded and normalised; then every record decoded and rendered as export XML, and as export JSON.
// Each stage runs three times; the median is reported, in JSON. Built by `npm run bench` (CMake option
// WFP_BENCH).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "net_event_from_record.h"
#include "evtx/evtx_decoder.h"
#include "pipeline/batch.h"
#include "pipeline/event_formats.h"
#include "pipeline/export_sink.h"
#include "model/event_catalog.h"
#include "model/normalizer.h"
#include "sources/input_file.h"
#include "sources/net_event.h"
#include "xml/xml_pump.h"

namespace {

enum class Render { None, Xml, Json };

class CountingSink final : public wfp::RecordSink {
 public:
  explicit CountingSink(bool batch, Render render = Render::None, std::vector<wfp::NetEventFacts>* netEvents = nullptr,
                        wfp::EventFormat format = wfp::EventFormat::Objects)
      : batch_(batch), render_(render), format_(format), netEvents_(netEvents) {}
  void OnRecord(const wfp::EventRecord& record, const wfp::Position&) override {
    ++counts.records;
    if (netEvents_ && netEvents_->size() < kNetEventSample) {
      if (std::optional<wfp::NetEventFacts> f = wfp::test::NetEventFromRecord(record))
        netEvents_->push_back(std::move(*f));
    }
    if (render_ != Render::None) {
      if (render_ == Render::Xml)
        wfp::ExportSink::AppendXmlLine(record.xml, text_);
      else
        json_.AppendJsonLine(record, text_);
      if (text_.size() > (1 << 20)) text_.clear();
      return;
    }
    if (wfp::Normalize(record, selection_, event_, issue_) != wfp::Normalized::Event) return;
    ++counts.events;
    if (format_ != wfp::EventFormat::Objects) {
      wfp::AppendFormatted(format_, event_, wfp::Fold{}, context_, lines_);
      if (lines_.size() > (1 << 20)) lines_.clear();
      return;
    }
    if (!batch_) return;
    builder_.Add(event_, wfp::Position{});
    if (builder_.events() >= 1024) builder_.Take();
  }
  void OnEvent(const wfp::BlockEvent&, const wfp::Position&) override { ++counts.events; }
  void OnIssue(wfp::Issue) override { ++counts.issues; }
  void OnIdle() override {}
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return false; }
  // The XML stages take every record (the reader sorts nothing out); the .evtx stages what a watcher
  // for blocks and audit policy changes takes.
  bool Wants(uint32_t id) const override {
    return !evtx || render_ != Render::None || id == 4719 || id == 5031 || (id >= 5150 && id <= 5159);
  }
  bool WantsXml() const override { return render_ == Render::Xml; }
  bool evtx = false;

  struct Counts {
    uint64_t records = 0, events = 0, issues = 0, bytes = 0, skipped = 0;
  } counts;
  static constexpr size_t kNetEventSample = 1 << 16;

 private:
  bool batch_;
  Render render_;
  wfp::EventFormat format_;
  wfp::FormatContext context_;
  wfp::TextBuffer lines_;
  std::vector<wfp::NetEventFacts>* netEvents_;
  std::string text_;
  wfp::DeliveryQueue queue_{1, [] {}};
  wfp::ExportSink json_{wfp::ExportFormat::Json, 1024, queue_};
  wfp::EventSelection selection_ = wfp::EventSelection::Everything();
  wfp::BlockEvent event_;
  wfp::NormalizeIssue issue_;
  wfp::BatchBuilder builder_;
};

// Reads every file as the replay source does (1 MiB reads) and returns the seconds it took.
double Run(int files, char** names, CountingSink& sink) {
  std::vector<char> buffer(1 << 20);
  std::string stopError;
  const std::unique_ptr<wfp::StopSignal> stop = wfp::StopSignal::Create(stopError);  // never raised
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < files; ++i) {
    std::string error;
    bool notFound = false;
    auto file = wfp::InputFile::Open(names[i], *stop, error, notFound);
    if (!file) {
      std::fprintf(stderr, "cannot open %s: %s\n", names[i], error.c_str());
      std::exit(1);
    }
    std::unique_ptr<wfp::RecordDecoder> pump;
    wfp::EvtxDecoder* evtx = nullptr;
    const uint32_t index = static_cast<uint32_t>(i);
    if (sink.evtx)
      pump.reset(evtx = new wfp::EvtxDecoder(names[i], index));
    else
      pump = std::make_unique<wfp::XmlPump>(names[i], index);
    for (int64_t n; (n = file->Read(buffer.data(), buffer.size(), error)) > 0;) {
      sink.counts.bytes += static_cast<uint64_t>(n);
      pump->Feed(buffer.data(), static_cast<size_t>(n), sink);
    }
    pump->Finish(sink);
    if (evtx) sink.counts.skipped += evtx->counts().skipped;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Stage {
  double recordsPerSec;     // the median of three passes, by the clock
  double recordsPerCpuSec;  // the same by this thread's CPU time (the machine may be shared)
  CountingSink::Counts counts;
};

Stage Measure(int files, char** names, bool batch, bool evtx = false, Render render = Render::None,
              wfp::EventFormat format = wfp::EventFormat::Objects) {
  std::vector<double> rates, cpuRates;
  CountingSink::Counts counts;
  for (int i = 0; i < 3; ++i) {
    CountingSink sink(batch, render, nullptr, format);
    sink.evtx = evtx;
    const std::clock_t cpu = std::clock();
    const double seconds = Run(files, names, sink);
    const double cpuSeconds = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
    counts = sink.counts;
    rates.push_back(static_cast<double>(counts.records + counts.skipped) / seconds);
    cpuRates.push_back(static_cast<double>(counts.records + counts.skipped) / cpuSeconds);
  }
  std::sort(rates.begin(), rates.end());
  std::sort(cpuRates.begin(), cpuRates.end());
  return Stage{rates[1], cpuRates[1], counts};
}

// Maps `facts` over and over, `total` events in all, as the netevents source does for each event it
// drains (with the batch builder, optionally); the median events per second of three passes.
double MeasureNetEvents(const std::vector<wfp::NetEventFacts>& facts, uint64_t total, bool batch) {
  std::vector<double> rates;
  for (int pass = 0; pass < 3; ++pass) {
    wfp::NetEventMapper mapper("bench.example");
    wfp::BatchBuilder builder;
    wfp::BlockEvent event;
    uint64_t mapped = 0;
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < total; ++i) {
      if (!mapper.Map(facts[i % facts.size()], event)) continue;
      ++mapped;
      if (!batch) continue;
      builder.Add(event, wfp::Position{});
      if (builder.events() >= 1024) builder.Take();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(static_cast<double>(mapped) / seconds);
  }
  std::sort(rates.begin(), rates.end());
  return rates[1];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--evtx") {
    const Stage watch = Measure(argc - 2, argv + 2, false, true);
    const Stage xml = Measure(argc - 2, argv + 2, false, true, Render::Xml);
    const Stage json = Measure(argc - 2, argv + 2, false, true, Render::Json);
    const CountingSink::Counts& s = watch.counts;
    std::printf(
        "{\"records\":%llu,\"decoded\":%llu,\"events\":%llu,\"issues\":%llu,\"bytes\":%llu,"
        "\"recordsPerSec\":%.0f,\"exportXmlRecordsPerSec\":%.0f,\"exportJsonRecordsPerSec\":%.0f,"
        "\"recordsPerCpuSec\":%.0f,\"exportXmlRecordsPerCpuSec\":%.0f,\"exportJsonRecordsPerCpuSec\":%.0f}\n",
        static_cast<unsigned long long>(s.records + s.skipped), static_cast<unsigned long long>(s.records),
        static_cast<unsigned long long>(s.events), static_cast<unsigned long long>(s.issues),
        static_cast<unsigned long long>(s.bytes), watch.recordsPerSec, xml.recordsPerSec, json.recordsPerSec,
        watch.recordsPerCpuSec, xml.recordsPerCpuSec, json.recordsPerCpuSec);
    return 0;
  }
  if (argc > 1 && std::string(argv[1]) == "--formats") {
    const Stage normalised = Measure(argc - 2, argv + 2, false);
    const Stage json = Measure(argc - 2, argv + 2, false, false, Render::None, wfp::EventFormat::Json);
    const Stage ecs = Measure(argc - 2, argv + 2, false, false, Render::None, wfp::EventFormat::Ecs);
    const Stage otel = Measure(argc - 2, argv + 2, false, false, Render::None, wfp::EventFormat::Otel);
    std::printf(
        "{\"events\":%llu,\"eventsPerCpuSec\":%.0f,\"jsonEventsPerCpuSec\":%.0f,\"ecsEventsPerCpuSec\":%.0f,"
        "\"otelEventsPerCpuSec\":%.0f}\n",
        static_cast<unsigned long long>(json.counts.events),
        static_cast<double>(normalised.counts.events) / (normalised.counts.records / normalised.recordsPerCpuSec),
        static_cast<double>(json.counts.events) / (json.counts.records / json.recordsPerCpuSec),
        static_cast<double>(ecs.counts.events) / (ecs.counts.records / ecs.recordsPerCpuSec),
        static_cast<double>(otel.counts.events) / (otel.counts.records / otel.recordsPerCpuSec));
    return 0;
  }
  const Stage normalised = Measure(argc - 1, argv + 1, false);
  const Stage batched = Measure(argc - 1, argv + 1, true);
  std::vector<wfp::NetEventFacts> facts;
  {
    CountingSink collect(false, Render::None, &facts);
    Run(argc - 1, argv + 1, collect);
  }
  const CountingSink::Counts& s = batched.counts;
  const double netEvents = facts.empty() ? 0 : MeasureNetEvents(facts, s.events, false);
  const double netEventsBatched = facts.empty() ? 0 : MeasureNetEvents(facts, s.events, true);
  std::printf(
      "{\"records\":%llu,\"events\":%llu,\"issues\":%llu,\"bytes\":%llu,\"recordsPerSec\":%.0f,"
      "\"withBatchRecordsPerSec\":%.0f,\"netEventSample\":%zu,\"netEventsPerSec\":%.0f,"
      "\"netEventsWithBatchPerSec\":%.0f}\n",
      static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.events),
      static_cast<unsigned long long>(s.issues), static_cast<unsigned long long>(s.bytes), normalised.recordsPerSec,
      batched.recordsPerSec, facts.size(), netEvents, netEventsBatched);
  return 0;
}
