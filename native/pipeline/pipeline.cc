#include "pipeline/pipeline.h"

#include <algorithm>

namespace wfp {
namespace {

using Clock = std::chrono::steady_clock;

// Where a record stands in its input: the end of its bytes for a replay, its record ID for a live log.
uint64_t PlaceOf(const EventRecord* record, const Position& at) {
  if (at.end != kNoOffset) return at.end;
  return record && record->hasRecordId ? record->recordId : kNoOffset;
}

}  // namespace

Pipeline::Pipeline(PipelineOptions options, DeliveryQueue& queue)
    : selection_(options.selection),
      filter_(std::move(options.filter)),
      format_(options.format),
      formatContext_(std::move(options.formatContext)),
      enricher_(std::move(options.enricher)),
      localAddresses_(std::move(options.localAddresses)),
      policyChanges_(options.policyChanges),
      ruleChanges_(options.ruleChanges),
      correlator_(options.correlationCapacity),
      floors_(options.afterRecordIds),
      recordIdsAscend_(options.recordIdsAscend),
      resume_(std::move(options.resume)),
      resumeClaimed_(resume_.inputs.size(), false),
      coalescer_(options.coalesceMs > 0
                     ? std::make_unique<Coalescer>(options.coalesceMs, std::max<size_t>(1, options.coalesceMaxHeld))
                     : nullptr),
      batchSize_(options.batchSize),
      queue_(queue) {
  // A live log resumed inside an epoch: it ends at the record ID the bookmark gives.
  if (resume_.inEpoch && recordIdsAscend_) {
    forcedEpoch_ = true;
    forcedInput_ = 0;
    forcedEnd_ = resume_.epochEnd;
    dropFolds_ = resume_.epochDelivered;
  }
}

Pipeline::Input& Pipeline::InputAt(uint32_t index) {
  if (index >= inputs_.size()) inputs_.resize(index + 1);
  return inputs_[index];
}

bool Pipeline::AlreadyHandled(const EventRecord* record, const Position& at) {
  if (at.end != kNoOffset) return at.end <= InputAt(at.inputIndex).skipUpTo;
  if (!record || !record->hasRecordId || at.inputIndex >= kChannelCount) return false;
  uint64_t& floor = floors_[at.inputIndex];
  if (floor && record->recordId <= floor) return true;
  if (recordIdsAscend_) floor = record->recordId;
  return false;
}

void Pipeline::OnStartAfter(uint32_t input, uint64_t recordId) {
  if (input < kChannelCount) floors_[input] = std::max(floors_[input], recordId);
}

// The Security log's position goes with the batches where nothing is held (MarkProgress), as a
// replay's inputs do: its blocks are delivered as they are consumed. A log without blocks (the
// firewall's own) delivers its records as 'ruleChange' events right where they are in the batch, so
// its position follows each record at once, held folds or not.
void Pipeline::Handled(const EventRecord& record, const Position& at) {
  if (at.end != kNoOffset || !record.hasRecordId || at.inputIndex >= kChannelCount) return;
  handled_[at.inputIndex] = record.recordId;
  if (at.inputIndex == static_cast<uint32_t>(Channel::Security)) lastRecordId_ = record.recordId;
  if (std::optional<BatchProgress> own = BlocklessLogAt(record, at)) {
    if (builder_.empty()) batchStarted_ = Clock::now();
    builder_.AddProgress({*own});
  }
}

std::optional<BatchProgress> Pipeline::BlocklessLogAt(const EventRecord& record, const Position& at) const {
  if (at.end != kNoOffset || !record.hasRecordId || at.inputIndex >= kChannelCount ||
      at.inputIndex == static_cast<uint32_t>(Channel::Security))
    return std::nullopt;
  return BatchProgress{at.inputIndex, record.recordId, false};
}

void Pipeline::OnInputOpened(uint32_t index, std::string_view name, std::string_view head) {
  Input& input = InputAt(index);
  input.name = std::string(name);
  int64_t resumed = -1;
  for (size_t i = 0; i < resume_.inputs.size(); ++i) {
    const ResumeInput& r = resume_.inputs[i];
    if (resumeClaimed_[i] || !r.identity.Matches(head)) continue;
    resumeClaimed_[i] = true;
    resumed = static_cast<int64_t>(i);
    input.skipUpTo = r.offset;
    input.progress = r.offset;
    if (resume_.inEpoch && resume_.epochInput == i) {
      forcedEpoch_ = true;
      forcedInput_ = index;
      forcedEnd_ = resume_.epochEnd;
      dropFolds_ = resume_.epochDelivered;
    }
    break;
  }
  builder_.AddInput(BatchInput{0, index, std::string(name), InputIdentity::Of(head), resumed});
}

void Pipeline::OnInputsKnown() {
  if (resume_.inEpoch && !recordIdsAscend_ && resume_.epochInput >= resume_.inputs.size()) {
    Fail(kErrBookmarkInput, "the bookmark's coalescing epoch ends in an input it does not name");
    return;
  }
  for (size_t i = 0; i < resume_.inputs.size(); ++i) {
    const ResumeInput& r = resume_.inputs[i];
    if (resumeClaimed_[i] || (r.done && !(resume_.inEpoch && resume_.epochInput == i))) continue;
    Fail(kErrBookmarkInput,
         "input " + std::to_string(i + 1) + " of the bookmark (its first " + std::to_string(r.identity.headLength) +
             " bytes) is not among the inputs, and was not read to its end: inputs are found by "
             "their first bytes, so a renamed file is found, but a replaced or truncated one is not");
    return;
  }
}

void Pipeline::OnInputEnded(uint32_t index, uint64_t end) {
  Input& input = InputAt(index);
  if (input.skipUpTo > end) {
    Fail(kErrBookmarkInput, "the bookmark points past the end of input " + std::to_string(index + 1) + " (at " +
                                std::to_string(input.skipUpTo) + ", it ends at " + std::to_string(end) + ")");
    return;
  }
  input.done = true;
  input.progress = std::max(input.progress, end);
  Summarise(input.name, false);
  MarkProgress();
}

// Where nothing is held, how far each input stands goes with the batch (see Batch::progress).
void Pipeline::MarkProgress() {
  if (Holding()) return;
  std::vector<BatchProgress> progress = Progress();
  if (!progress.empty()) builder_.AddProgress(std::move(progress));
}

void Pipeline::Fail(const ErrorCode& code, std::string message) {
  OnIssue(Issue{&code, std::move(message)});
  stopped_ = true;
  Flush();
}

void Pipeline::Advance(const Position& at) {
  if (at.end != kNoOffset) {
    Input& input = InputAt(at.inputIndex);
    input.progress = std::max(input.progress, at.end);
  }
  lastAt_ = at;
}

bool Pipeline::Wants(uint32_t eventId) const {
  return selection_.Contains(eventId) || (policyChanges_ && eventId == kAuditPolicyChangedEventId) ||
         FindChangeEvent(eventId) != nullptr;
}

void Pipeline::OnRecord(const EventRecord& record, const Position& at) {
  if (AlreadyHandled(&record, at)) return;
  const bool policyChange =
      policyChanges_ && record.eventId == kAuditPolicyChangedEventId && RecognizePolicyChange(record, policyChange_);
  const bool ruleChange = !policyChange && FindChangeEvent(record.eventId) && RecognizeRuleChange(record, ruleChange_);
  if (policyChange || ruleChange) {
    // A change is delivered where it is read: once it is, its input stands past it, so a bookmark
    // taken in its listener does not deliver it again. Where blocks before it are held, only a log
    // without blocks (the firewall's) may stand past it.
    Advance(at);
    Handled(record, at);
    std::vector<BatchProgress> settled;
    if (!Holding())
      settled = Progress();
    else if (std::optional<BatchProgress> own = BlocklessLogAt(record, at))
      settled.push_back(*own);
    if (policyChange) {
      builder_.AddPolicyChange(BatchPolicyChange{0, record.recordId, policyChange_.timeMs,
                                                 std::string(policyChange_.subcategoryGuid), policyChange_.changes,
                                                 std::move(settled)});
    } else {
      correlator_.Note(ruleChange_);
      if (ruleChanges_) builder_.AddRuleChange(ruleChange_, std::move(settled));
    }
  } else {
    switch (Normalize(record, selection_, event_, issue_)) {
      case Normalized::Event:
        if (localAddresses_) localAddresses_->Decide(event_);
        Add(event_, at);
        break;
      case Normalized::Issue:
        OnIssue(Issue{issue_.code, std::move(issue_.message), std::string(at.input),
                      at.offset == kNoOffset ? -1 : static_cast<int64_t>(at.offset)});
        break;
      case Normalized::Skipped:
        break;
    }
    Advance(at);
    Handled(record, at);
  }
  if (forcedEpoch_ && at.inputIndex == forcedInput_ && PlaceOf(&record, at) == forcedEnd_) EndEpoch();
  if (Full()) Flush();
}

void Pipeline::OnEvent(const BlockEvent& event, const Position& at) {
  if (AlreadyHandled(event.record, at)) return;
  Add(event, at);
  Advance(at);
  if (event.record) Handled(*event.record, at);
  if (forcedEpoch_ && at.inputIndex == forcedInput_ && PlaceOf(event.record, at) == forcedEnd_) EndEpoch();
  if (Full()) Flush();
}

void Pipeline::Add(const BlockEvent& event, const Position& at) {
  if (!filter_.Matches(event)) return;
  const BlockEvent* e = &event;
  BlockEvent annotated;
  const ChangeNote* lastChange = correlator_.Find(event);
  if (enricher_ || lastChange) {
    annotated = event;
    annotated.lastChange = lastChange;
    if (enricher_) {
      enrichment_ = Enrichment{};
      enricher_->Enrich(event, enrichment_);
      annotated.enrichment = &enrichment_;
      // What the record could not tell (no FilterOrigin, or Unknown): the filter's provider can.
      if (enrichment_.otherProvider && annotated.decidedBy == DecidedBy::Unknown)
        annotated.decidedBy = DecidedBy::OtherProvider;
    }
    e = &annotated;
  }
  if (!coalescer_) return Emit(*e, at);
  const Clock::time_point now = Clock::now();
  if (!coalescer_->Add(*e, now)) {
    EndEpoch();
    coalescer_->Add(*e, now);
  }
}

void Pipeline::EndEpoch() {
  if (forcedEpoch_) forcedEpoch_ = false;
  const uint64_t dropped = dropFolds_;
  dropFolds_ = 0;
  if (!coalescer_ || coalescer_->empty()) return;
  std::vector<std::unique_ptr<HeldEvent>> folds = coalescer_->TakeAll();
  BatchEpoch epoch{++epochs_,          0,           folds.size(), std::min<uint64_t>(dropped, folds.size()),
                   lastAt_.inputIndex, lastAt_.end, Progress()};
  if (lastAt_.end == kNoOffset) {  // a live log: by record IDs, which only grow
    epoch.end = lastRecordId_;
    const EventRecord* first = folds.front()->event().record;
    epoch.start = first && first->recordId ? first->recordId - 1 : 0;
  }
  const uint64_t seq = epoch.seq, first = epoch.first;
  if (builder_.empty()) batchStarted_ = Clock::now();
  builder_.AddEpoch(std::move(epoch));
  emittingEpoch_ = true;
  for (uint64_t i = first; i < folds.size(); ++i) {
    EmitFold(*folds[i], seq, i + 1);
    if (Full()) Flush();
  }
  emittingEpoch_ = false;
}

// A replay's inputs, or a live source's logs (by Channel) that have a position; never both.
std::vector<BatchProgress> Pipeline::Progress() const {
  std::vector<BatchProgress> progress;
  for (uint32_t i = 0; i < inputs_.size(); ++i)
    progress.push_back(BatchProgress{i, inputs_[i].progress, inputs_[i].done});
  for (uint32_t c = 0; c < kChannelCount; ++c)
    if (handled_[c]) progress.push_back(BatchProgress{c, *handled_[c], false});
  return progress;
}

// A formatted watcher's batches carry the events' lines instead of slots (and no positions: the CLI
// prints them and takes no bookmark).
void Pipeline::Emit(const BlockEvent& event, const Position& at) {
  if (builder_.empty()) batchStarted_ = Clock::now();
  if (format_ != EventFormat::Objects)
    builder_.AddFormatted(format_, event, Fold{}, formatContext_);
  else
    builder_.Add(event, at);
}

void Pipeline::EmitFold(const HeldEvent& held, uint64_t epoch, uint64_t index) {
  if (format_ != EventFormat::Objects)
    builder_.AddFormatted(format_, held.event(), Fold{held.count, held.firstMs, held.lastMs}, formatContext_);
  else
    builder_.AddFold(held.event(), held.count, held.firstMs, held.lastMs, epoch, index);
}

void Pipeline::OnIssue(Issue issue) {
  IssueCount& count = issueCounts_[{issue.input, issue.code->name}];
  count.code = issue.code;
  // One bad input cannot drown the application: the first few of a kind in full, then counts.
  if (++count.seen > kFullIssuesPerKind && !issue.fatal && !issue.code->fatal) {
    if (++count.unreported >= kSummaryEvery) Summarise(issue.input, false);
    return;
  }
  if (builder_.empty()) batchStarted_ = Clock::now();
  builder_.AddIssue(std::move(issue));
  if (Full()) Flush();
}

// Reports the problems of `input` (every input, with `all`) that were only counted.
void Pipeline::Summarise(const std::string& input, bool all) {
  for (auto& [key, count] : issueCounts_) {
    if ((!all && key.first != input) || count.unreported == 0) continue;
    Issue summary{count.code, std::to_string(count.unreported) + " more " + key.second + " problems in this input",
                  key.first};
    summary.repeated = count.unreported;
    count.unreported = 0;
    if (builder_.empty()) batchStarted_ = Clock::now();
    builder_.AddIssue(std::move(summary));
  }
  if (Full()) Flush();
}

void Pipeline::OnGap(std::string message) { builder_.AddGap(std::move(message)); }

void Pipeline::OnProgress() {
  if (!builder_.empty() && Clock::now() - batchStarted_ >= kMaxBatchAge) Flush();
}

void Pipeline::OnIdle() {
  // The clock ends an epoch while the source waits; not while a resumed epoch is being rebuilt.
  if (coalescer_ && !forcedEpoch_) {
    std::optional<Clock::time_point> due = coalescer_->Deadline();
    if (due && *due <= Clock::now()) EndEpoch();
  }
  Flush();
}

std::optional<std::chrono::milliseconds> Pipeline::IdleTimeout() const {
  std::optional<Clock::time_point> due = coalescer_ && !forcedEpoch_ ? coalescer_->Deadline() : std::nullopt;
  if (!due) return std::nullopt;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*due - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

void Pipeline::Finish() {
  if (!stopped_) {
    EndEpoch();
    Summarise(std::string(), true);
    MarkProgress();  // the last word on how far each input was read, for the bookmark
  }
  Flush();
}

void Pipeline::Flush() {
  if (builder_.empty()) return;
  MarkProgress();
  queue_.Push(builder_.Take());
}

}  // namespace wfp
