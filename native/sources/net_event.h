// WFP net events (what FwpmNetEventSubscribe* delivers and FwpmNetEventEnum* lists) as plain facts,
// and everything done with them after the Windows adapter (netevents_source.cc) has copied them out
// of the FWPM_NET_EVENT<n> structures: the mapping to a BlockEvent with the kind and event ID the
// Security log gives the same block, this source's bookmarks, where a resume starts in the buffer,
// and the bounded hand-off from the thread WFP calls back on to the watcher's thread. Plain C++ with
// no Node-API and no OS code: unit-tested on Linux (test/native/net_event_test.cc) and measured by
// bench/bench_reader.cc.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/block_event.h"
#include "model/event_record.h"

namespace wfp {

// The FWPM_NET_EVENT_TYPE values this source reads (fwpmtypes.h).
enum class NetEventType : uint32_t {
  ClassifyDrop = 3,
  ClassifyAllow = 6,
  CapabilityDrop = 7,
  CapabilityAllow = 8,
  ClassifyDropMac = 9,
};

// FWPM_NET_EVENT_FLAG_*: which header fields an event sets.
namespace net_event_flag {
inline constexpr uint32_t kIpProtocol = 0x1, kLocalAddr = 0x2, kRemoteAddr = 0x4, kLocalPort = 0x8, kRemotePort = 0x10,
                          kAppId = 0x20, kUserId = 0x40, kScopeId = 0x80, kIpVersion = 0x100, kReauthReason = 0x200,
                          kPackageId = 0x400;
}  // namespace net_event_flag

// FWPM_NET_EVENT_KEYWORD_*: what FWPM_ENGINE_NET_EVENT_MATCH_ANY_KEYWORDS adds to what is collected.
namespace net_event_keyword {
inline constexpr uint32_t kInboundMulticast = 1, kInboundBroadcast = 2, kCapabilityDrop = 4, kCapabilityAllow = 8,
                          kClassifyAllow = 16, kPortScanningDrop = 32;
}  // namespace net_event_keyword

// msFwpDirection: FWP_DIRECTION_MAP_INBOUND (0x3900) and the three after it are the same numbers as the
// Security log's direction tokens (%%14592 ...); some builds give FWP_DIRECTION_OUTBOUND (0) or
// FWP_DIRECTION_INBOUND (1) instead.
inline constexpr uint32_t kDirectionMapInbound = 0x3900;

// One net event, copied out of whichever FWPM_NET_EVENT version the running Windows delivered.
struct NetEventFacts {
  NetEventType type = NetEventType::ClassifyDrop;
  uint8_t structVersion = 0;  // the n of FWPM_NET_EVENT<n>
  uint64_t timeStamp = 0;     // FILETIME: 100 ns since 1601-01-01 UTC
  uint32_t flags = 0;         // net_event_flag bits
  uint8_t ipVersion = 0;      // 4, 6, or 0 when not IP (MAC frames)
  uint8_t ipProtocol = 0;
  std::array<uint8_t, 16> localAddress{};  // network byte order; IPv4 in the first four bytes
  std::array<uint8_t, 16> remoteAddress{};
  uint16_t localPort = 0;   // ICMP: the type
  uint16_t remotePort = 0;  // ICMP: the code
  uint32_t scopeId = 0;
  std::u16string appId;          // an NT device path, without its terminating NUL
  std::vector<uint8_t> userSid;  // binary SID, empty when absent
  std::vector<uint8_t> packageSid;
  // From the type-specific part.
  uint64_t filterId = 0;
  std::optional<uint16_t> layerId;  // run-time layer ID; none for capability events
  bool hasClassifyDetails = false;  // the event has reauthReason ... isLoopback (all but FWPM_NET_EVENT0)
  uint32_t reauthReason = 0;
  uint32_t originalProfile = 0;
  uint32_t currentProfile = 0;
  uint32_t direction = 0;  // msFwpDirection
  bool loopback = false;
  uint32_t networkCapability = 0;  // capability events: FWPM_APPC_NETWORK_CAPABILITY_TYPE
  // MAC frames (FWPM_NET_EVENT_CLASSIFY_DROP_MAC0).
  std::array<uint8_t, 6> localMac{};
  std::array<uint8_t, 6> remoteMac{};
  uint16_t etherType = 0;
  uint16_t vlanTag = 0;
  uint32_t mediaType = 0;
  uint32_t interfaceType = 0;
  uint64_t interfaceLuid = 0;
};

// Milliseconds since the Unix epoch of a FILETIME, to the whole millisecond (as SystemTime is read).
double FileTimeToUnixMs(uint64_t fileTime);

// "S-1-5-18" for a binary SID; empty for bytes that are not one.
std::string SidToString(const std::vector<uint8_t>& sid);
// IPv4 dotted, IPv6 in the compressed form Windows writes (RFC 5952, "::ffff:a.b.c.d" for mapped).
void FormatAddress(uint8_t ipVersion, const std::array<uint8_t, 16>& address, std::string& out);
// UTF-16 to UTF-8, an unpaired surrogate as U+FFFD.
void Utf16ToUtf8(std::u16string_view in, std::string& out);

// The kind of block a run-time layer ID stands for, and the Security log's %% token of its name; none
// for the IDs this table does not know (the Vista-era layers 0-55 of FWPS_BUILTIN_LAYERS, whose IDs
// the fixture records confirm).
struct NetEventLayer {
  Kind kind;
  uint32_t nameToken;  // LayerName token (14596 IP Packet, ...): the normaliser's table gives the name
};
std::optional<NetEventLayer> LayerForRuntimeId(uint16_t layerId);

// A content hash of the facts, for bookmarks and for recognising an event seen twice.
uint32_t NetEventHash(const NetEventFacts& facts);

// Maps facts to a BlockEvent with the field names and values the Security log's event of the same
// kind has (eventId 5157 for a blocked connection, 5152 for a dropped packet, ...), so that every
// output treats both alike. The event, its record and its details point into the mapper until the
// next call.
class NetEventMapper {
 public:
  explicit NetEventMapper(std::string computer);
  // False for an event with no Security-log equivalent (a permitted packet or MAC frame).
  bool Map(const NetEventFacts& facts, BlockEvent& out);

