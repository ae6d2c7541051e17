// The pipeline's positions for a live source that reads two logs (the Security log and the firewall's
// own), each with record IDs of its own: what a bookmark says was delivered is skipped log by log, a
// record that comes again (a rebuilt subscription) is skipped, and how far each log stands goes with the
// batches. Real records (WFP blocks, the firewall log's 2003-2006 changes), renumbered as a live log numbers
// them.
#include "test_main.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "pipeline/pipeline.h"

namespace {
using namespace wfp;
using namespace wfp::test;

// The record `xml` with the record ID `id`.
std::string Numbered(const std::string& xml, uint64_t id) {
  const size_t open = xml.find("<EventRecordID>"), close = xml.find("</EventRecordID>");
  if (open == std::string::npos || close == std::string::npos) return xml;
  return xml.substr(0, open + 15) + std::to_string(id) + xml.substr(close);
}

std::vector<std::string> FirewallLogChanges() {
  std::vector<std::string> lines;
  const char* folder = std::getenv("WFP_FIXTURES");
  std::ifstream in(std::string(folder ? folder : ".") + "/changes/text-EricZimmerman-firewall.xml");
  for (std::string line; std::getline(in, line);)
    if (line.find("<Channel>Microsoft-Windows-Windows Firewall With Advanced Security/Firewall") != std::string::npos)
      lines.push_back(line);
  return lines;
}

std::vector<std::string> SecurityBlocks() {
  for (const Fixture& f : Fixtures())
    if (f.file == "otrf-50c132c2.xml") return f.xml;
  return {};
}

struct Delivered {
  std::vector<uint64_t> blocks;      // record IDs, in order
  std::vector<uint64_t> changes;     // the firewall log's record IDs, in order
  std::vector<BatchProgress> last;   // the last progress mark
  std::vector<BatchProgress> marks;  // every log position the batches carried, in order
};

Delivered Collect(DeliveryQueue& queue) {
  Delivered d;
  for (Batch& b : queue.Take().batches) {
    for (size_t at = 0, i = 0; i < b.events; ++i) {
      d.blocks.push_back(static_cast<uint64_t>(b.numbers[at + kRecordId]));
      at += kHeaderSlots + 2 * static_cast<size_t>(b.numbers[at + kDataCount]);
    }
    for (const BatchRuleChange& c : b.ruleChanges) d.changes.push_back(c.recordId);
    for (const Batch::ProgressMark& m : b.progress) {
      d.last = m.inputs;
      d.marks.insert(d.marks.end(), m.inputs.begin(), m.inputs.end());
    }
  }
  return d;
}

uint64_t StandsAt(const std::vector<BatchProgress>& progress, Channel log) {
  for (const BatchProgress& p : progress)
    if (p.index == static_cast<uint32_t>(log)) return p.end;
  return 0;
}
}  // namespace

TEST_CASE("pipeline: a live source's two logs are skipped, repeated and advanced each by its own record IDs") {
  const std::vector<std::string> blocks = SecurityBlocks(), changes = FirewallLogChanges();
  Check(blocks.size() >= 8 && changes.size() >= 4, "the fixtures hold 8 blocks and 4 firewall-log changes");
  if (blocks.size() < 8 || changes.size() < 4) return;

  DeliveryQueue queue(1 << 20, [] {});
  PipelineOptions options;
  options.selection = EventSelection::Everything();
  options.ruleChanges = true;
  options.recordIdsAscend = true;
  // A bookmark: Security delivered up to 102, the firewall's log handled up to 2.
  options.afterRecordIds[static_cast<size_t>(Channel::Security)] = 102;
  options.afterRecordIds[static_cast<size_t>(Channel::Firewall)] = 2;
  Pipeline pipeline(std::move(options), queue);

  XmlEventReader reader;
  const Position security{kChannelNames[0], static_cast<uint32_t>(Channel::Security)};
  const Position firewall{kChannelNames[1], static_cast<uint32_t>(Channel::Firewall)};
  auto feed = [&](const std::string& xml, uint64_t id, const Position& at) {
    EventRecord r;
    Check(Read(Numbered(xml, id), reader, r), "a record reads");
    pipeline.OnRecord(r, at);
  };
  // The logs interleaved as one subscription delivers them; the firewall's IDs are far below the
  // Security log's and must not be taken for repeats of its records, nor the other way round.
  feed(blocks[0], 101, security);
  feed(changes[0], 1, firewall);
  feed(blocks[1], 102, security);
  feed(changes[1], 2, firewall);
  feed(blocks[2], 103, security);
  feed(changes[2], 3, firewall);
  feed(blocks[3], 104, security);
  feed(blocks[4], 105, security);
  // The subscription was rebuilt and delivers some records again.
  feed(blocks[3], 104, security);
  feed(changes[2], 3, firewall);
  feed(changes[3], 4, firewall);
  feed(blocks[5], 106, security);
  pipeline.Finish();

  const Delivered d = Collect(queue);
  Equal(d.blocks, std::vector<uint64_t>{103, 104, 105, 106}, "Security: after 102, each once");
  Equal(d.changes, std::vector<uint64_t>{3, 4}, "the firewall's log: after 2, each once");
  Equal(StandsAt(d.last, Channel::Security), uint64_t{106}, "the Security log stands at its last block");
  Equal(StandsAt(d.last, Channel::Firewall), uint64_t{4}, "the firewall's log at its last change");
  // No mark ever puts a log back, nor one log at the other's record IDs.
  uint64_t securityAt = 0, firewallAt = 0;
  for (const BatchProgress& p : d.marks) {
    uint64_t& at = p.index == static_cast<uint32_t>(Channel::Security) ? securityAt : firewallAt;
    Check(p.end >= at, "a log's position only grows");
    at = p.end;
    Check(p.index == static_cast<uint32_t>(Channel::Security) ? p.end > 102 : p.end <= 4, "each log by its own IDs");
  }
}
