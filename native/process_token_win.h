// What the process's token allows, for error hints.
#pragma once

#include <optional>

namespace wfp {
std::optional<bool> IsProcessElevated();
bool IsEventLogReader();  // member of BUILTIN\Event Log Readers (S-1-5-32-573)
}  // namespace wfp
