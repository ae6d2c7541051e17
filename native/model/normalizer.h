// Turns an EventRecord of a WFP traffic event (5031, 5150-5159) into a BlockEvent. Plain C++ with no
// Node-API and no OS code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/block_event.h"
#include "model/error_codes.h"
#include "model/event_catalog.h"
#include "model/event_record.h"

namespace wfp {

struct NormalizeIssue {
  const ErrorCode* code = nullptr;
  std::string message;
};

enum class Normalized { Event, Skipped, Issue };

// Skipped: an event ID outside the selection (not an error). Issue: a WFP event ID whose record
// cannot be trusted (another provider, a missing or invalid System field).
Normalized Normalize(const EventRecord& record, const EventSelection& selection, BlockEvent& out,
                     NormalizeIssue& issue);

std::string_view ProtocolName(uint32_t protocol);
std::optional<std::string_view> LayerNameForToken(std::string_view token);

}  // namespace wfp
