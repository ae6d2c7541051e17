// JSON text exactly as JavaScript's JSON.stringify writes it, for the formats the native thread
// writes (native/pipeline/event_formats.h): strings decoded from UTF-8 the way V8 decodes them (each
// invalid sequence becomes U+FFFD, as the WHATWG decoder says) and escaped as JSON.stringify escapes
// them, numbers in JavaScript's shortest form, times as Date.prototype.toISOString() writes them.
// The Write* functions write at a pointer with room for at most the size their *Max names, and
// return the end (the formats' writer keeps one pointer per line); the Append* ones append to a
// string. Plain C++ with no dependencies.
#pragma once

#include <cstdint>
#include <cstring>
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

// Whether any of the eight bytes of `w` needs more than copying into a JSON string: a control
// character, '"', '\\' or a byte of a multi-byte sequence (SWAR: each test sets a byte's top bit).
inline bool AnyJsonSpecial(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kTops = 0x8080808080808080ull;
  const uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  return ((w | ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kTops) !=
         0;
}

// Copies `s` to `p` when every byte of it goes into a JSON string as it is, eight at a time (the
// last eight overlapping the ones before), and returns the end; nullptr when one does not.
inline char* CopyJsonPlain(char* p, std::string_view s) {
  const char* from = s.data();
  const size_t n = s.size();
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      if (!kJsonPlain[from[i]]) return nullptr;
      p[i] = from[i];
    }
    return p + n;
  }
  uint64_t w;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&w, from + i, 8);
    if (AnyJsonSpecial(w)) return nullptr;
    std::memcpy(p + i, &w, 8);
  }
  std::memcpy(&w, from + n - 8, 8);
  if (AnyJsonSpecial(w)) return nullptr;
  std::memcpy(p + n - 8, &w, 8);
  return p + n;
}

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
