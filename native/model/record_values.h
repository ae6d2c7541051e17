// How values of a Security-log record are written, and how they are read: numbers (decimal, or hex
// with 0x), %% message-table tokens, SystemTime, the provider's name. Shared by the normaliser and the
// recognisers of the other records this library reads. Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstdint>
#include <optional>
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

// Milliseconds since the Unix epoch for an xs:dateTime as Windows writes SystemTime
// ("2016-06-29T15:24:34.3460000Z"; also a space for 'T', no zone meaning UTC, or a +hh:mm offset).
bool ParseSystemTime(std::string_view text, double& ms);

}  // namespace wfp