 private:
  void Add(std::string_view name, std::string& value);

  std::string computer_;
  EventRecord record_;
  NetEventDetails details_;
  std::string application_, local_, remote_, localPort_, remotePort_, direction_, protocol_, filterId_, layerName_,
      layerId_, type_, userSid_, packageSid_, loopback_, reauth_, originalProfile_, currentProfile_, scopeId_,
      capability_, localMac_, remoteMac_, etherType_, vlanTag_, mediaType_, interfaceType_, interfaceLuid_;
};

// Where a watcher of this source stopped: the time of the last event it handed on, how many events
// with exactly that time it had handed on (timestamps repeat within a burst), and that event's hash.
struct NetEventBookmark {
  uint64_t timeStamp = 0;
  uint32_t ordinal = 0;  // 1 for the first event with this time
  uint32_t hash = 0;

  std::string Format() const;  // "wfp-netevents/1;t=<FILETIME>;n=<ordinal>;h=<hash hex>"
  static std::optional<NetEventBookmark> Parse(std::string_view text);
  bool operator==(const NetEventBookmark& o) const {
    return timeStamp == o.timeStamp && ordinal == o.ordinal && hash == o.hash;
  }
};

// The position after the last event handed on, and where a listing of the buffer resumes from it.
class NetEventCursor {
 public:
  // `event` was handed on: returns the bookmark after it. An event older than the last one (callbacks
  // on different threads can overtake each other) leaves the bookmark where it is.
  NetEventBookmark Advance(uint64_t timeStamp, uint32_t hash);
  void Restore(NetEventBookmark bookmark) { last_ = bookmark; }
  const std::optional<NetEventBookmark>& last() const { return last_; }

  struct Resume {
    size_t first;  // the index of the first event to hand on
    bool found;    // false: the bookmarked event is no longer in the buffer (a gap)
  };
  // For a listing in time order (timestamp and hash of each event): after the bookmarked event if it
  // is still there; otherwise from the first event not older than the bookmark.
  static Resume Locate(const NetEventBookmark& bookmark, const std::vector<std::pair<uint64_t, uint32_t>>& listing);

 private:
  std::optional<NetEventBookmark> last_;
};

// The events both a listing of the buffer and the subscription (started before it) delivered: those of
// the listing near its end, so that the subscription's copy of each is recognised and skipped once.
class NetEventOverlap {
 public:
  // `subscribedAt`: when the subscription started; events older than a margin before it cannot repeat.
  void Remember(uint64_t subscribedAt, const std::vector<std::pair<uint64_t, uint32_t>>& delivered);
  // A subscribed event: true if the listing already handed it on.
  bool Seen(uint64_t timeStamp, uint32_t hash);

 private:
  std::vector<std::pair<uint64_t, uint32_t>> pending_;
  uint64_t newest_ = 0;
};

// The bounded hand-off from the thread WFP calls back on to the watcher's thread. The callback never
// waits for the watcher: when `capacity` events are waiting it drops the event and counts it (the
// watcher reports the count), so a slow consumer costs events only past a bound it chose.
class NetEventHandoff {
 public:
  explicit NetEventHandoff(size_t capacity) : capacity_(capacity) {}
  // Any thread. Returns false when the event was dropped.
  bool Push(NetEventFacts&& facts);
  // The watcher's thread: moves out everything waiting, and how many were dropped since the last take.
  uint64_t TakeAll(std::vector<NetEventFacts>& out);
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::deque<NetEventFacts> waiting_;
  uint64_t dropped_ = 0;
};

}  // namespace wfp
