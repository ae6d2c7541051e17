// The normalised form of one WFP audit record (the BlockEvent contract of the README), before it is
// handed to JavaScript. Strings are views into the record they came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "event_record.h"

namespace wfp {

enum class Kind : uint8_t { Connection, Packet, Listen, Bind, Accept, Mac };
enum class Action : uint8_t { Block, Allow };
enum class Direction : uint8_t { None, Inbound, Outbound, Forward, Bidirectional };
// Which logged endpoint is the local or the remote side of the traffic.
enum class Side : uint8_t { None, Source, Destination };

struct Endpoint {
  bool present = false;
  std::string_view address;
  std::optional<uint32_t> port;
};

// What the live sources add on Windows, best-effort: each field is absent when its lookup failed.
struct Enrichment {
  std::optional<std::string> applicationPath;  // DOS form of Application
  std::optional<std::string> filterName;       // the WFP filter behind FilterRTID, looked up at event time
  std::optional<std::string> filterDescription;
  std::optional<std::string> filterProvider;   // the name of the filter's provider (which product)
  std::optional<std::string> ruleName;         // the firewall rule FilterOrigin names
  std::optional<std::string> processName;
  std::optional<std::string> services;         // services hosted by the process, comma-separated
};

struct BlockEvent {
  const EventRecord* record = nullptr;  // System fields and every EventData field
  double timeMs = 0;                    // TimeCreated/@SystemTime, milliseconds since the Unix epoch
  Kind kind = Kind::Connection;
  Action action = Action::Block;
  Direction direction = Direction::None;
  std::optional<uint32_t> protocol;
  std::string_view protocolName;  // empty when the number has no IANA keyword here
  std::optional<uint64_t> pid;
  std::optional<std::string_view> application;
  Endpoint source;
  Endpoint destination;
  Side local = Side::None;
  Side remote = Side::None;
  std::optional<uint64_t> filterId;
  std::optional<std::string_view> filterOrigin;
  std::optional<uint64_t> layerId;
  std::optional<std::string_view> layerName;  // decoded %% token, or the text as logged
  std::optional<uint32_t> interfaceIndex;
  const Enrichment* enrichment = nullptr;
};

}  // namespace wfp
