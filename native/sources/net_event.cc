#include "sources/net_event.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "model/event_catalog.h"
#include "model/normalizer.h"

namespace wfp {
namespace {

using sv = std::string_view;

constexpr uint64_t kFileTimeUnixEpoch = 116444736000000000ull;  // 1970-01-01 in 100 ns since 1601
constexpr uint64_t kOverlapMargin = 10ull * 10000000ull;        // 10 s in FILETIME units

Direction DirectionOf(uint32_t msFwpDirection) {
  switch (msFwpDirection) {
    case kDirectionMapInbound:
    case 1:  // FWP_DIRECTION_INBOUND
      return Direction::Inbound;
    case kDirectionMapInbound + 1:
    case 0:  // FWP_DIRECTION_OUTBOUND
      return Direction::Outbound;
    case kDirectionMapInbound + 2:
      return Direction::Forward;
    case kDirectionMapInbound + 3:
      return Direction::Bidirectional;
    default:
      return Direction::None;
  }
}

sv TypeName(NetEventType type) {
  switch (type) {
    case NetEventType::ClassifyDrop:
      return "classifyDrop";
    case NetEventType::ClassifyAllow:
      return "classifyAllow";
    case NetEventType::CapabilityDrop:
      return "capabilityDrop";
    case NetEventType::CapabilityAllow:
      return "capabilityAllow";
    case NetEventType::ClassifyDropMac:
      return "classifyDropMac";
  }
  return "";
}

void FormatMac(const std::array<uint8_t, 6>& mac, std::string& out) {
  char text[18];
  std::snprintf(text, sizeof text, "%02X-%02X-%02X-%02X-%02X-%02X", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  out.assign(text);
}

class Fnv {
 public:
  template <typename T>
  void Add(const T& value) {
    Bytes(reinterpret_cast<const uint8_t*>(&value), sizeof value);
  }
  void Bytes(const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) hash_ = (hash_ ^ p[i]) * 16777619u;
  }
  uint32_t value() const { return hash_; }

 private:
  uint32_t hash_ = 2166136261u;
};

bool ParseDecimal(sv text, uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  out = v;
  return true;
}

}  // namespace

double FileTimeToUnixMs(uint64_t fileTime) {
  return static_cast<double>(static_cast<int64_t>(fileTime / 10000) - static_cast<int64_t>(kFileTimeUnixEpoch / 10000));
}

std::string SidToString(const std::vector<uint8_t>& sid) {
  if (sid.size() < 8 || sid[0] != 1 || sid.size() != 8 + 4u * sid[1]) return std::string();
  uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | sid[i];
  char part[32];
  std::string out = "S-1-";
  // ConvertSidToStringSid writes an authority of 2^32 or more in hex.
  if (authority >> 32)
    std::snprintf(part, sizeof part, "0x%012" PRIX64, authority);
  else
    std::snprintf(part, sizeof part, "%" PRIu64, authority);
  out += part;
  for (size_t i = 0; i < sid[1]; ++i) {
    const uint8_t* p = sid.data() + 8 + 4 * i;
    const uint32_t sub = p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
    std::snprintf(part, sizeof part, "-%" PRIu32, sub);
    out += part;
  }
  return out;
}

void FormatAddress(uint8_t ipVersion, const std::array<uint8_t, 16>& a, std::string& out) {
  char text[64];
  if (ipVersion == 4) {
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    out.assign(text);
    return;
  }
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  const bool mapped = std::all_of(groups, groups + 5, [](uint16_t g) { return g == 0; }) && groups[5] == 0xffff;
  if (mapped) {
    std::snprintf(text, sizeof text, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    out.assign(text);
    return;
  }
  // The longest run of two or more zero groups (the first of equal runs) becomes "::".
  int bestStart = -1, bestLength = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  out.clear();
  for (int i = 0; i < 8; ++i) {
    if (i == bestStart) {
      out += "::";
      i += bestLength - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(text, sizeof text, "%x", groups[i]);
    out += text;
  }
}

void Utf16ToUtf8(std::u16string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    uint32_t c = in[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < in.size() && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (in[++i] - 0xDC00);
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | c >> 6));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | c >> 12));
      out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | c >> 18));
      out.push_back(static_cast<char>(0x80 | (c >> 12 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

std::optional<NetEventLayer> LayerForRuntimeId(uint16_t id) {
  // FWPS_BUILTIN_LAYERS: each layer in v4, v4 discard, v6, v6 discard order (the IP packet and
  // transport layers twice: inbound, then outbound).
  struct Range {
    uint16_t first, last;
    Kind kind;
    uint32_t token;
  };
  static constexpr Range kRanges[] = {
      {0, 7, Kind::Packet, 14596},        // INBOUND/OUTBOUND_IPPACKET: IP Packet
      {8, 11, Kind::Packet, 14598},       // IPFORWARD: Forward
      {12, 19, Kind::Packet, 14597},      // INBOUND/OUTBOUND_TRANSPORT: Transport
      {20, 23, Kind::Packet, 14599},      // STREAM: Stream
      {24, 27, Kind::Packet, 14600},      // DATAGRAM_DATA: Datagram Data
      {28, 35, Kind::Packet, 14601},      // INBOUND/OUTBOUND_ICMP_ERROR: ICMP Error
      {36, 39, Kind::Bind, 14608},        // ALE_RESOURCE_ASSIGNMENT: Resource Assignment
      {40, 43, Kind::Listen, 14609},      // ALE_AUTH_LISTEN: Listen
      {44, 47, Kind::Connection, 14610},  // ALE_AUTH_RECV_ACCEPT: Receive/Accept
      {48, 51, Kind::Connection, 14611},  // ALE_AUTH_CONNECT: Connect
      {52, 55, Kind::Connection, 14612},  // ALE_FLOW_ESTABLISHED: Flow Established
  };
  for (const Range& r : kRanges)
    if (id >= r.first && id <= r.last) return NetEventLayer{r.kind, r.token};
  return std::nullopt;
}

uint32_t NetEventHash(const NetEventFacts& f) {
  Fnv h;
  h.Add(f.type);
  h.Add(f.timeStamp);
  h.Add(f.flags);
  h.Add(f.ipVersion);
  h.Add(f.ipProtocol);
  h.Add(f.localAddress);
  h.Add(f.remoteAddress);
  h.Add(f.localPort);
  h.Add(f.remotePort);
  h.Add(f.scopeId);
  h.Bytes(reinterpret_cast<const uint8_t*>(f.appId.data()), f.appId.size() * sizeof(char16_t));
  h.Bytes(f.userSid.data(), f.userSid.size());
  h.Bytes(f.packageSid.data(), f.packageSid.size());
  h.Add(f.filterId);
  h.Add(f.layerId.value_or(UINT16_MAX));
  h.Add(f.direction);
  h.Add(f.loopback);
  h.Add(f.reauthReason);
  h.Add(f.originalProfile);
  h.Add(f.currentProfile);
  h.Add(f.networkCapability);
  h.Add(f.localMac);
  h.Add(f.remoteMac);
  h.Add(f.etherType);
  h.Add(f.vlanTag);
  return h.value();
}

NetEventMapper::NetEventMapper(std::string computer) : computer_(std::move(computer)) {}

void NetEventMapper::Add(sv name, std::string& value) { record_.data.push_back(DataField{name, value}); }

bool NetEventMapper::Map(const NetEventFacts& f, BlockEvent& out) {
  namespace flag = net_event_flag;
  const bool allowed = f.type == NetEventType::ClassifyAllow || f.type == NetEventType::CapabilityAllow;
  const std::optional<NetEventLayer> layer = f.layerId ? LayerForRuntimeId(*f.layerId) : std::nullopt;
  Kind kind = Kind::Packet;
  if (f.type == NetEventType::ClassifyDropMac)
    kind = Kind::Mac;
  else if (f.type == NetEventType::CapabilityDrop || f.type == NetEventType::CapabilityAllow)
    kind = Kind::Connection;
  else if (layer)
    kind = layer->kind;
  const EventInfo* info = TrafficEventFor(kind, allowed ? Action::Allow : Action::Block);
  if (!info) return false;

  record_.Clear();
  record_.eventId = info->id;
  record_.hasEventId = true;
  record_.version = f.structVersion;
  record_.computer = computer_;

  out = BlockEvent{};
  out.record = &record_;
  out.timeMs = FileTimeToUnixMs(f.timeStamp);
  out.kind = kind;
  out.action = info->action;
  // Listen and bind events have no direction in the Security log either.
  out.direction =
      f.hasClassifyDetails && kind != Kind::Listen && kind != Kind::Bind ? DirectionOf(f.direction) : Direction::None;

  // The endpoints are the host's and the peer's; Source and Dest are derived as the Security log
  // writes them (the sender of the first packet first).
  const bool ip = f.ipVersion == 4 || f.ipVersion == 6;
  Endpoint local, remote;
  if (ip && (f.flags & flag::kLocalAddr)) {
    FormatAddress(f.ipVersion, f.localAddress, local_);
    local.present = true;
    local.address = local_;
  } else if (kind == Kind::Mac) {
    FormatMac(f.localMac, local_);
    local.present = true;
    local.address = local_;
  }
  if (ip && (f.flags & flag::kRemoteAddr)) {
    FormatAddress(f.ipVersion, f.remoteAddress, remote_);
    remote.present = true;
    remote.address = remote_;
  } else if (kind == Kind::Mac) {
    FormatMac(f.remoteMac, remote_);
    remote.present = true;
    remote.address = remote_;
  }
  if (local.present && (f.flags & flag::kLocalPort)) local.port = f.localPort;
  if (remote.present && (f.flags & flag::kRemotePort)) remote.port = f.remotePort;
  if (kind == Kind::Listen || kind == Kind::Bind) remote = Endpoint{};  // as 5154/5155/5158/5159: the local pair only
  const bool inbound = out.direction == Direction::Inbound;
  out.source = inbound ? remote : local;
  out.destination = inbound ? local : remote;
  out.local = local.present ? (inbound ? Side::Destination : Side::Source) : Side::None;
  out.remote = remote.present ? (inbound ? Side::Source : Side::Destination) : Side::None;

  if (f.flags & flag::kIpProtocol) {
    out.protocol = f.ipProtocol;
    out.protocolName = ProtocolName(f.ipProtocol);
  }
  if ((f.flags & flag::kAppId) && !f.appId.empty()) {
    Utf16ToUtf8(f.appId, application_);
    out.application = application_;
  }
  out.filterId = f.filterId;
  if (f.layerId) out.layerId = *f.layerId;
  if (layer) {
    layerName_ = "%%" + std::to_string(layer->nameToken);
    out.layerName = LayerNameForToken(layerName_);
  }

  details_ = NetEventDetails{};
  if (f.flags & flag::kUserId) {
    userSid_ = SidToString(f.userSid);
    if (!userSid_.empty()) details_.userSid = userSid_;
  }
  if (f.flags & flag::kPackageId) {
    packageSid_ = SidToString(f.packageSid);
    if (!packageSid_.empty() && packageSid_ != "S-1-0-0") details_.packageSid = packageSid_;
  }
  const bool capability = f.type == NetEventType::CapabilityDrop || f.type == NetEventType::CapabilityAllow;
  if (f.hasClassifyDetails || capability) details_.loopback = f.loopback;
  if (f.hasClassifyDetails && !capability) {
    if (f.flags & flag::kReauthReason) details_.reauthReason = f.reauthReason;
    details_.originalProfile = f.originalProfile;
    details_.currentProfile = f.currentProfile;
  }
  out.netEvent = &details_;

  // EventData: the fields the Security log's event of this kind has, by its names and in its forms,
  // then what only the net event tells.
  if (out.application) Add("Application", application_);
  if (out.direction != Direction::None) {
    direction_ = "%%" + std::to_string(kDirectionMapInbound + static_cast<uint32_t>(out.direction) - 1);
    Add("Direction", direction_);
  }
  const bool sourceIsLocal = !inbound;
  std::string& sourcePort = sourceIsLocal ? localPort_ : remotePort_;
  std::string& destPort = sourceIsLocal ? remotePort_ : localPort_;
  if (out.source.present) {
    Add("SourceAddress", sourceIsLocal ? local_ : remote_);
    if (out.source.port) {
      sourcePort = std::to_string(*out.source.port);
      Add("SourcePort", sourcePort);
    }
  }
  if (out.destination.present) {
    Add(kind == Kind::Mac ? "DestinationAddress" : "DestAddress", sourceIsLocal ? remote_ : local_);
    if (out.destination.port) {
      destPort = std::to_string(*out.destination.port);
      Add("DestPort", destPort);
    }
  }
  if (out.protocol) {
    protocol_ = std::to_string(*out.protocol);
    Add("Protocol", protocol_);
  }
  filterId_ = std::to_string(f.filterId);
  Add("FilterRTID", filterId_);
  if (layer) Add("LayerName", layerName_);
  if (out.layerId) {
    layerId_ = std::to_string(*out.layerId);
    Add("LayerRTID", layerId_);
  }
  type_ = TypeName(f.type);
  Add("NetEventType", type_);
  if (details_.userSid) Add("UserSid", userSid_);
  if (details_.packageSid) Add("PackageSid", packageSid_);
  if (details_.loopback) {
    loopback_ = *details_.loopback ? "true" : "false";
    Add("IsLoopback", loopback_);
  }
  if (details_.reauthReason) {
    reauth_ = std::to_string(*details_.reauthReason);
    Add("ReauthReason", reauth_);
  }
  if (details_.originalProfile) {
    originalProfile_ = std::to_string(*details_.originalProfile);
    currentProfile_ = std::to_string(*details_.currentProfile);
    Add("OriginalProfile", originalProfile_);
    Add("CurrentProfile", currentProfile_);
  }
  if (f.flags & flag::kScopeId) {
    scopeId_ = std::to_string(f.scopeId);
    Add("ScopeId", scopeId_);
  }
  if (capability) {
    capability_ = std::to_string(f.networkCapability);
    Add("NetworkCapability", capability_);
  }
  if (kind == Kind::Mac) {
    etherType_ = std::to_string(f.etherType);
    vlanTag_ = std::to_string(f.vlanTag);
    mediaType_ = std::to_string(f.mediaType);
    interfaceType_ = std::to_string(f.interfaceType);
    interfaceLuid_ = std::to_string(f.interfaceLuid);
    Add("EtherType", etherType_);
    Add("VlanTag", vlanTag_);
    Add("MediaType", mediaType_);
    Add("InterfaceType", interfaceType_);
    Add("InterfaceLuid", interfaceLuid_);
  }
  return true;
}

std::string NetEventBookmark::Format() const {
  char text[96];
  std::snprintf(text, sizeof text, "wfp-netevents/1;t=%" PRIu64 ";n=%" PRIu32 ";h=%08" PRIx32, timeStamp, ordinal,
                hash);
  return text;
}

std::optional<NetEventBookmark> NetEventBookmark::Parse(sv text) {
  constexpr sv kPrefix = "wfp-netevents/1;t=";
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  const size_t n = text.find(";n="), h = text.find(";h=");
  if (n == sv::npos || h == sv::npos || h < n) return std::nullopt;
  NetEventBookmark b;
  uint64_t ordinal = 0;
  if (!ParseDecimal(text.substr(0, n), b.timeStamp) || !ParseDecimal(text.substr(n + 3, h - n - 3), ordinal) ||
      ordinal == 0 || ordinal > UINT32_MAX)
    return std::nullopt;
  b.ordinal = static_cast<uint32_t>(ordinal);
  const sv hex = text.substr(h + 3);
  if (hex.size() != 8) return std::nullopt;
  for (char c : hex) {
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    b.hash = b.hash << 4 | static_cast<uint32_t>(digit);
  }
  return b;
}

NetEventBookmark NetEventCursor::Advance(uint64_t timeStamp, uint32_t hash) {
  if (!last_ || timeStamp > last_->timeStamp)
    last_ = NetEventBookmark{timeStamp, 1, hash};
  else if (timeStamp == last_->timeStamp)
    last_ = NetEventBookmark{timeStamp, last_->ordinal + 1, hash};
  return *last_;
}

NetEventCursor::Resume NetEventCursor::Locate(const NetEventBookmark& b,
                                              const std::vector<std::pair<uint64_t, uint32_t>>& listing) {
  size_t first = 0;
  while (first < listing.size() && listing[first].first < b.timeStamp) ++first;
  const size_t at = first + b.ordinal - 1;
  if (at < listing.size() && listing[at].first == b.timeStamp && listing[at].second == b.hash) return {at + 1, true};
  return {first, false};
}

void NetEventOverlap::Remember(uint64_t subscribedAt, const std::vector<std::pair<uint64_t, uint32_t>>& delivered) {
  pending_.clear();
  newest_ = 0;
  for (const auto& e : delivered) {
    if (e.first + kOverlapMargin >= subscribedAt) pending_.push_back(e);
    newest_ = std::max(newest_, e.first);
  }
}

bool NetEventOverlap::Seen(uint64_t timeStamp, uint32_t hash) {
  if (pending_.empty()) return false;
  if (timeStamp > newest_ + kOverlapMargin) {
    pending_.clear();
    return false;
  }
  auto it = std::find(pending_.begin(), pending_.end(), std::make_pair(timeStamp, hash));
  if (it == pending_.end()) return false;
  pending_.erase(it);
  return true;
}

bool NetEventHandoff::Push(NetEventFacts&& facts) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (waiting_.size() >= capacity_) {
    ++dropped_;
    return false;
  }
  waiting_.push_back(std::move(facts));
  return true;
}

uint64_t NetEventHandoff::TakeAll(std::vector<NetEventFacts>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (NetEventFacts& f : waiting_) out.push_back(std::move(f));
  waiting_.clear();
  const uint64_t dropped = dropped_;
  dropped_ = 0;
  return dropped;
}

}  // namespace wfp
