#include "pipeline/pipeline.h"

namespace wfp {

Pipeline::Pipeline(PipelineOptions options, DeliveryQueue& queue)
    : selection_(options.selection),
      filter_(std::move(options.filter)),
      format_(options.format),
      formatContext_(std::move(options.formatContext)),
      enricher_(std::move(options.enricher)),
      policyChanges_(options.policyChanges),
      floor_(options.afterRecordId),
      recordIdsAscend_(options.recordIdsAscend),
      coalescer_(options.coalesceMs > 0 ? std::make_unique<Coalescer>(options.coalesceMs) : nullptr),
      batchSize_(options.batchSize),
      queue_(queue) {}

bool Pipeline::AlreadyHandled(const EventRecord& record) {
  if (!record.hasRecordId) return false;
  if (floor_ && record.recordId <= floor_) return true;
  if (recordIdsAscend_) floor_ = record.recordId;
  return false;
}

bool Pipeline::Wants(uint32_t eventId) const {
  return selection_.Contains(eventId) || (policyChanges_ && eventId == kAuditPolicyChangedEventId);
}

void Pipeline::OnStartAfter(uint64_t recordId) {
  if (recordId > floor_) floor_ = recordId;
}

void Pipeline::OnRecord(const EventRecord& record, const Position& at) {
  if (AlreadyHandled(record)) return;
  if (policyChanges_ && record.eventId == kAuditPolicyChangedEventId && RecognizePolicyChange(record, policyChange_)) {
    builder_.AddPolicyChange(BatchPolicyChange{0, record.recordId, policyChange_.timeMs,
                                               std::string(policyChange_.subcategoryGuid), policyChange_.changes});
    return;
  }
  switch (Normalize(record, selection_, event_, issue_)) {
    case Normalized::Event:
      Add(event_);
      break;
    case Normalized::Issue:
      OnIssue(Issue{issue_.code, std::move(issue_.message), std::string(at.input),
                    at.offset == kNoOffset ? -1 : static_cast<int64_t>(at.offset)});
      break;
    case Normalized::Skipped:
      break;
  }
}

void Pipeline::OnEvent(const BlockEvent& event, const Position&) {
  if (event.record && AlreadyHandled(*event.record)) return;
  Add(event);
}

void Pipeline::Add(const BlockEvent& event) {
  if (!filter_.Matches(event)) return;
  const BlockEvent* e = &event;
  BlockEvent enriched;
  if (enricher_) {
    enrichment_ = Enrichment{};
    enricher_->Enrich(event, enrichment_);
    enriched = event;
    enriched.enrichment = &enrichment_;
    e = &enriched;
  }
  if (coalescer_) {
    coalescer_->Add(*e, Coalescer::Clock::now(), ready_);
    AddReady();
  } else {
    Emit(*e, Fold{});
  }
  if (builder_.events() >= batchSize_) Flush();
}

void Pipeline::Emit(const BlockEvent& event, const Fold& fold) {
  if (format_ != EventFormat::Objects) builder_.AddFormatted(format_, event, fold, formatContext_);
  else if (fold.count) builder_.Add(event, fold.count, fold.firstMs, fold.lastMs);
  else builder_.Add(event);
}

void Pipeline::OnIssue(Issue issue) {
  builder_.AddIssue(BatchIssue{0, issue.code, std::move(issue.message), std::move(issue.input), issue.offset,
                               issue.systemCode, std::move(issue.hint), issue.line, issue.column});
}

void Pipeline::OnGap(std::string message) { builder_.AddGap(std::move(message)); }

void Pipeline::AddReady() {
  for (const auto& held : ready_) Emit(held->event(), Fold{held->count, held->firstMs, held->lastMs});
  ready_.clear();
}

void Pipeline::OnIdle() {
  if (coalescer_) {
    coalescer_->Expire(Coalescer::Clock::now(), ready_);
    AddReady();
  }
  Flush();
}

std::optional<std::chrono::milliseconds> Pipeline::IdleTimeout() const {
  std::optional<Coalescer::Clock::time_point> due = coalescer_ ? coalescer_->NextDeadline() : std::nullopt;
  if (!due) return std::nullopt;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*due - Coalescer::Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

void Pipeline::Finish() {
  if (coalescer_) {
    coalescer_->FlushAll(ready_);
    AddReady();
  }
  Flush();
}

void Pipeline::Flush() {
  if (!builder_.empty()) queue_.Push(builder_.Take());
}

}  // namespace wfp
