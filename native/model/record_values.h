// How values of a Security-log record are written, and how they are read: numbers (decimal, or hex
// with 0x), %% message-table tokens, SystemTime, the provider's name. Shared by the normaliser and the
// recognisers of the other records this library reads. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string_view>

namespace wfp {

inline constexpr std::string_view kSecurityAuditingProvider = "Microsoft-Windows-Security-Auditing";

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Decimal, or hexadecimal with 0x; spaces around it are allowed. Nothing for anything else or overflow.
std::optional<uint64_t> ParseNumber(std::string_view text);
std::optional<uint32_t> ParseU32(std::string_view text, uint64_t max = UINT32_MAX);

// "%%14592" -> 14592
std::optional<uint32_t> TokenNumber(std::string_view text);

// msobjs.dll's message table: the text Windows shows for the %% tokens WFP records use (Direction,
// LayerName and the like), as Microsoft's own parsers and Elastic's pipeline decode them. The one
// copy: the layer names (normalizer.h), the ECS descriptions (pipeline/event_formats.cc) and, through
// the binding's catalog, lib/windows-names.ts's MESSAGES (a test compares them) read it.
inline constexpr std::pair<uint32_t, std::string_view> kMessages[] = {
    {14592, "Inbound"},          {14593, "Outbound"},
    {14594, "Forward"},          {14595, "Bidirectional"},
    {14596, "IP Packet"},        {14597, "Transport"},
    {14598, "Forward"},          {14599, "Stream"},
    {14600, "Datagram Data"},    {14601, "ICMP Error"},
    {14602, "MAC 802.3"},        {14603, "MAC Native"},
    {14604, "vSwitch"},          {14608, "Resource Assignment"},
    {14609, "Listen"},           {14610, "Receive/Accept"},
    {14611, "Connect"},          {14612, "Flow Established"},
    {14614, "Resource Release"}, {14615, "Endpoint Closure"},
    {14616, "Connect Redirect"}, {14617, "Bind Redirect"},
    {14624, "Stream Packet"},    {14640, "ICMP Echo-Request"},
    {14641, "vSwitch Ingress"},  {14642, "vSwitch Egress"},
};
std::optional<std::string_view> MessageText(uint32_t id);

// Milliseconds since the Unix epoch for an xs:dateTime as Windows writes SystemTime
// ("2016-06-29T15:24:34.3460000Z"; also a space for 'T', no zone meaning UTC, or a +hh:mm offset).
bool ParseSystemTime(std::string_view text, double& ms);

}  // namespace wfp
