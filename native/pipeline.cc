#include "pipeline.h"


namespace wfp {

void Pipeline::OnRecord(const EventRecord& record, std::string_view input, uint64_t offset) {
  if (afterRecordId_ && record.hasRecordId && record.recordId <= afterRecordId_) return;
  if (policyChanges_ && record.eventId == kAuditPolicyChangedEventId && RecognizePolicyChange(record, policyChange_)) {
    builder_.AddPolicyChange(BatchPolicyChange{0, record.recordId, policyChange_.timeMs,
                                               std::string(policyChange_.subcategoryGuid), policyChange_.changes});
    return;
  }
  switch (Normalize(record, selection_, event_, issue_)) {
    case Normalized::Event:
      if (enricher_) {
        enrichment_ = Enrichment{};
        enricher_->Enrich(event_, enrichment_);
        event_.enrichment = &enrichment_;
      }
      if (coalescer_) {
        coalescer_->Add(event_, Coalescer::Clock::now(), ready_);
        AddReady();
      } else {
        builder_.Add(event_);
      }
      if (builder_.events() >= batchSize_) Flush();
      break;
    case Normalized::Issue:
      OnIssue(issue_.code, std::move(issue_.message), input, static_cast<int64_t>(offset));
      break;
    case Normalized::Skipped:
      break;
  }
}

void Pipeline::OnIssue(const char* code, std::string message, std::string_view input, int64_t offset) {
  builder_.AddIssue(BatchIssue{0, code, std::move(message), std::string(input), offset, -1, std::string()});
}

void Pipeline::OnSystemError(const char* code, std::string message, std::string_view input, uint32_t systemCode,
                             std::string hint) {
  builder_.AddIssue(BatchIssue{0, code, std::move(message), std::string(input), -1, systemCode, std::move(hint)});
}

void Pipeline::AddReady() {
  for (const auto& held : ready_) builder_.Add(held->event(), held->count, held->firstMs, held->lastMs);
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
