// The correlation stage: a block decided by a rule or filter that changed carries that change, by rule ID
// (any case) or run-time filter ID, only when the change is no later than the block, and the table stays
// within its capacity. Real change records; the blocks are built for the test.
#include "test_main.h"

#include <cstdlib>
#include <fstream>

#include "pipeline/change_correlator.h"

namespace {
using namespace wfp;
using namespace wfp::test;

std::vector<std::string> ChangeFixture(const std::string& name) {
  std::vector<std::string> lines;
  const char* folder = std::getenv("WFP_FIXTURES");
  std::ifstream in(std::string(folder ? folder : ".") + "/changes/" + name);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Notes every change of a fixture file.
size_t NoteAll(ChangeCorrelator& table, const std::string& file) {
  XmlEventReader reader;
  size_t noted = 0;
  for (const std::string& xml : ChangeFixture(file)) {
    EventRecord r;
    RuleChange c;
    if (Read(xml, reader, r) && RecognizeRuleChange(r, c)) {
      table.Note(c);
      ++noted;
    }
  }
  return noted;
}

BlockEvent Block(double timeMs, std::optional<uint64_t> filterId, std::optional<std::string_view> ruleId) {
  BlockEvent e;
  e.timeMs = timeMs;
  e.filterId = filterId;
  e.ruleId = ruleId;
  e.decidedBy = ruleId ? DecidedBy::Rule : DecidedBy::Unknown;
  return e;
}

constexpr double kAfter = 1622747000000.0 + 3600e3;  // 2021-06-03, an hour after the changes
constexpr double kBefore = 1622747000000.0 - 3600e3;
}  // namespace

TEST_CASE("correlation: a block of a changed WFP filter carries its last change") {
  ChangeCorrelator table;
  Equal(NoteAll(table, "evtx-mdecrevoisier-firewall-disabled.xml"), size_t{990}, "6 4950 and 984 5447");
  const ChangeNote* n = table.Find(Block(kAfter, 72549, std::nullopt));
  Check(n != nullptr, "filter 72549 changed");
  if (n) {
    Equal(std::string(kChangeNames[static_cast<size_t>(n->kind)]), std::string("filter-added"), "72549 was added");
    Equal(n->name.value_or(""), std::string("WinDefend Outbound for TCP"), "its name");
    Equal(n->userName.value_or(""), std::string("NT AUTHORITY\\LOCAL SERVICE"), "by");
    Equal(n->eventId, uint32_t{5447}, "event");
    Equal(n->recordId, uint64_t{1966464}, "record");
  }
  const ChangeNote* gone = table.Find(Block(kAfter, 72062, std::nullopt));
  Check(gone && gone->kind == ChangeKind::FilterDeleted, "72062 was added, then deleted: the last change wins");
  Check(!table.Find(Block(kBefore, 72549, std::nullopt)), "a change after the block is not its cause");
  Check(!table.Find(Block(kAfter, 1, std::nullopt)), "an unchanged filter has none");
  Check(!table.Find(Block(kAfter, std::nullopt, std::nullopt)), "an event without filter has none");
}

TEST_CASE("correlation: rules by ID in any case; listings are no changes; the rule wins over the filter") {
  ChangeCorrelator table;
  NoteAll(table, "text-msdocs-mpssvc-wfp.xml");
  const double after = 1444262400000.0;  // 2015-10-08
  const ChangeNote* n = table.Find(Block(after, std::nullopt, "{f2649d59-1355-4e3c-b886-cdd08b683199}"));
  Check(n && n->kind == ChangeKind::RuleDeleted && n->eventId == 4948, "4946, 4947, 4948: the deletion is the last");
  Check(!table.Find(Block(after, std::nullopt, "NPS-NPSSvc-In-RPC")), "4945 lists a rule at start: no change");
  Check(table.Find(Block(after, std::nullopt, "CoreNet-Teredo-In")) != nullptr, "4957: the rule was not applied");
  const ChangeNote* byFilter = table.Find(Block(after, 100100, "{F2649D59-1355-4E3C-B886-CDD08B683199}"));
  Check(byFilter && byFilter->eventId == 4948, "a rule change is preferred to the filter's");
  const ChangeNote* filter = table.Find(Block(after, 100100, "NoSuchRule"));
  Check(filter && filter->eventId == 5447, "else the filter's change");
  ChangeCorrelator fw;
  NoteAll(fw, "text-EricZimmerman-firewall.xml");
  const ChangeNote* mod =
      fw.Find(Block(1700000000000.0, std::nullopt, "UDP Query User{~~~~}C:\\users\\hyuunnn\\downloads\\anydesk.exe"));
  Check(mod && mod->application.value_or("") == "C:\\Windows\\System32\\dllhost.exe" &&
            mod->userSid.value_or("") == "S-1-5-21-2856883770-2223847312-2813546713-1001",
        "the firewall log says who and with what");
}

TEST_CASE("correlation: the table is bounded, dropping what was noted longest ago") {
  ChangeCorrelator table(100);
  NoteAll(table, "evtx-mdecrevoisier-firewall-disabled.xml");
  Equal(table.size(), size_t{100}, "no more than its capacity");
  Check(!table.Find(Block(kAfter, 72062, std::nullopt)), "an early filter was dropped");
  const ChangeNote* last = table.Find(Block(kAfter, 72430, std::nullopt));
  Check(last && last->recordId == 1966591 && last->kind == ChangeKind::FilterDeleted,
        "the last change of the file (WSH Default Outbound Block deleted) is kept");
  for (int round = 0; round < 20; ++round) NoteAll(table, "evtx-mdecrevoisier-firewall-disabled.xml");
  Equal(table.size(), size_t{100}, "still its capacity after 20 more passes");
}
