// The `filter` option: which normalised events a watcher hands on, decided on its thread before
// anything is built for JavaScript. Each criterion is a list of alternatives (any may match); an
// event must match every criterion that is set. Plain C++ with no Node-API and no OS code.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/block_event.h"
#include "util/ip_address.h"

namespace wfp {

// IPv4 is held as ::ffff:a.b.c.d (util/ip_address.h), so that an IPv4-mapped address logged by an
// IPv6 socket matches an IPv4 block.
struct AddressBlock {
  IpAddress base;
  uint32_t prefix = 128;  // in bits of the 16-byte form
  bool ipv4Only = false;  // an IPv4 block, or an IPv6 one inside ::ffff:0:0/96
};

// "10.0.0.0/8", "fe80::/10", or one address; nothing for anything else.
std::optional<AddressBlock> ParseAddressBlock(std::string_view text);

// Case-insensitive (ASCII) glob match of the whole text: '*' any run, '?' any one byte.
bool GlobMatch(std::string_view pattern, std::string_view text);

class EventFilter {
 public:
  // Each setter returns false for a value it cannot take (the option reader reports it).
  void SetSince(double ms) {
    sinceMs_ = ms;
    active_ = true;
  }
  void SetUntil(double ms) {
    untilMs_ = ms;
    active_ = true;
  }
  bool AddEventId(std::string_view id);
  bool AddDirection(std::string_view name);
  bool AddAction(std::string_view name);
  bool AddApplication(std::string_view pattern);
  bool AddAddress(std::string_view block);
  bool AddPorts(std::string_view portOrRange);

  // Whether any criterion is set (no filter: every event passes without a look).
  bool active() const { return active_; }
  bool Matches(const BlockEvent& event) const;

 private:
  bool MatchesApplication(std::string_view application) const;
  bool MatchesAddress(const Endpoint& e) const;
  bool MatchesPort(const Endpoint& e) const;

  bool active_ = false;
  std::optional<double> sinceMs_, untilMs_;
  std::vector<uint32_t> eventIds_;
  uint32_t directions_ = 0;  // bit per Direction
  uint32_t actions_ = 0;     // bit per Action
  struct Application {
    std::string pattern;  // lower-case
    bool glob;            // has '*' or '?'
    bool nameOnly;        // a glob without '\': also tried against the file name
  };
  std::vector<Application> applications_;
  std::vector<AddressBlock> addresses_;
  std::vector<std::pair<uint32_t, uint32_t>> ports_;  // inclusive ranges
};

}  // namespace wfp
