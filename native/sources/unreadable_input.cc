#include "sources/unreadable_input.h"

namespace wfp {
namespace {

// Whether `s` is UTF-8 (a sequence cut off at its end counts as valid: the head is a prefix).
bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0) return false;
    for (size_t k = 1; k < n; ++k)
      if (i + k < s.size() && (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

}  // namespace

std::optional<std::string> UnreadableInput::Describe(std::string_view head) {
  const auto byte = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };
  const auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (head.empty()) return std::nullopt;
  // Byte-order marks: event XML reads UTF-8 and UTF-16 with one.
  if ((byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) || (byte(0) == 0xFF && byte(1) == 0xFE) ||
      (byte(0) == 0xFE && byte(1) == 0xFF))
    return std::nullopt;
  if (starts("PK\x03\x04")) return std::string("a zip archive: extract it first");
  if (starts("BZh")) return std::string("bzip2-compressed data: decompress it first (bunzip2)");
  if (starts("\xFD"
             "7zXZ"))
    return std::string("xz-compressed data: decompress it first (unxz)");
  if (starts("\x28\xB5\x2F\xFD")) return std::string("zstd-compressed data: decompress it first (unzstd)");
  if (starts("7z\xBC\xAF\x27\x1C")) return std::string("a 7-Zip archive: extract it first");
  // UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
  size_t zerosEven = 0, zerosOdd = 0, control = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    const unsigned char c = byte(i);
    if (c == 0)
      (i % 2 ? zerosOdd : zerosEven)++;
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      ++control;
  }
  const size_t pairs = head.size() / 2;
  // Event XML reads it when it starts with markup, as XML 1.0 (appendix F) tells it by the zero bytes
  // of its first characters; other text in UTF-16 is not event XML.
  const auto startsWithMarkup = [&](bool bigEndian) {
    for (size_t i = 0; i + 1 < head.size(); i += 2) {
      const unsigned c = bigEndian ? byte(i + 1) : byte(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c == '<';
    }
    return false;
  };
  if (pairs >= 2 && zerosOdd * 10 >= pairs * 9 && zerosEven == 0) {
    if (startsWithMarkup(false)) return std::nullopt;
    return std::string(
        "UTF-16 little-endian text without a byte-order mark that is not XML (as PowerShell's > "
        "can write); convert it to UTF-8, or write it with Out-File -Encoding utf8");
  }
  if (pairs >= 2 && zerosEven * 10 >= pairs * 9 && zerosOdd == 0) {
    if (startsWithMarkup(true)) return std::nullopt;
    return std::string("UTF-16 big-endian text without a byte-order mark that is not XML; convert it to UTF-8");
  }
  // Markup, or text that only does not start with it: event XML reads it and says what is not XML.
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '<') return std::nullopt;
  if (zerosEven + zerosOdd + control > 0 || !ValidUtf8(head)) return std::string("binary data, not event XML");
  return std::nullopt;
}

void UnreadableInput::Feed(const char* data, size_t size, RecordSink& sink) {
  if (reported_) return;
  head_.append(data, std::min(size, kHeadBytes));
  reported_ = true;
  sink.OnIssue(Issue{&kErrUnreadableInput,
                     "cannot read " + input_ + ": it looks like " + Describe(head_).value_or("binary data"), input_,
                     0});
}

}  // namespace wfp
