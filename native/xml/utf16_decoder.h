// Streaming UTF-16 to UTF-8 conversion for exports saved as UTF-16 (PowerShell 5's `>` writes
// UTF-16LE with a byte-order mark). Keeps a split code unit or surrogate pair across chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace wfp {

class Utf16Decoder {
 public:
  explicit Utf16Decoder(bool bigEndian) : bigEndian_(bigEndian) {}
  // Appends the UTF-8 form of the complete characters in `data` (plus what was carried) to `out`.
  void Decode(const char* data, size_t size, std::string& out);

 private:
  bool bigEndian_;
  bool haveByte_ = false;
  unsigned char byte_ = 0;
  uint16_t highSurrogate_ = 0;
};

}  // namespace wfp
