// Everything an XmlEventReader gives for an input, written out as text: every record's fields and
// every problem with its offset. Two readers agree on an input when their transcripts are equal.
// Used by the unit tests and the fuzz target to hold the learned-shape path to the general parser.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "xml/xml_event_reader.h"

namespace wfp {

// Reads `input` given in pieces of `chunk` bytes, as a file or a stream arrives.
inline std::string ReaderTranscript(XmlEventReader& reader, std::string_view input, size_t chunk) {
  std::string out;
  EventRecord record;
  ReadIssue issue;
  auto drain = [&](bool eof) {
    uint64_t offset = 0;
    while (true) {
      switch (reader.Next(eof, record, issue, offset)) {
        case XmlEventReader::Step::Record:
          out += "record @" + std::to_string(offset) + " provider=" + std::string(record.provider) +
                 (record.hasProvider ? "" : "(none)") + " computer=" + std::string(record.computer) +
                 " time=" + std::string(record.systemTime) + (record.hasSystemTime ? "" : "(none)") +
                 " id=" + std::to_string(record.eventId) + (record.hasEventId ? "" : "(none)") +
                 " version=" + std::to_string(record.version) + " recordId=" + std::to_string(record.recordId) +
                 (record.hasRecordId ? "" : "(none)") + " invalid=" + std::string(record.invalidField) +
                 " end=" + std::to_string(reader.consumed()) + "\n";
          for (auto [name, value] : {std::pair{"guid", record.providerGuid},
                                     {"channel", record.channel},
                                     {"level", record.level},
                                     {"task", record.task},
                                     {"opcode", record.opcode},
                                     {"keywords", record.keywords},
                                     {"activity", record.activityId},
                                     {"user", record.userId},
                                     {"pid", record.writerProcessId},
                                     {"tid", record.writerThreadId}})
            out += std::string("  ") + name + "=[" + std::string(value) + "]\n";
          for (const DataField& d : record.data)
            out += "  [" + std::string(d.name) + "]=[" + std::string(d.value) + "]\n";
          break;
        case XmlEventReader::Step::Issue:
          out += std::string("issue @") + std::to_string(issue.offset) + " " + issue.code->name + " " + issue.message +
                 "\n";
          break;
        case XmlEventReader::Step::NeedMore:
          return;
      }
    }
  };
  if (chunk == 0) chunk = 1;
  for (size_t at = 0; at < input.size(); at += chunk) {
    const size_t n = input.size() - at < chunk ? input.size() - at : chunk;
    reader.Append(input.data() + at, n);
    drain(false);
  }
  drain(true);
  return out;
}

}  // namespace wfp
