// Coalescing: repeats of the same block fold into one held event with a count, by event time.
#include "test_main.h"

#include "model/normalizer.h"
#include "pipeline/coalescer.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace {
using namespace wfp;
using namespace wfp::test;

void TakeInto(Coalescer& coalescer, std::vector<std::unique_ptr<HeldEvent>>& ready) {
  for (auto& held : coalescer.TakeAll()) ready.push_back(std::move(held));
}
}  // namespace

TEST_CASE("coalescer: a host's repeated binds fold, every record counted once, held events own their strings") {
  using Clock = Coalescer::Clock;
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();

  // The 5158 binds of one host repeat with the same program and ports: they fold.
  bool found = false;
  for (const Fixture& f : Fixtures()) {
    if (f.file != "otrf-f2bb3e18.xml") continue;
    found = true;
    Coalescer coalescer(60000, 4096);
    std::vector<std::unique_ptr<HeldEvent>> ready;
    uint64_t total = 0;
    for (const std::string& xml : f.xml) {
      EventRecord r;
      BlockEvent e;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, selection, e, issue) != Normalized::Event) continue;
      ++total;
      // The next Read() reuses the buffer the record points into.
      if (!coalescer.Add(e, Clock::now())) TakeInto(coalescer, ready), coalescer.Add(e, Clock::now());
    }
    TakeInto(coalescer, ready);
    uint64_t folded = 0;
    bool ordered = true, ownCopies = true;
    for (const auto& h : ready) {
      folded += h->count;
      ordered = ordered && h->firstMs <= h->lastMs;
      const std::string_view computer = h->event().record->computer;
      ownCopies = ownCopies && computer.size() > 10 && computer.substr(computer.size() - 15) == ".theshire.local";
    }
    Equal(folded, total, "every record is counted once");
    Check(ready.size() * 5 < total,
          "repeats are folded (" + std::to_string(ready.size()) + " of " + std::to_string(total) + ")");
    Check(ordered, "firstTime <= lastTime");
    Check(ownCopies, "a held event keeps its own copy of the record");
  }
  Check(found, "the coalescing fixture is there");
}

TEST_CASE("coalescer: windows close by event time, and by the clock while the source waits") {
  using Clock = Coalescer::Clock;
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  // Windows by event time: the same block 61 s later is a new event; another remote port is another key.
  const std::string base =
      "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID><TimeCreated "
      "SystemTime='TIME'/><EventRecordID>1</EventRecordID><Computer>c</Computer></System><EventData>"
      "<Data Name='Direction'>%%14593</Data><Data Name='SourceAddress'>10.0.0.1</Data><Data "
      "Name='SourcePort'>5000</Data>"
      "<Data Name='DestAddress'>192.0.2.1</Data><Data Name='DestPort'>PORT</Data><Data Name='Protocol'>6</Data>"
      "<Data Name='FilterRTID'>7</Data></EventData></Event>";
  auto record = [&](const std::string& time, const std::string& port) {
    std::string s = base;
    s.replace(s.find("TIME"), 4, time);
    s.replace(s.find("PORT"), 4, port);
    return s;
  };
  // An event is read into a reused buffer, as the pipeline does.
  auto event = [&](const std::string& time, const std::string& port, EventRecord& r, BlockEvent& e) {
    NormalizeIssue issue;
    Check(Read(record(time, port), reader, r) && Normalize(r, selection, e, issue) == Normalized::Event,
          "synthetic record reads");
  };
  Coalescer coalescer(60000, 4096);
  std::vector<std::unique_ptr<HeldEvent>> ready;
  const Clock::time_point now = Clock::now();
  for (auto [time, port] : {std::pair{"2024-01-01T00:00:00.000Z", "443"},
                            {"2024-01-01T00:00:30.000Z", "443"},
                            {"2024-01-01T00:00:31.000Z", "8443"},
                            {"2024-01-01T00:01:01.000Z", "443"}}) {
    EventRecord r;
    BlockEvent e;
    event(time, port, r, e);
    if (!coalescer.Add(e, now)) {
      Equal(std::string(time), std::string("2024-01-01T00:01:01.000Z"), "only the record 61 s later ends the epoch");
      TakeInto(coalescer, ready);
      Check(coalescer.Add(e, now), "an empty coalescer takes any event");
    }
  }
  Equal(ready.size(), size_t{2}, "the epoch's folds went out together when a record 61 s later arrived");
  Equal(ready.size() == 2 ? ready[0]->count * 10 + ready[1]->count : 0, uint64_t{21},
        "two records of :443, then one of :8443, in the order of their first record");
  Check(coalescer.Deadline().has_value() && *coalescer.Deadline() == now + std::chrono::minutes(1),
        "an open epoch ends by the clock a window after it started");
  TakeInto(coalescer, ready);
  Equal(ready.size(), size_t{3}, "the last epoch's fold");
  Check(!coalescer.Deadline().has_value(), "nothing is left held");
}

