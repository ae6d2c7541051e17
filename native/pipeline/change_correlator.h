// The correlation stage: remembers the last change read of each firewall rule (by rule ID) and of each
// WFP filter (by run-time filter ID), so that a block decided by that rule or filter carries it. The table
// is bounded: past `capacity` entries the one noted longest ago is dropped, so memory stays flat however
// long the watcher runs. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>
#include <list>
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
    std::string key;
    ChangeNote note;
  };
  void Put(std::string key, const ChangeNote& note);
  const ChangeNote* Get(const std::string& key, double atMs) const;

  size_t capacity_;
  std::list<Entry> order_;  // oldest noted first
  std::unordered_map<std::string, std::list<Entry>::iterator> byKey_;
};

}  // namespace wfp
