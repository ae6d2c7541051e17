// SHA-1 (util/sha1.h) against the FIPS 180 examples and sizes around the block's end, where the size in
// bits needs a second block; the Community ID is the one user, and its inputs are one block.
#include "test_main.h"

#include <string>

#include "util/sha1.h"

namespace {
std::string Hex(const std::array<uint8_t, 20>& d) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : d) s += kHex[b >> 4], s += kHex[b & 15];
  return s;
}
std::string Sha1Hex(const std::string& s) {
  return Hex(wfp::Sha1(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}
}  // namespace

TEST_CASE("sha1: the FIPS 180 examples, and sizes at the end of a block") {
  using wfp::test::Equal;
  Equal(Sha1Hex(""), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"), "empty");
  Equal(Sha1Hex("abc"), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"), "abc");
  Equal(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        std::string("84983e441c3bd26ebaae4aa1f95129e5e54670f1"), "56 bytes: the size in a second block");
  Equal(Sha1Hex(std::string(1000000, 'a')), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
        "a million 'a': many blocks");
  Equal(Sha1Hex(std::string(55, 'a')), std::string("c1c8bbdc22796e28c0e15163d20899b65621d65a"), "55 bytes");
  Equal(Sha1Hex(std::string(64, 'a')), std::string("0098ba824b5c16427bd7a1122a5a442a25ec644d"), "one whole block");
}
