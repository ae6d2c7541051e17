// JSON text exactly as JavaScript's JSON.stringify writes it, for the formats the native thread
// writes (native/pipeline/event_formats.h): strings decoded from UTF-8 the way V8 decodes them (each
// invalid sequence becomes U+FFFD, as the WHATWG decoder says) and escaped as JSON.stringify escapes
// them, numbers in JavaScript's shortest form, times as Date.prototype.toISOString() writes them.
// Plain C++ with no dependencies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wfp {

// Appends `s` as a JSON string literal (with its quotes). A NUL byte becomes U+FFFD, as it does in
// the strings a batch hands to JavaScript (where NUL separates them).
void AppendJsonString(std::string& out, std::string_view s);
// Appends `v` as JavaScript's Number.prototype.toString() writes it (NaN and infinities as null, as
// JSON.stringify does).
void AppendJsNumber(std::string& out, double v);
// Appends milliseconds since the epoch as toISOString() writes them ("2019-04-19T07:36:55.955Z").
void AppendIsoTime(std::string& out, double ms);
// What V8 makes of `s` as UTF-8, written back as UTF-8 (invalid sequences become U+FFFD).
std::string WellFormedUtf8(std::string_view s);

}  // namespace wfp
