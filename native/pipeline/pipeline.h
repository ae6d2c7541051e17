// The sink every source feeds: normalises records (or takes events a source normalised itself),
// batches the events with the problems met on the way (in input order), and pushes the batches into
// the delivery queue. Plain C++ with no Node-API and no OS code.
#pragma once

#include <memory>

#include "enrich/enricher.h"
#include "model/event_catalog.h"
#include "model/event_source.h"
#include "model/normalizer.h"
#include "model/policy_change.h"
#include "pipeline/batch.h"
#include "pipeline/coalescer.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/event_filter.h"

namespace wfp {

struct PipelineOptions {
  EventSelection selection;
  bool policyChanges = false;  // also report audit policy changes (4719) met among the records
  // Records up to this ID are skipped (resuming after a bookmark); 0 skips nothing.
  uint64_t afterRecordId = 0;
  // The source's record IDs only grow (a live log): a record at or below one already seen is a repeat.
  bool recordIdsAscend = false;
  double coalesceMs = 0;  // > 0 folds repeats within that window (see Coalescer)
  EventFilter filter;     // only matching events go on (before enrichment and coalescing)
  EventFormat format = EventFormat::Objects;  // Json, Ecs, Otel: batches carry the events' lines
  FormatContext formatContext;
  std::unique_ptr<Enricher> enricher;  // adds machine state to each event (live sources on Windows); may be null
  uint32_t batchSize = 1024;
};

class Pipeline final : public RecordSink {
 public:
  Pipeline(PipelineOptions options, DeliveryQueue& queue);

  void OnRecord(const EventRecord& record, const Position& at) override;
  void OnEvent(const BlockEvent& event, const Position& at) override;
  void OnIssue(Issue issue) override;
  void OnGap(std::string message) override;
  void OnStartAfter(uint64_t recordId) override;
  void OnIdle() override;
  std::optional<std::chrono::milliseconds> IdleTimeout() const override;
  bool Stopping() const override { return queue_.stopping(); }
  bool Wants(uint32_t eventId) const override;
  // The input has ended: everything held goes out.
  void Finish();

 private:
  // The one place that decides whether a record was already handed on (resume, resubscription).
  bool AlreadyHandled(const EventRecord& record);
  void Add(const BlockEvent& event);
  void Flush();
  void AddReady();
  void Emit(const BlockEvent& event, const Fold& fold);

  EventSelection selection_;
  EventFilter filter_;
  EventFormat format_;
  FormatContext formatContext_;
  std::unique_ptr<Enricher> enricher_;
  Enrichment enrichment_;
  bool policyChanges_;
  uint64_t floor_;  // records at or below this ID are skipped
  bool recordIdsAscend_;
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
