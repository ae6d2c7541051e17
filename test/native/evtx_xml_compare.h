// The XML export's two renderings of .evtx records held to each other: every record of each chunk of
// a file (each one where the previous ends) by its template's plan (evtx/xml_plan.h) and by the walk
// through EventXmlWriter. For the unit tests and the .evtx fuzz target.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "evtx/binxml.h"
#include "evtx/event_xml_writer.h"
#include "evtx/evtx_layout.h"
#include "evtx/xml_plan.h"
#include "util/text_buffer.h"

namespace wfp::test {

struct PlanAndWalk {
  size_t planned = 0, walked = 0;
  std::string difference;  // the first record where the two differ, and how; empty when none did
};

inline void ComparePlanAndWalk(const uint8_t* file, size_t size, PlanAndWalk& tally) {
  using namespace evtx;
  BinXmlReader reader;
  XmlRenderer renderer;
  EventXmlWriter writer;
  TextBuffer planned;
  std::string walked, why;
  for (size_t base = kFileHeaderSize; base < size && size - base >= kChunkHeaderSize; base += kChunkSize) {
    const uint8_t* c = file + base;
    const uint32_t chunkSize = static_cast<uint32_t>(std::min(size - base, kChunkSize));
    if (std::memcmp(c, kChunkSignature, sizeof kChunkSignature) != 0) continue;
    reader.StartChunk(c, chunkSize);
    const uint32_t limit = std::min(U32(c + kChunkFreeSpaceOffset), chunkSize);
    for (uint32_t at = kChunkHeaderSize; at < limit && limit - at >= kRecordMinSize;) {
      const uint32_t recordSize = U32(c + at + kRecordSize);
      if (U32(c + at) != kRecordSignature || recordSize < kRecordMinSize || recordSize > limit - at) break;
      const uint32_t begin = at + kRecordHeaderSize, end = at + recordSize - 4;
      planned.clear();
      const bool byPlan = renderer.Render(reader, begin, end, planned);
      walked.clear();
      writer.Start(walked);
      const bool byWalk = reader.ReadEvent(begin, end, writer, why);
      const std::string where = "record at offset " + std::to_string(base + at);
      if (byPlan) {
        ++tally.planned;
        if (!byWalk && tally.difference.empty())
          tally.difference = where + ": the plan renders what the walk refuses (" + why + ")";
        else if (planned.view() != walked && tally.difference.empty())
          tally.difference = where + ":\n  plan " + std::string(planned.view()) + "\n  walk " + walked;
      } else {
        ++tally.walked;
        if (!planned.empty() && tally.difference.empty()) tally.difference = where + ": a refused plan left text";
      }
      at += recordSize;
    }
  }
}

}  // namespace wfp::test
