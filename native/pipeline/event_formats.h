// The CLI's machine formats, written on the native thread so that printing costs JavaScript nothing
// per event: one line per event, byte for byte what JavaScript writes for it (a test checks every
// fixture record against it): `json` is JSON.stringify of the BlockEvent that lib/decode.ts builds
// from a batch, `ecs` JSON.stringify(toEcs(event)) (lib/ecs.ts), `otel`
// JSON.stringify(toOtlpJson(toOtelLogRecord(event))) (lib/otel.ts). Plain C++ with no Node-API and
// no OS code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/block_event.h"
#include "util/text_buffer.h"

namespace wfp {

enum class EventFormat : uint8_t { Objects, Json, Ecs, Otel };

// Nothing for a name other than "json", "ecs", "otel".
bool ParseEventFormat(std::string_view name, EventFormat& out);

// A coalesced event's fold: `count` records (0: not coalesced) from firstMs to lastMs.
struct Fold {
  uint64_t count = 0;
  double firstMs = 0, lastMs = 0;
};

struct FormatContext {
  std::string packageVersion;  // otel: the instrumentation scope's version
  std::string serviceName = "wfp-blocks";
  double nowMs = 0;  // otel: observedTimeUnixNano (set per batch)
};

// Appends the event's line (with its '\n') in `format` (not Objects).
void AppendFormatted(EventFormat format, const BlockEvent& e, const Fold& fold, const FormatContext& context,
                     TextBuffer& out);

}  // namespace wfp
