// The one table of the error codes the native side reports, and whether each ends the watcher. An issue
// carries its entry to JavaScript, so the TypeScript layer never decides fatality on its own (a test
// checks its code list against this table). Plain C++ with no Node-API and no OS code.
#pragma once

#include <cstddef>

namespace wfp {

struct ErrorCode {
  const char* name;
  bool fatal;  // the watcher stops after it; otherwise the source goes on with the next record or input
};

// A problem with one record or one input: the watcher goes on.
inline constexpr ErrorCode kErrXmlMalformed{"ERR_XML_MALFORMED", false};
inline constexpr ErrorCode kErrXmlTruncated{"ERR_XML_TRUNCATED", false};
inline constexpr ErrorCode kErrXmlGarbage{"ERR_XML_GARBAGE", false};
inline constexpr ErrorCode kErrRecordTooLarge{"ERR_RECORD_TOO_LARGE", false};
inline constexpr ErrorCode kErrForeignProvider{"ERR_FOREIGN_PROVIDER", false};
inline constexpr ErrorCode kErrMissingField{"ERR_MISSING_FIELD", false};
inline constexpr ErrorCode kErrBadField{"ERR_BAD_FIELD", false};
inline constexpr ErrorCode kErrEmptyInput{"ERR_EMPTY_INPUT", false};
// An input in none of the formats this build reads (the message says what it looks like), or a
// compressed one that is corrupt.
inline constexpr ErrorCode kErrUnreadableInput{"ERR_UNREADABLE_INPUT", false};
inline constexpr ErrorCode kErrFileNotFound{"ERR_FILE_NOT_FOUND", false};
inline constexpr ErrorCode kErrFileRead{"ERR_FILE_READ", false};
inline constexpr ErrorCode kErrFollowUnavailable{"ERR_FOLLOW_UNAVAILABLE", false};
// A followed file was truncated or rewritten in place before all of it was read, and the rest was not
// found in a rotated copy: those bytes are lost. Reading goes on from its new start.
inline constexpr ErrorCode kErrFileTruncated{"ERR_FILE_TRUNCATED", false};
inline constexpr ErrorCode kErrEventLogTransient{"ERR_EVENTLOG_TRANSIENT", false};
// One record the event log could not render or hand over: the source reads on.
inline constexpr ErrorCode kErrEventLogRecord{"ERR_EVENTLOG_RECORD", false};
// The installed publisher's metadata could not be read: the legacy source names insertion strings
// from its built-in table.
inline constexpr ErrorCode kErrEventLogMetadata{"ERR_EVENTLOG_METADATA", false};
// The WFP engine failed for now (BFE stopped or restarting, an RPC failure): the source reconnects.
inline constexpr ErrorCode kErrNetEventsTransient{"ERR_NETEVENTS_TRANSIENT", false};
// Events were lost before the watcher could read them: its hand-off was full, or the log says so.
inline constexpr ErrorCode kErrEventsLost{"ERR_EVENTS_LOST", false};
// .evtx files: each names the file, the chunk and the byte offset; the reader goes on with what can
// still be read.
inline constexpr ErrorCode kErrEvtxHeader{"ERR_EVTX_HEADER", false};        // the file header is damaged
inline constexpr ErrorCode kErrEvtxChunk{"ERR_EVTX_CHUNK", false};          // a chunk that cannot be read
inline constexpr ErrorCode kErrEvtxChecksum{"ERR_EVTX_CHECKSUM", false};    // a chunk's CRC-32 does not match
inline constexpr ErrorCode kErrEvtxRecord{"ERR_EVTX_RECORD", false};        // a record whose header is broken
inline constexpr ErrorCode kErrEvtxBinXml{"ERR_EVTX_BINXML", false};        // a record whose BinXML cannot be read
inline constexpr ErrorCode kErrEvtxTruncated{"ERR_EVTX_TRUNCATED", false};  // the file ends inside a chunk
// The source cannot go on.
inline constexpr ErrorCode kErrAccessDenied{"ERR_ACCESS_DENIED", true};
inline constexpr ErrorCode kErrChannelNotFound{"ERR_CHANNEL_NOT_FOUND", true};
inline constexpr ErrorCode kErrEventLogQuery{"ERR_EVENTLOG_QUERY", true};
inline constexpr ErrorCode kErrEventLog{"ERR_EVENTLOG", true};
inline constexpr ErrorCode kErrInvalidBookmark{"ERR_INVALID_BOOKMARK", true};
// The bookmark resumed from does not fit the inputs (one is missing, replaced, or shorter than it says).
inline constexpr ErrorCode kErrBookmarkInput{"ERR_BOOKMARK_INPUT", true};
inline constexpr ErrorCode kErrNetEvents{"ERR_NETEVENTS", true};
// Audit policy calls (thrown by the audit functions; fatal for a watcher that was to enable auditing).
inline constexpr ErrorCode kErrElevationRequired{"ERR_ELEVATION_REQUIRED", true};
inline constexpr ErrorCode kErrAuditPolicy{"ERR_AUDIT_POLICY", true};

inline constexpr const ErrorCode* kAllErrorCodes[] = {
    &kErrXmlMalformed,    &kErrXmlTruncated,     &kErrXmlGarbage,        &kErrRecordTooLarge,
    &kErrForeignProvider, &kErrMissingField,     &kErrBadField,          &kErrEmptyInput,
    &kErrFileNotFound,    &kErrFileRead,         &kErrFollowUnavailable, &kErrEventLogTransient,
    &kErrEventLogRecord,  &kErrAccessDenied,     &kErrChannelNotFound,   &kErrEventLogQuery,
    &kErrEventLog,        &kErrInvalidBookmark,  &kErrBookmarkInput,     &kErrElevationRequired,
    &kErrAuditPolicy,     &kErrEventLogMetadata, &kErrUnreadableInput,   &kErrNetEventsTransient,
    &kErrEventsLost,      &kErrNetEvents,        &kErrEvtxHeader,        &kErrEvtxChunk,
    &kErrEvtxChecksum,    &kErrEvtxRecord,       &kErrEvtxBinXml,        &kErrEvtxTruncated,
    &kErrFileTruncated,
};

}  // namespace wfp
