#include "pipeline/delivery_queue.h"

namespace wfp {

DeliveryQueue::DeliveryQueue(size_t highWaterMark, std::function<void()> wakeConsumer)
    : highWaterMark_(highWaterMark), wakeConsumer_(std::move(wakeConsumer)) {}

void DeliveryQueue::WakeLocked() {
  if (wakePending_) return;
  wakePending_ = true;
  wakeConsumer_();
}

bool DeliveryQueue::Push(Batch batch) {
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [&] {
    return stopping_ || (!paused_ && (waitingEvents_ == 0 || waitingEvents_ + batch.weight() <= highWaterMark_));
  });
  if (stopping_) return false;
  waitingEvents_ += batch.weight();
  batches_.push_back(std::move(batch));
  WakeLocked();
  return true;
}

void DeliveryQueue::MarkEnded() {
  std::lock_guard<std::mutex> lock(mutex_);
  ended_ = true;
  WakeLocked();
}

void DeliveryQueue::MarkDrained() {
  std::lock_guard<std::mutex> lock(mutex_);
  drained_ = true;
  WakeLocked();
}

DeliveryQueue::Taken DeliveryQueue::Take() {
  Taken taken;
  std::lock_guard<std::mutex> lock(mutex_);
  taken.batches.reserve(batches_.size());
  for (Batch& b : batches_) taken.batches.push_back(std::move(b));
  batches_.clear();
  waitingEvents_ = 0;
  taken.ended = ended_;
  taken.drained = drained_;
  drained_ = false;
  wakePending_ = false;
  room_.notify_all();
  return taken;
}

void DeliveryQueue::SetPaused(bool paused) {
  std::lock_guard<std::mutex> lock(mutex_);
  paused_ = paused;
  room_.notify_all();
}

void DeliveryQueue::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = true;
  room_.notify_all();
}

bool DeliveryQueue::stopping() const { return stopping_.load(std::memory_order_relaxed); }

}  // namespace wfp
