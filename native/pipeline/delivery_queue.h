// The bounded hand-off between a watcher's thread and the JavaScript thread. The producer blocks
// while `highWaterMark` events are waiting (or the consumer paused it), so a slow listener slows the
// reading instead of growing memory or losing events. The consumer is woken at most once per
// batch run: while a wake-up is pending, new batches join it. Plain C++ with no Node-API.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "pipeline/batch.h"

namespace wfp {

class DeliveryQueue {
 public:
  DeliveryQueue(size_t highWaterMark, std::function<void()> wakeConsumer);

  // Producer side. Returns false, dropping the batch, once Stop() was called.
  bool Push(Batch batch);
  void MarkEnded();
  void MarkDrained();

  // Consumer side.
  struct Taken {
    std::vector<Batch> batches;
    bool ended = false;
    bool drained = false;
  };
  Taken Take();
  void SetPaused(bool paused);

  // Any thread: Push() returns false from now on, and a blocked Push() returns now.
  void Stop();
  bool stopping() const;

 private:
  void WakeLocked();

  const size_t highWaterMark_;
  const std::function<void()> wakeConsumer_;
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::deque<Batch> batches_;
  size_t waitingEvents_ = 0;
  bool paused_ = false;
  std::atomic<bool> stopping_{false};  // read without the lock on every record
  bool ended_ = false;
  bool drained_ = false;
  bool wakePending_ = false;
};

}  // namespace wfp
