// The Windows Firewall's own log (pfirewall.log, written by the firewall service with no audit policy
// when logging is on for a profile): the W3C extended log format, directives (#Version, #Software,
// #Time Format, #Fields) and one line per dropped packet or permitted connection, fields separated by
// spaces, "-" for none. A RecordDecoder that hands each line to the sink as a BlockEvent with the
// Security log's event of the same kind: DROP a dropped packet (5152), ALLOW (and the old OPEN) a
// permitted connection (5156); SEND is outbound, RECEIVE inbound, so local and remote follow from the
// direction. The columns are taken from #Fields (the 17 of older Windows, or 18 with `pid`), every
// column is kept in `data` by its name. Times are local: converted with the offset the caller gives,
// or with this machine's time zone (the C library's, with its daylight-saving rules). Plain C++ with
// no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/block_event.h"
#include "model/event_record.h"
#include "model/event_source.h"

namespace wfp {

class FirewallLogDecoder final : public RecordDecoder {
 public:
  // `index`: the input's place among the source's inputs. `utcOffsetMinutes`: minutes east of UTC of the
  // machine that wrote the log; none: this machine's zone.
  FirewallLogDecoder(std::string input, uint32_t index, const InputOptions& options);

  void Feed(const char* data, size_t size, RecordSink& sink) override;
  void Finish(RecordSink& sink) override;
  uint64_t end() const override { return consumed_; }

  // Whether an input's first bytes are a firewall log: its directives, or a line of it.
  static bool Recognizes(std::string_view head);
  static constexpr size_t kHeadBytes = 128;

 private:
  void Line(std::string_view line, uint64_t offset, uint64_t end, RecordSink& sink);
  void Directive(const std::string& line);
  void Event(const std::vector<std::string_view>& columns, uint64_t offset, uint64_t end, RecordSink& sink);
  void Problem(RecordSink& sink, const ErrorCode& code, std::string message, uint64_t offset);
  // Milliseconds since the Unix epoch of a local date and time; false for text that is not one.
  bool ToUtcMs(std::string_view date, std::string_view time, double& ms);

  std::string input_;
  uint32_t index_;
  std::optional<int32_t> utcOffsetMinutes_;
  bool utc_ = false;                // "#Time Format: UTC"
  std::vector<std::string> names_;  // the columns, from #Fields
  struct Columns {
    int date = -1, time = -1, action = -1, protocol = -1, srcIp = -1, dstIp = -1, srcPort = -1, dstPort = -1,
        icmpType = -1, icmpCode = -1, info = -1, path = -1, pid = -1;
  } at_;
  std::string pending_;    // an incomplete last line
  uint64_t consumed_ = 0;  // input bytes before pending_
  bool first_ = true;      // a byte-order mark may start the input
  // The local-time offset of the last hour converted with this machine's zone.
  std::string cachedHour_;
  int64_t cachedOffsetSeconds_ = 0;
  EventRecord record_;
  std::vector<std::string_view> columns_;
};

}  // namespace wfp
