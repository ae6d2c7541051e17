// CRC-32: the known check value, and the folding (carry-less multiply) path held to the table-driven
// one over every length and alignment that splits differently between them, and continued CRCs.
#include <cstdint>
#include <string>
#include <vector>

#include "test_main.h"
#include "util/crc32.h"

TEST_CASE("crc32: the check value, and the same CRC by folding and by table at every length and alignment") {
  using wfp::test::Equal;
  Equal(wfp::Crc32("123456789", 9), uint32_t{0xCBF43926}, "the CRC-32 check value");
  Equal(wfp::Crc32Portable("123456789", 9), uint32_t{0xCBF43926}, "the check value, by table");
  Equal(wfp::Crc32("", 0), uint32_t{0}, "no bytes");
  std::vector<unsigned char> bytes(70000);
  uint32_t x = 12345;
  for (unsigned char& b : bytes) b = static_cast<unsigned char>((x = x * 1103515245 + 12345) >> 16);
  for (size_t offset = 0; offset < 16; ++offset)
    for (size_t size = 0; size <= 300; ++size)
      Equal(wfp::Crc32(bytes.data() + offset, size), wfp::Crc32Portable(bytes.data() + offset, size),
            "offset " + std::to_string(offset) + ", " + std::to_string(size) + " bytes");
  for (size_t size : {65024u, 65536u, 69999u})
    Equal(wfp::Crc32(bytes.data() + 1, size), wfp::Crc32Portable(bytes.data() + 1, size),
          std::to_string(size) + " bytes");
  // Continued: an .evtx chunk header's CRC covers two ranges.
  Equal(wfp::Crc32(bytes.data() + 128, 384, wfp::Crc32(bytes.data(), 120)),
        wfp::Crc32Portable(bytes.data() + 128, 384, wfp::Crc32Portable(bytes.data(), 120)), "continued");
  Equal(wfp::Crc32(bytes.data() + 100, 1000, 0xDEADBEEF), wfp::Crc32Portable(bytes.data() + 100, 1000, 0xDEADBEEF),
        "continued from any CRC");
}
