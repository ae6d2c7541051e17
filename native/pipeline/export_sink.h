// The sink of `wfp-blocks export`: every record of any event ID, rendered as text one record per line,
// batched into the same bounded delivery queue as events (a batch's `text`, its `events` the number of
// records in it), so a slow consumer slows the reading. XML is the record's event XML (the input's own
// text made one line for XML inputs, EvtRender-style XML for .evtx files); JSON is one object per record:
// the System fields and every EventData/UserData value by name (an unnamed value by its position, a name
// that repeats with an array of its values). Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/event_source.h"
#include "pipeline/batch.h"
#include "pipeline/delivery_queue.h"

namespace wfp {

enum class ExportFormat : uint8_t { Xml, Json };

class ExportSink final : public RecordSink {
 public:
  ExportSink(ExportFormat format, uint32_t batchRecords, DeliveryQueue& queue);

  void OnRecord(const EventRecord& record, const Position& at) override;
  void OnEvent(const BlockEvent& event, const Position& at) override;
  void OnIssue(Issue issue) override;
  void OnGap(std::string) override {}
  void OnStartAfter(uint32_t, uint64_t) override {}
  void OnIdle() override { Flush(); }
  std::optional<std::chrono::milliseconds> IdleTimeout() const override { return std::nullopt; }
  bool Stopping() const override { return queue_.stopping(); }
  bool Wants(uint32_t) const override { return true; }
  bool WantsXml() const override { return format_ == ExportFormat::Xml; }
  // The input has ended: what is batched goes out.
  void Finish() { Flush(); }

  // The renderings, for the sink and its tests: one line each, with its line feed.
  static void AppendXmlLine(std::string_view xml, std::string& out);
  void AppendJsonLine(const EventRecord& record, std::string& out);

 private:
  void Flush();

  ExportFormat format_;
  uint32_t batchRecords_;
  DeliveryQueue& queue_;
  Batch batch_;
  std::unordered_map<std::string_view, size_t> names_;  // data names of the record being written
  std::vector<std::vector<size_t>> groups_;             // the values of each name, in order
  std::vector<size_t> order_;
  std::string line_;  // the record being written, before it joins the batch
};

}  // namespace wfp
