// Coalescing: repeats of the same block fold into one held event with a count, by event time.
#include "test_main.h"

#include "model/normalizer.h"
#include "pipeline/coalescer.h"

namespace {
using namespace wfp;
using namespace wfp::test;
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
    Coalescer coalescer(60000);
    std::vector<std::unique_ptr<HeldEvent>> ready;
    uint64_t total = 0;
    for (const std::string& xml : f.xml) {
      EventRecord r;
      BlockEvent e;
      NormalizeIssue issue;
      if (!Read(xml, reader, r) || Normalize(r, selection, e, issue) != Normalized::Event) continue;
      ++total;
      coalescer.Add(e, Clock::now(), ready);  // the next Read() reuses the buffer the record points into
    }
    coalescer.FlushAll(ready);
    uint64_t folded = 0;
    bool ordered = true, ownCopies = true;
    for (const auto& h : ready) {
      folded += h->count;
      ordered = ordered && h->firstMs <= h->lastMs;
      const std::string_view computer = h->event().record->computer;
      ownCopies = ownCopies && computer.size() > 10 && computer.substr(computer.size() - 15) == ".theshire.local";
    }
    Equal(folded, total, "every record is counted once");
    Check(ready.size() * 5 < total, "repeats are folded (" + std::to_string(ready.size()) + " of " + std::to_string(total) + ")");
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
      "<Data Name='Direction'>%%14593</Data><Data Name='SourceAddress'>10.0.0.1</Data><Data Name='SourcePort'>5000</Data>"
      "<Data Name='DestAddress'>192.0.2.1</Data><Data Name='DestPort'>PORT</Data><Data Name='Protocol'>6</Data>"
      "<Data Name='FilterRTID'>7</Data></EventData></Event>";
  auto record = [&](const std::string& time, const std::string& port) {
    std::string s = base;
    s.replace(s.find("TIME"), 4, time);
    s.replace(s.find("PORT"), 4, port);
    return s;
  };
  Coalescer coalescer(60000);
  std::vector<std::unique_ptr<HeldEvent>> ready;
  for (const std::string& xml : {record("2024-01-01T00:00:00.000Z", "443"), record("2024-01-01T00:00:30.000Z", "443"),
                                 record("2024-01-01T00:00:31.000Z", "8443"), record("2024-01-01T00:01:01.000Z", "443")}) {
    EventRecord r;
    BlockEvent e;
    NormalizeIssue issue;
    Check(Read(xml, reader, r) && Normalize(r, selection, e, issue) == Normalized::Event, "synthetic record reads");
    coalescer.Add(e, Clock::now(), ready);
  }
  Equal(ready.size(), size_t{1}, "the first window closed when a record 61 s later arrived");
  Equal(ready.empty() ? 0 : ready[0]->count, uint64_t{2}, "two records in the first window");
  Check(coalescer.NextDeadline().has_value(), "held events have a deadline");
  coalescer.Expire(Clock::now() + std::chrono::minutes(2), ready);
  Equal(ready.size(), size_t{3}, "the clock expires held events while the source waits");
  Check(!coalescer.NextDeadline().has_value(), "nothing is left held");
}
