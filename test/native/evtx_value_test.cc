// The text of each BinXML value type, as Windows (EvtRender) writes it: numbers, hex, GUIDs, SIDs,
// times, strings (UTF-16 cut at NUL, bad surrogates, Windows-1252), booleans, binary, arrays, and
// bytes that cannot be a value of their type.
#include <cstring>
#include <string>
#include <vector>

#include "evtx/binxml_value.h"
#include "test_main.h"

namespace {

using namespace wfp::evtx;

std::string Text(uint8_t type, std::vector<uint8_t> bytes, bool* ok = nullptr) {
  std::string out;
  const bool good = AppendValue(type, bytes.data(), bytes.size(), out);
  if (ok) *ok = good;
  return out;
}

template <typename T>
std::vector<uint8_t> Le(T v) {
  std::vector<uint8_t> b(sizeof v);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}

std::vector<uint8_t> Utf16(std::u16string s) {
  std::vector<uint8_t> b(s.size() * 2);
  std::memcpy(b.data(), s.data(), b.size());
  return b;
}

}  // namespace

TEST_CASE("evtx values: integers in decimal, hex types and SizeT as 0x with no padding") {
  using wfp::test::Equal;
  Equal(Text(kUInt8, {255}), std::string("255"), "UInt8");
  Equal(Text(kInt8, {0x80}), std::string("-128"), "Int8");
  Equal(Text(kInt16, Le<int16_t>(-2)), std::string("-2"), "Int16");
  Equal(Text(kUInt16, Le<uint16_t>(5157)), std::string("5157"), "UInt16");
  Equal(Text(kInt32, Le<int32_t>(-1)), std::string("-1"), "Int32 -1 (libevtx writes -2147483647)");
  Equal(Text(kUInt32, Le<uint32_t>(4294967295u)), std::string("4294967295"), "UInt32");
  Equal(Text(kInt64, Le<int64_t>(INT64_MIN)), std::string("-9223372036854775808"), "Int64 min");
  Equal(Text(kUInt64, Le<uint64_t>(UINT64_MAX)), std::string("18446744073709551615"), "UInt64 max");
  Equal(Text(kHexInt32, Le<uint32_t>(0)), std::string("0x0"), "HexInt32 0");
  Equal(Text(kHexInt64, Le<uint64_t>(0x3e7)), std::string("0x3e7"), "HexInt64 (SubjectLogonId)");
  Equal(Text(kHexInt64, Le<uint64_t>(0x8010000000000000ull)), std::string("0x8010000000000000"), "Keywords");
  Equal(Text(kHexInt64, Le<uint64_t>(0x80000000000000ull)), std::string("0x80000000000000"),
        "Keywords of a classic event");
  Equal(Text(kSizeT, Le<uint64_t>(0x24c)), std::string("0x24c"), "SizeT, 8 bytes (4624's ProcessId)");
  Equal(Text(kSizeT, Le<uint32_t>(4)), std::string("0x4"), "SizeT, 4 bytes");
  bool ok = true;
  Text(kSizeT, {1, 2, 3}, &ok);
  wfp::test::Check(!ok, "SizeT of 3 bytes is no value");
  Text(kUInt32, {1, 2}, &ok);
  wfp::test::Check(!ok, "UInt32 of 2 bytes is no value");
}

TEST_CASE("evtx values: GUIDs upper case in braces, SIDs, booleans, binary, reals") {
  using wfp::test::Equal;
  // {54849625-5478-4994-A5BA-3E3B0328C30D}, the Security-Auditing provider, as stored (mixed-endian).
  const std::vector<uint8_t> guid = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                                     0xA5, 0xBA, 0x3E, 0x3B, 0x03, 0x28, 0xC3, 0x0D};
  Equal(Text(kGuid, guid), std::string("{54849625-5478-4994-A5BA-3E3B0328C30D}"), "GUID");
  Equal(Text(kSid, {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}), std::string("S-1-5-18"), "SID S-1-5-18");
  Equal(Text(kSid, {1, 0, 0, 0, 0, 0, 0, 0}), std::string("S-1-0"), "SID without sub-authorities");
  Equal(Text(kSid, {1, 1, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0}), std::string("S-1-0x010203040506-7"),
        "SID with a 48-bit authority");
  bool ok = true;
  Text(kSid, {1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}, &ok);
  wfp::test::Check(!ok, "a SID that says 2 sub-authorities and holds 1 is no value");
  Equal(Text(kBool, Le<uint32_t>(0)), std::string("false"), "false");
  Equal(Text(kBool, Le<uint32_t>(1)), std::string("true"), "true");
  Equal(Text(kBool, Le<uint32_t>(7)), std::string("true"), "any non-zero is true");
  Equal(Text(kBinary, {0xD9, 0x06, 0x00, 0x00}), std::string("D9060000"), "binary in upper-case hex");
  Equal(Text(kReal64, Le<double>(1.5)), std::string("1.5"), "Real64");
  Equal(Text(kReal32, Le<float>(0.1f)), std::string("0.1"), "Real32: the shortest text that reads back");
  Equal(Text(0x7F, {0xAB, 0x01}), std::string("AB01"), "an unknown type: its bytes in hex");
}

