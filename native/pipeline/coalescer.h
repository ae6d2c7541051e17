// Flood control: folds repeats of the same block (kind, direction, application, protocol, remote
// address and port, local port, filter) within a window into one event with a count and the first
// and last time, before anything is handed to JavaScript. A folded event goes out when its window has
// passed: by event time as later records arrive (replays), by the clock while the source waits (live),
// and at the end of the input. Plain C++ with no Node-API.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/block_event.h"

namespace wfp {

// A BlockEvent with copies of every string it points to, so it can outlive its record.
class HeldEvent {
 public:
  HeldEvent(const BlockEvent& event, std::chrono::steady_clock::time_point deadline);
  HeldEvent(const HeldEvent&) = delete;
  HeldEvent& operator=(const HeldEvent&) = delete;

  const BlockEvent& event() const { return event_; }
  std::string key;
  uint64_t count = 1;
  double firstMs = 0;
  double lastMs = 0;
  std::chrono::steady_clock::time_point deadline;

 private:
  std::string_view Keep(std::string_view s);
  std::deque<std::string> strings_;  // stable addresses
  EventRecord record_;
  Enrichment enrichment_;
  NetEventDetails netEvent_;
  BlockEvent event_;
};

class Coalescer {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Coalescer(double windowMs) : windowMs_(windowMs) {}

  // Folds `event` into a held one, or holds it; first moves out whatever `event`'s time has expired.
  void Add(const BlockEvent& event, Clock::time_point now, std::vector<std::unique_ptr<HeldEvent>>& ready);
  // Moves out what the clock has expired.
  void Expire(Clock::time_point now, std::vector<std::unique_ptr<HeldEvent>>& ready);
  void FlushAll(std::vector<std::unique_ptr<HeldEvent>>& ready);
  // When the oldest held event is due, if any.
  std::optional<Clock::time_point> NextDeadline() const;

  static std::string Key(const BlockEvent& event);

 private:
  void PopFront(std::vector<std::unique_ptr<HeldEvent>>& ready);
  double windowMs_;
  std::list<std::unique_ptr<HeldEvent>> held_;  // in arrival order
  std::unordered_map<std::string, HeldEvent*> byKey_;
};

}  // namespace wfp
