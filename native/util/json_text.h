// JSON text exactly as JavaScript's JSON.stringify writes it, for the formats the native thread
// writes (native/pipeline/event_formats.h): strings decoded from UTF-8 the way V8 decodes them (each
// invalid sequence becomes U+FFFD, as the WHATWG decoder says) and escaped as JSON.stringify escapes
// them, numbers in JavaScript's shortest form, times as Date.prototype.toISOString() writes them.
// The Write* functions write at a pointer with room for at most the size their *Max names, and
// return the end (the formats' writer keeps one pointer per line); the Append* ones append to a
// string. Plain C++ with no dependencies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wfp {

// The most bytes WriteJsonString writes for `size` bytes of text: each byte as \u00XX, and quotes.
constexpr size_t JsonStringMax(size_t size) { return 6 * size + 2; }
inline constexpr size_t kJsNumberMax = 32;
inline constexpr size_t kIsoTimeMax = 32;

// Bytes a JSON string holds as they are: printable ASCII but '"' and '\\'.
struct JsonPlainBytes {
  bool plain[256] = {};
  constexpr JsonPlainBytes() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  }
  bool operator[](char c) const { return plain[static_cast<unsigned char>(c)]; }
};
inline constexpr JsonPlainBytes kJsonPlain;

// `s` as a JSON string literal (with its quotes). A NUL byte becomes U+FFFD, as it does in the
// strings a batch hands to JavaScript (where NUL separates them).
char* WriteJsonString(char* p, std::string_view s);
// The same without the quotes (at most JsonStringMax(size) - 2 bytes).
char* WriteJsonChars(char* p, std::string_view s);
// `v` as JavaScript's Number.prototype.toString() writes it (NaN and infinities as null, as
// JSON.stringify does).
char* WriteJsNumber(char* p, double v);
// Milliseconds since the epoch as toISOString() writes them ("2019-04-19T07:36:55.955Z").
char* WriteIsoTime(char* p, double ms);

void AppendJsonString(std::string& out, std::string_view s);
void AppendJsNumber(std::string& out, double v);
void AppendIsoTime(std::string& out, double ms);
// What V8 makes of `s` as UTF-8, written back as UTF-8 (invalid sequences become U+FFFD).
std::string WellFormedUtf8(std::string_view s);

}  // namespace wfp