// Newest first, or shuffled: no fold ever spans more than the window between its first and last record.
TEST_CASE("coalescer: folds stay within the window in event time whatever the input order") {
  using Clock = Coalescer::Clock;
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  const std::string base =
      "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID><TimeCreated "
      "SystemTime='TIME'/><EventRecordID>1</EventRecordID><Computer>c</Computer></System><EventData>"
      "<Data Name='Direction'>%%14593</Data><Data Name='DestAddress'>192.0.2.1</Data><Data Name='DestPort'>443</Data>"
      "<Data Name='Protocol'>6</Data></EventData></Event>";
  // 600 records one second apart (ten minutes) of one key, in three orders.
  std::vector<int> seconds(600);
  for (int i = 0; i < 600; ++i) seconds[static_cast<size_t>(i)] = i;
  std::vector<std::vector<int>> orders = {seconds, std::vector<int>(seconds.rbegin(), seconds.rend()), seconds};
  uint32_t seed = 12345;
  for (size_t i = orders[2].size() - 1; i > 0; --i) {
    seed = seed * 1103515245 + 12345;
    std::swap(orders[2][i], orders[2][seed % (i + 1)]);
  }
  for (size_t o = 0; o < orders.size(); ++o) {
    Coalescer coalescer(60000, 4096);
    std::vector<std::unique_ptr<HeldEvent>> ready;
    for (int second : orders[o]) {
      char time[32];
      std::snprintf(time, sizeof time, "2024-01-01T00:%02d:%02d.000Z", second / 60, second % 60);
      std::string xml = base;
      xml.replace(xml.find("TIME"), 4, time);
      EventRecord r;
      BlockEvent e;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, selection, e, issue) != Normalized::Event) continue;
      if (!coalescer.Add(e, Clock::now())) TakeInto(coalescer, ready), coalescer.Add(e, Clock::now());
    }
    TakeInto(coalescer, ready);
    uint64_t counted = 0;
    bool within = true;
    for (const auto& h : ready) {
      counted += h->count;
      within = within && h->lastMs - h->firstMs <= 60000;
    }
    const std::string order = o == 0 ? "oldest first" : o == 1 ? "newest first" : "shuffled";
    Equal(counted, uint64_t{600}, order + ": every record counted once");
    Check(within, order + ": no fold spans more than the window");
    if (o < 2) Check(ready.size() >= 10 && ready.size() <= 11, order + ": ten minutes give ten or eleven folds");
  }
}

// A flood of distinct keys (a scan from spoofed addresses) holds at most maxHeld folds.
TEST_CASE("coalescer: at most maxHeld folds are held") {
  using Clock = Coalescer::Clock;
  XmlEventReader reader;
  const EventSelection selection = EventSelection::Everything();
  const std::string base =
      "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>5157</EventID><TimeCreated "
      "SystemTime='2024-01-01T00:00:00.000Z'/><EventRecordID>1</EventRecordID><Computer>c</Computer></"
      "System><EventData>"
      "<Data Name='Direction'>%%14592</Data><Data Name='SourceAddress'>ADDR</Data><Data Name='DestPort'>445</Data>"
      "<Data Name='Protocol'>6</Data></EventData></Event>";
  Coalescer coalescer(60000, 100);
  size_t epochs = 0, most = 0, total = 0, held = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string xml = base;
    xml.replace(xml.find("ADDR"), 4, "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
    EventRecord r;
    BlockEvent e;
    NormalizeIssue issue;
    if (!Read(xml, reader, r) || Normalize(r, selection, e, issue) != Normalized::Event) continue;
    if (!coalescer.Add(e, Clock::now())) {
      const size_t n = coalescer.TakeAll().size();
      total += n;
      most = std::max(most, n);
      ++epochs;
      coalescer.Add(e, Clock::now());
    }
    ++held;
  }
  total += coalescer.TakeAll().size();
  Equal(most, size_t{100}, "an epoch ends when 100 folds are held");
  Equal(epochs, size_t{9}, "a thousand distinct keys: nine full epochs, then the last");
  Equal(total, held, "every record went out once");
}
