// The correlation stage: remembers the last change read of each firewall rule (by rule ID) and of each
// WFP filter (by run-time filter ID), so that a block decided by that rule or filter carries it. The table
// is bounded: past `capacity` entries the one noted longest ago is dropped, so memory stays flat however
// long the watcher runs. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>
#include <list>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "model/block_event.h"
#include "model/rule_change.h"

namespace wfp {

class ChangeCorrelator {
 public:
  static constexpr size_t kDefaultCapacity = 4096;
  explicit ChangeCorrelator(size_t capacity = kDefaultCapacity) : capacity_(capacity ? capacity : 1) {}

  // A rule or filter change; listings at start (4945, 5441, ...) and changes without a rule or filter
  // ID are not changes of one rule, and are ignored.
  void Note(const RuleChange& change);
  // The last change of the rule that decided `event` (its ruleId), else of its filter (filterId), if it
  // was read before and happened no later than the event.
  const ChangeNote* Find(const BlockEvent& event) const;
  size_t size() const { return order_.size(); }

 private:
  struct Entry {
    bool isRule;
    std::string rule;  // rule ID, lower-cased and trimmed
    uint64_t filter;   // run-time filter ID
    ChangeNote note;
  };
  using Position = std::list<Entry>::iterator;
  void Put(Entry entry);
  void Drop(Position at);
  const ChangeNote* Found(const Entry* entry, double atMs) const;

  size_t capacity_;
  std::list<Entry> order_;  // oldest noted first
  // Blocks are looked up by filter ID on every event: a number key spares building a string.
  std::unordered_map<std::string, Position> byRule_;
  std::unordered_map<uint64_t, Position> byFilter_;
};

}  // namespace wfp
