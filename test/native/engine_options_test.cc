// The record of the WFP engine options the 'netevents' source changes: only what is off is turned on,
// the record survives a round trip through its file and rejects what it did not write, and restoring
// undoes exactly the recorded change, whatever else changed meanwhile.
#include "test_main.h"

#include "sources/engine_options.h"
#include "sources/net_event.h"

namespace {
using namespace wfp;
using namespace wfp::test;
namespace keyword = net_event_keyword;
}  // namespace

TEST_CASE("engine options: only what is off changes, and restoring undoes exactly that") {
  const uint32_t allowed = keyword::kClassifyAllow | keyword::kCapabilityAllow;
  EngineOptionChange c = NeededChange({0, keyword::kInboundMulticast}, keyword::kCapabilityDrop | allowed);
  Check(c.turnOnCollect && c.addKeywords == (keyword::kCapabilityDrop | allowed),
        "collection off: on, and the missing keywords");
  c = NeededChange({1, keyword::kCapabilityDrop}, keyword::kCapabilityDrop);
  Check(!c.any(), "what is on is left alone");

  // A watcher turns collection on; a second one (of another process) adds the allow keywords.
  EngineOptionRecord record;
  const EngineOptionOwner first{100, 555, 1}, second{200, 777, 2};
  RecordChange(record, {0, keyword::kInboundMulticast}, NeededChange({0, keyword::kInboundMulticast}, 0), first);
  Check(record.changed() && record.turnedOnCollect && record.addedKeywords == 0, "collection recorded");
  RecordChange(record, {1, keyword::kInboundMulticast}, NeededChange({1, keyword::kInboundMulticast}, allowed), second);
  Check(record.before == EngineOptionValues{0, keyword::kInboundMulticast}, "the values before the first change stay");
  Equal(record.addedKeywords, allowed, "the second change adds to the record");
  Equal(record.owners.size(), size_t{2}, "both watchers depend on it");
  RecordChange(record, {1, keyword::kInboundMulticast | allowed}, EngineOptionChange{}, second);
  Equal(record.owners.size(), size_t{2}, "an owner is recorded once");

  // Meanwhile someone else turned the broadcast keyword on: it stays.
  const EngineOptionValues now{1, keyword::kInboundMulticast | keyword::kInboundBroadcast | allowed};
  Check(RestoredValues(record, now) == EngineOptionValues{0, keyword::kInboundMulticast | keyword::kInboundBroadcast},
        "collection off again, the added keywords off, the others as they are");
  Check(RestoredValues(record, {0, keyword::kInboundMulticast}) == EngineOptionValues{0, keyword::kInboundMulticast},
        "what someone else already undid stays undone");
  EngineOptionRecord keywordsOnly;
  RecordChange(keywordsOnly, {1, 0}, NeededChange({1, 0}, allowed), first);
  Check(RestoredValues(keywordsOnly, {1, allowed}) == EngineOptionValues{1, 0}, "collection that was on stays on");
}

TEST_CASE("engine options: the state file's record round-trips and rejects what it did not write") {
  EngineOptionRecord record;
  record.before = {0, 3};
  record.turnedOnCollect = true;
  record.addedKeywords = 24;
  record.owners = {{4321, 133500000001234567ull, 18446744073709551615ull}, {8, 1, 2}};
  const std::string text = record.Serialize();
  std::optional<EngineOptionRecord> back = EngineOptionRecord::Parse(text);
  Check(back.has_value(), "parses what it wrote: " + text);
  if (back) {
    Check(back->before == record.before && back->turnedOnCollect && back->addedKeywords == 24, "values");
    Check(back->owners == record.owners, "owners, with 64-bit numbers exact");
  }
  Check(EngineOptionRecord::Parse("{\"version\":1,\"before\":{\"collect\":1,\"keywords\":0},\"turnedOnCollect\":0,"
                                  "\"addedKeywords\":0,\"owners\":[]}")
            .has_value(),
        "an empty record");
  for (const char* bad : {"", "{}", "{\"version\":2}", "not json", "{\"version\":1,\"turnedOnCollect\":2}",
                          "{\"version\":1,\"owners\":[{\"pid\":\"x\"}]}", "{\"version\":1} trailing",
                          "{\"version\":1,\"unknown\":1}", "{\"version\":1,\"addedKeywords\":99999999999}"})
    Check(!EngineOptionRecord::Parse(bad).has_value(), std::string("rejects ") + bad);
  std::string truncated = text;
  truncated.resize(text.size() / 2);
  Check(!EngineOptionRecord::Parse(truncated).has_value(), "rejects a half-written file");
}
