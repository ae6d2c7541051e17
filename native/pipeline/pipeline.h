// The sink every source feeds: normalises records (or takes events a source normalised itself),
// batches the events with the problems met on the way (in input order), and pushes the batches into
// the delivery queue. It is also the one place that decides which records were already delivered
// before (a resume, a resubscription), it recognises the change events and correlates blocks with
// them, and it keeps what it holds bounded: problems count toward a batch like events, and repeats of
// one problem in one input are summarised. A live source reads several logs (by Channel), each with
// record IDs of its own: what was handled is decided, and how far reading stands is told, per log.
// Plain C++ with no Node-API and no OS code.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enrich/enricher.h"
#include "enrich/local_addresses.h"
#include "model/bookmark.h"
#include "model/event_catalog.h"
#include "model/event_source.h"
#include "model/normalizer.h"
#include "model/policy_change.h"
#include "model/rule_change.h"
#include "pipeline/batch.h"
#include "pipeline/change_correlator.h"
#include "pipeline/coalescer.h"
#include "pipeline/delivery_queue.h"
#include "pipeline/resume_point.h"
#include "pipeline/event_filter.h"

namespace wfp {

struct PipelineOptions {
  EventSelection selection;
  bool policyChanges = false;  // also report audit policy changes (4719) met among the records
  // Also report the firewall rule, setting and WFP object changes met among the records. Blocks carry the
  // last change of their rule or filter either way.
  bool ruleChanges = false;
  size_t correlationCapacity = ChangeCorrelator::kDefaultCapacity;
  // Live sources: records of each log (by Channel, their Position::inputIndex) up to this ID are
  // skipped (resuming after a bookmark); 0 skips nothing.
  std::array<uint64_t, kChannelCount> afterRecordIds{};
  // The source's record IDs only grow (a live log): a record at or below one already seen is a repeat.
  bool recordIdsAscend = false;
  ResumePoint resume;     // replays
  double coalesceMs = 0;  // > 0 folds repeats (see Coalescer)
  size_t coalesceMaxHeld = 4096;
  EventFilter filter;                         // only matching events go on (before enrichment and coalescing)
  EventFormat format = EventFormat::Objects;  // Json, Ecs, Otel: batches carry the events' lines
  FormatContext formatContext;
  std::unique_ptr<Enricher> enricher;  // adds machine state to each event (live sources on Windows); may be null
  // Decides which endpoint of a record is this host's from its addresses; may be null (the direction rule alone).
  std::unique_ptr<LocalAddresses> localAddresses;
  uint32_t batchSize = 1024;
};

class Pipeline final : public RecordSink {
 public:
  // Problems of one code in one input reported in full; the rest are counted and summarised.
  static constexpr uint64_t kFullIssuesPerKind = 10;
  // A summary of the counted ones goes out at least this often during a flood, and at the input's end.
  static constexpr uint64_t kSummaryEvery = 100000;
  // A batch waits at most this long for more before it goes out, while the source reads on.
  static constexpr std::chrono::milliseconds kMaxBatchAge{50};

  Pipeline(PipelineOptions options, DeliveryQueue& queue);

  void OnRecord(const EventRecord& record, const Position& at) override;
  void OnEvent(const BlockEvent& event, const Position& at) override;
  void OnIssue(Issue issue) override;
  void OnGap(std::string message) override;
  void OnStartAfter(uint32_t input, uint64_t recordId) override;
  void OnInputOpened(uint32_t index, std::string_view name, std::string_view head) override;
  void OnInputsKnown() override;
  void OnInputEnded(uint32_t index, uint64_t end) override;
  void OnProgress() override;
  void OnIdle() override;
  std::optional<std::chrono::milliseconds> IdleTimeout() const override;
  bool Stopping() const override { return queue_.stopping() || stopped_; }
  bool Wants(uint32_t eventId) const override;
  // The input has ended: everything held goes out.
  void Finish();

 private:
  struct Input {
    uint64_t skipUpTo = 0;  // records ending at or before this were delivered by an earlier watcher
    uint64_t progress = 0;  // the end of the last record handled
    bool done = false;
    std::string name;
  };
  // The one place that decides whether a record was already handed on (resume, resubscription).
  bool AlreadyHandled(const EventRecord* record, const Position& at);
  // A live log's record was handled: its log stands there now.
  void Handled(const EventRecord& record, const Position& at);
  // A live log without blocks (the firewall's): where it stands once `record` is delivered, held
  // blocks of the Security log or not. Nothing for a replay or the Security log.
  std::optional<BatchProgress> BlocklessLogAt(const EventRecord& record, const Position& at) const;
  void Add(const BlockEvent& event, const Position& at);
  void EndEpoch();
  void Advance(const Position& at);
  Input& InputAt(uint32_t index);
  void Summarise(const std::string& input, bool all);
  void Flush();
  std::vector<BatchProgress> Progress() const;
  void MarkProgress();
  // Blocks read before now are held (an open coalescing epoch, or one being emitted): no input's
  // position may be told beyond them.
  bool Holding() const { return emittingEpoch_ || (coalescer_ && !coalescer_->empty()); }
  bool Full() const { return builder_.weight() >= batchSize_ || builder_.textFull(); }
  void Fail(const ErrorCode& code, std::string message);
  // To the batch: an event (read at `at`), or fold `index` of epoch `epoch`, as slots or as a line.
  void Emit(const BlockEvent& event, const Position& at);
  void EmitFold(const HeldEvent& held, uint64_t epoch, uint64_t index);

  EventSelection selection_;
  EventFilter filter_;
  EventFormat format_;
  FormatContext formatContext_;
  std::unique_ptr<Enricher> enricher_;
  std::unique_ptr<LocalAddresses> localAddresses_;
  Enrichment enrichment_;
  bool policyChanges_;
  bool ruleChanges_;
  ChangeCorrelator correlator_;
  std::array<uint64_t, kChannelCount> floors_;  // live sources: records of each log at or below these are skipped
  ChannelRecordIds handled_;                    // live sources: the last record handled in each log
  bool recordIdsAscend_;
  ResumePoint resume_;
  std::vector<bool> resumeClaimed_;  // which of resume_.inputs matched an input
  std::vector<Input> inputs_;
  bool stopped_ = false;  // a fatal problem of the pipeline's own (a bookmark that does not fit)
  std::unique_ptr<Coalescer> coalescer_;
  uint64_t epochs_ = 0;       // epochs ended so far
  bool forcedEpoch_ = false;  // resuming inside an epoch: it ends at resume_'s record
  uint32_t forcedInput_ = 0;
  uint64_t forcedEnd_ = 0;
  uint64_t dropFolds_ = 0;      // folds of the resumed epoch that were delivered before
  bool emittingEpoch_ = false;  // batches flushed meanwhile hold part of an epoch: no progress yet
  Position lastAt_;             // the last record's position, for an epoch's end
  uint64_t lastRecordId_ = 0;   // a live log: the last Security record's ID (epochs end by it; the blocks are there)
  uint32_t batchSize_;
  DeliveryQueue& queue_;
  BatchBuilder builder_;
  std::chrono::steady_clock::time_point batchStarted_{};
  struct IssueCount {
    uint64_t seen = 0;
    uint64_t unreported = 0;
    const ErrorCode* code = nullptr;
  };
  std::map<std::pair<std::string, std::string>, IssueCount> issueCounts_;  // (input, code)
  BlockEvent event_;
  NormalizeIssue issue_;
  PolicyChange policyChange_;
  RuleChange ruleChange_;
};

}  // namespace wfp
