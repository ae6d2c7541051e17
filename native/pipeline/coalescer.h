// Flood control: folds repeats of the same block (kind, direction, application, protocol, remote
// address and port, local port, filter) into one event with a count and the first and last time,
// before anything is handed to JavaScript.
//
// Folds are held in epochs. An epoch ends, and all its folds go out together (in the order of their
// first record), when the next event would make a fold span more than the window in event time, or
// lies more than the window away from the epoch's first event (in either direction: input can come
// newest first or shuffled), when `maxHeld` folds are held, when the clock says the window has
// passed while the source waits (live sources, follow mode), and at the end of the input. Because
// every emission empties the coalescer, what has been delivered is always a prefix of the input, and
// an epoch is decided by the records alone until the clock ends it: so a bookmark can say "this epoch,
// up to this record, and its first j folds", and a resumed watcher rebuilds exactly the same folds.
// Plain C++ with no Node-API and no OS code.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/block_event.h"
#include "model/rule_change.h"

namespace wfp {

// A BlockEvent with copies of every string it points to, so it can outlive its record.
class HeldEvent {
 public:
  explicit HeldEvent(const BlockEvent& event);
  HeldEvent(const HeldEvent&) = delete;
  HeldEvent& operator=(const HeldEvent&) = delete;

  const BlockEvent& event() const { return event_; }
  uint64_t count = 1;
  double firstMs = 0;
  double lastMs = 0;

 private:
  std::string_view Keep(std::string_view s);
  std::deque<std::string> strings_;  // stable addresses
  EventRecord record_;
  Enrichment enrichment_;
  ChangeNote lastChange_;
  BlockEvent event_;
};

class Coalescer {
 public:
  using Clock = std::chrono::steady_clock;
  Coalescer(double windowMs, size_t maxHeld) : windowMs_(windowMs), maxHeld_(maxHeld) {}

  // Folds `event` into a held one, or holds it. False, changing nothing, when it cannot join the
  // epoch: the caller takes the epoch's folds, and then it always can.
  bool Add(const BlockEvent& event, Clock::time_point now);
  // Ends the epoch: its folds, in the order of their first record.
  std::vector<std::unique_ptr<HeldEvent>> TakeAll();
  bool empty() const { return held_.empty(); }
  // When the clock ends the epoch (a window after its first event arrived), if one is open.
  std::optional<Clock::time_point> Deadline() const;

  static std::string Key(const BlockEvent& event);

 private:
  double windowMs_;
  size_t maxHeld_;
  std::vector<std::unique_ptr<HeldEvent>> held_;  // in the order of their first record
  std::unordered_map<std::string, HeldEvent*> byKey_;
  double epochFirstMs_ = 0;
  Clock::time_point epochStarted_{};
};

}  // namespace wfp
