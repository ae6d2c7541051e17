#include "xml/utf16_decoder.h"

#include "util/utf8.h"

namespace wfp {

void Utf16Decoder::Decode(const char* data, size_t size, std::string& out) {
  constexpr uint32_t kReplacement = 0xFFFD;
  out.reserve(out.size() + size);
  for (size_t i = 0; i < size; ++i) {
    const unsigned char b = static_cast<unsigned char>(data[i]);
    if (!haveByte_) {
      byte_ = b;
      haveByte_ = true;
      continue;
    }
    haveByte_ = false;
    const uint16_t unit = bigEndian_ ? static_cast<uint16_t>(byte_ << 8 | b) : static_cast<uint16_t>(b << 8 | byte_);
    if (highSurrogate_) {
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((static_cast<uint32_t>(highSurrogate_) - 0xD800) << 10) + (unit - 0xDC00u));
        highSurrogate_ = 0;
        continue;
      }
      AppendUtf8(out, kReplacement);
      highSurrogate_ = 0;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF)
      highSurrogate_ = unit;
    else if (unit >= 0xDC00 && unit <= 0xDFFF)
      AppendUtf8(out, kReplacement);
    else
      AppendUtf8(out, unit);
  }
}

}  // namespace wfp
