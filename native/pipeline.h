// The sink every source feeds: normalises records, batches the events with the problems met on the
// way (in input order), and pushes the batches into the delivery queue.
#pragma once

#include <memory>

#include "batch.h"
#include "coalescer.h"
#include "enricher.h"
#include "delivery_queue.h"
#include "event_classes.h"
#include "event_source.h"
#include "normalizer.h"

namespace wfp {

class Pipeline final : public RecordSink {
 public:
  // `policyChanges`: also report audit policy changes (4719) met among the records.
  // `afterRecordId`: skip records up to this ID (resuming after a bookmark); 0 skips nothing.
  // `coalesceMs` > 0 folds repeats within that window (see Coalescer).
  // `enricher`: adds machine state to each event (live sources on Windows); may be null.
  Pipeline(EventSelection selection, bool policyChanges, uint64_t afterRecordId, double coalesceMs,
           std::unique_ptr<Enricher> enricher, uint32_t batchSize, DeliveryQueue& queue)
      : selection_(selection),
        enricher_(std::move(enricher)),
        policyChanges_(policyChanges),
        afterRecordId_(afterRecordId),
        coalescer_(coalesceMs > 0 ? std::make_unique<Coalescer>(coalesceMs) : nullptr),
        batchSize_(batchSize),
        queue_(queue) {}

  void OnRecord(const EventRecord& record, std::string_view input, uint64_t offset) override;
  void OnIssue(const char* code, std::string message, std::string_view input, int64_t offset) override;
  void OnSystemError(const char* code, std::string message, std::string_view input, uint32_t systemCode,
                     std::string hint) override;
  void OnIdle() override;
  std::optional<std::chrono::milliseconds> IdleTimeout() const override;
  bool Stopping() const override { return queue_.stopping(); }
  // The input has ended: everything held goes out.
  void Finish();

 private:
  void Flush();
  void AddReady();
  EventSelection selection_;
  std::unique_ptr<Enricher> enricher_;
  Enrichment enrichment_;
  bool policyChanges_;
  uint64_t afterRecordId_;
  std::unique_ptr<Coalescer> coalescer_;
  std::vector<std::unique_ptr<HeldEvent>> ready_;
  uint32_t batchSize_;
  DeliveryQueue& queue_;
  BatchBuilder builder_;
  BlockEvent event_;
  NormalizeIssue issue_;
  PolicyChange policyChange_;
};

}  // namespace wfp