TEST_CASE("evtx values: FILETIME and SYSTEMTIME as SystemTime is written, to the 100 ns") {
  using wfp::test::Equal;
  // The first 5152 of omerbenamram-evtx--Security_short_selected.evtx: 2016-06-29T15:24:34.346Z.
  const uint64_t ticks = (1467213874346ull * 10000) + 116444736000000000ull;
  Equal(Text(kFileTime, Le<uint64_t>(ticks)), std::string("2016-06-29T15:24:34.346000000Z"), "FILETIME");
  Equal(Text(kFileTime, Le<uint64_t>(ticks + 1234567)), std::string("2016-06-29T15:24:34.469456700Z"), "100 ns digits");
  Equal(Text(kFileTime, Le<uint64_t>(0)), std::string("1601-01-01T00:00:00.000000000Z"), "FILETIME 0");
  Equal(Text(kFileTime, Le<uint64_t>(UINT64_MAX)), std::string("60056-05-28T05:36:10.955161500Z"),
        "the largest FILETIME");
  const std::vector<uint8_t> sys = {0xE2, 0x07, 2, 0, 6, 0, 5, 0, 21, 0, 49, 0, 48, 0, 0xF4, 0x01};
  Equal(Text(kSysTime, sys), std::string("2018-02-05T21:49:48.500000000Z"), "SYSTEMTIME");
}

TEST_CASE("evtx values: strings end at NUL; bad UTF-16 becomes U+FFFD; ANSI is Windows-1252") {
  using wfp::test::Equal;
  Equal(Text(kString, Utf16(u"%%14592")), std::string("%%14592"), "UTF-16");
  Equal(Text(kString, Utf16(std::u16string(u"ab\0cd", 5))), std::string("ab"), "ends at the first NUL");
  Equal(Text(kString, Utf16(u"\U0001F600")), std::string("\xF0\x9F\x98\x80"), "a surrogate pair");
  Equal(Text(kString, Utf16(std::u16string(1, u'\xD83D') + u"x")), std::string("\xEF\xBF\xBDx"),
        "a lone high surrogate");
  Equal(Text(kString, Utf16(std::u16string(1, u'\xDC00'))), std::string("\xEF\xBF\xBD"), "a lone low surrogate");
  Equal(Text(kString, Utf16(u"\x01\x03")), std::string("\x01\x03"), "control characters are kept (dns_log_malformed)");
  bool ok = true;
  Text(kString, {0x41}, &ok);
  wfp::test::Check(!ok, "an odd number of bytes is no UTF-16 string");
  Equal(Text(kAnsiString, {'a', 0x80, 0xA6, 0x81, 0, 'z'}), std::string("a\xE2\x82\xAC\xC2\xA6\xEF\xBF\xBD"),
        "Windows-1252");
}

TEST_CASE("evtx values: arrays split into items") {
  std::vector<Bytes> items;
  const std::vector<uint8_t> strings = Utf16(std::u16string(u"one\0two\0", 8));
  wfp::test::Check(SplitArray(kString | kArrayFlag, strings.data(), strings.size(), items) && items.size() == 2,
                   "two NUL-terminated strings");
  const std::vector<uint8_t> lastOpen = Utf16(std::u16string(u"one\0two", 7));
  wfp::test::Check(SplitArray(kString | kArrayFlag, lastOpen.data(), lastOpen.size(), items) && items.size() == 2,
                   "the last string without its NUL");
  std::vector<uint8_t> ints = Le<uint32_t>(7);
  for (uint8_t b : Le<uint32_t>(8)) ints.push_back(b);
  wfp::test::Check(SplitArray(kUInt32 | kArrayFlag, ints.data(), ints.size(), items) && items.size() == 2 &&
                       Text(kUInt32, {items[1].data, items[1].data + 4}) == "8",
                   "UInt32 array (Ntfs/Operational)");
  wfp::test::Check(!SplitArray(kUInt32 | kArrayFlag, ints.data(), 7, items), "a partial last item is not an item");
  const std::vector<uint8_t> sids = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
  wfp::test::Check(SplitArray(kSid | kArrayFlag, sids.data(), sids.size(), items) && items.size() == 2,
                   "SIDs of their own lengths");
  wfp::test::Check(!SplitArray(kSid | kArrayFlag, sids.data(), sids.size() - 1, items), "a SID array cut short");
  wfp::test::Check(!SplitArray(kBinary | kArrayFlag, sids.data(), sids.size(), items), "binary arrays do not exist");
}
