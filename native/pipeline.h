// The sink every source feeds: normalises records, batches the events with the problems met on the
// way (in input order), and pushes the batches into the delivery queue.
#pragma once

#include "batch.h"
#include "delivery_queue.h"
#include "event_classes.h"
#include "event_source.h"
#include "normalizer.h"

namespace wfp {

class Pipeline final : public RecordSink {
 public:
  // `policyChanges`: also report audit policy changes (4719) met among the records.
  // `afterRecordId`: skip records up to this ID (resuming after a bookmark); 0 skips nothing.
  Pipeline(EventSelection selection, bool policyChanges, uint64_t afterRecordId, uint32_t batchSize, DeliveryQueue& queue)
      : selection_(selection),
        policyChanges_(policyChanges),
        afterRecordId_(afterRecordId),
        batchSize_(batchSize),
        queue_(queue) {}

  void OnRecord(const EventRecord& record, std::string_view input, uint64_t offset) override;
  void OnIssue(const char* code, std::string message, std::string_view input, int64_t offset) override;
  void OnSystemError(const char* code, std::string message, std::string_view input, uint32_t systemCode,
                     std::string hint) override;
  void OnIdle() override { Flush(); }
  bool Stopping() const override { return queue_.stopping(); }
  void Flush();

 private:
  EventSelection selection_;
  bool policyChanges_;
  uint64_t afterRecordId_;
  uint32_t batchSize_;
  DeliveryQueue& queue_;
  BatchBuilder builder_;
  BlockEvent event_;
  NormalizeIssue issue_;
  PolicyChange policyChange_;
};

}  // namespace wfp
