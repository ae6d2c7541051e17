#include "util/inflate.h"

#include "util/crc32.h"

namespace wfp {
namespace {

constexpr size_t kWindow = 32768;
constexpr size_t kMaxPending = 64u << 20;  // a deflate block never needs this much input

// Reads bits least-significant first from a byte run; `short_` is set when a read runs past the end.
struct BitReader {
  const unsigned char* data;
  size_t size;
  size_t pos;  // in bits
  bool short_ = false;

  uint32_t Bits(unsigned n) {
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i, ++pos) {
      if (pos / 8 >= size) {
        short_ = true;
        return 0;
      }
      v |= static_cast<uint32_t>((data[pos / 8] >> (pos % 8)) & 1u) << i;
    }
    return v;
  }
  void ToByte() { pos = (pos + 7) / 8 * 8; }
};

// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
  uint16_t count[16] = {};
  uint16_t symbol[288] = {};

  // False for an over-subscribed set of lengths, or an incomplete one other than a single code of
  // length 1 or none at all (which deflate allows for distance codes).
  bool Build(const uint8_t* lengths, size_t n) {
    for (size_t i = 0; i < n; ++i) ++count[lengths[i]];
    count[0] = 0;
    int left = 1, longest = 0;
    for (int len = 1; len < 16; ++len) {
      left = left * 2 - count[len];
      if (left < 0) return false;
      if (count[len]) longest = len;
    }
    uint16_t offsets[16] = {};
    for (int len = 1; len < 15; ++len) offsets[len + 1] = static_cast<uint16_t>(offsets[len] + count[len]);
    for (size_t i = 0; i < n; ++i)
      if (lengths[i]) symbol[offsets[lengths[i]]++] = static_cast<uint16_t>(i);
    return left == 0 || longest <= 1;
  }

  // The next symbol, or -1 for a code that is not in the set.
  int Decode(BitReader& in) const {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; ++len) {
      code |= static_cast<int>(in.Bits(1));
      if (in.short_) return -1;
      const int n = count[len];
      if (code - first < n) return symbol[index + code - first];
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    return -1;
  }
};

constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                    33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
constexpr uint8_t kCodeLengthOrder[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

uint32_t Le32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

enum class Step { Done, Short, Bad };

// Decodes the symbols of one Huffman-coded block into `out` (which starts with the history).
Step Codes(BitReader& in, const Huffman& lit, const Huffman& dist, std::string& out, std::string& error) {
  for (;;) {
    const int sym = lit.Decode(in);
    if (in.short_) return Step::Short;
    if (sym < 0) return error = "invalid literal/length code", Step::Bad;
    if (sym < 256) {
      out.push_back(static_cast<char>(sym));
      continue;
    }
    if (sym == 256) return Step::Done;
    const int l = sym - 257;
    if (l >= 29) return error = "invalid length symbol", Step::Bad;
    const size_t length = kLengthBase[l] + in.Bits(kLengthExtra[l]);
    const int d = dist.Decode(in);
    if (in.short_) return Step::Short;
    if (d < 0 || d >= 30) return error = "invalid distance code", Step::Bad;
    const size_t distance = kDistBase[d] + in.Bits(kDistExtra[d]);
    if (in.short_) return Step::Short;
    if (distance > out.size()) return error = "distance too far back", Step::Bad;
    const size_t from = out.size() - distance;
    for (size_t i = 0; i < length; ++i) out.push_back(out[from + i]);
  }
}

}  // namespace

void GzipInflater::Fail(std::string message) {
  stage_ = Stage::Failed;
  error_ = std::move(message);
}

bool GzipInflater::ReadHeader() {
  const auto* p = reinterpret_cast<const unsigned char*>(in_.data());
  const size_t n = in_.size();
  if (n < 10) return false;
  if (p[0] != 0x1f || p[1] != 0x8b) return Fail("not gzip data (no gzip signature)"), false;
  if (p[2] != 8) return Fail("unknown gzip compression method " + std::to_string(p[2])), false;
  const unsigned flags = p[3];
  if (flags & 0xe0) return Fail("reserved gzip header flags are set"), false;
  size_t at = 10;
  if (flags & 4) {  // FEXTRA
    if (n < at + 2) return false;
    at += 2 + (p[at] | p[at + 1] << 8);
  }
  for (unsigned bit : {8u, 16u}) {  // FNAME, FCOMMENT: zero-terminated
    if (!(flags & bit)) continue;
    while (at < n && p[at] != 0) ++at;
    if (at >= n) return false;
    ++at;
  }
  if (flags & 2) at += 2;  // FHCRC
  if (n < at) return false;
  in_.erase(0, at);
  bit_ = 0;
  crc_ = 0;
  size_ = 0;
  lastBlock_ = false;
  history_.clear();
  anyMember_ = true;
  stage_ = Stage::Blocks;
  return true;
}

bool GzipInflater::ReadBlock(std::string& out) {
  BitReader in{reinterpret_cast<const unsigned char*>(in_.data()), in_.size(), bit_};
  const bool last = in.Bits(1) != 0;
  const uint32_t type = in.Bits(2);
  if (in.short_) return false;
  std::string block = history_;  // history, then this block's output
  const size_t start = block.size();
  if (type == 0) {
    in.ToByte();
    const size_t at = in.pos / 8;
    if (in_.size() < at + 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data()) + at;
    const unsigned len = p[0] | p[1] << 8, nlen = p[2] | p[3] << 8;
    if (len != (~nlen & 0xffffu)) return Fail("corrupt stored block length"), false;
    if (in_.size() < at + 4 + len) return false;
    block.append(in_, at + 4, len);
    in.pos = (at + 4 + len) * 8;
  } else if (type == 1 || type == 2) {
    Huffman lit, dist;
    if (type == 1) {
      uint8_t lengths[288 + 30];
      for (int i = 0; i < 144; ++i) lengths[i] = 8;
      for (int i = 144; i < 256; ++i) lengths[i] = 9;
      for (int i = 256; i < 280; ++i) lengths[i] = 7;
      for (int i = 280; i < 288; ++i) lengths[i] = 8;
      for (int i = 0; i < 30; ++i) lengths[288 + i] = 5;
      lit.Build(lengths, 288);
      dist.Build(lengths + 288, 30);
    } else {
      const unsigned nlen = in.Bits(5) + 257, ndist = in.Bits(5) + 1, ncode = in.Bits(4) + 4;
      if (in.short_) return false;
      if (nlen > 286 || ndist > 30) return Fail("corrupt dynamic block header"), false;
      uint8_t codeLengths[19] = {};
      for (unsigned i = 0; i < ncode; ++i) codeLengths[kCodeLengthOrder[i]] = static_cast<uint8_t>(in.Bits(3));
      if (in.short_) return false;
      Huffman lengthCode;
      if (!lengthCode.Build(codeLengths, 19)) return Fail("corrupt code length code"), false;
      uint8_t lengths[286 + 30] = {};
      for (unsigned i = 0; i < nlen + ndist;) {
        const int sym = lengthCode.Decode(in);
        if (in.short_) return false;
        if (sym < 0) return Fail("corrupt code lengths"), false;
        if (sym < 16) {
          lengths[i++] = static_cast<uint8_t>(sym);
          continue;
        }
        uint8_t value = 0;
        unsigned repeat;
        if (sym == 16) {
          if (i == 0) return Fail("a repeated code length without a previous one"), false;
          value = lengths[i - 1];
          repeat = 3 + in.Bits(2);
        } else if (sym == 17) {
          repeat = 3 + in.Bits(3);
        } else {
          repeat = 11 + in.Bits(7);
        }
        if (in.short_) return false;
        if (i + repeat > nlen + ndist) return Fail("too many code lengths"), false;
        while (repeat--) lengths[i++] = value;
      }
      if (lengths[256] == 0) return Fail("no end-of-block code"), false;
      if (!lit.Build(lengths, nlen) || !dist.Build(lengths + nlen, ndist)) return Fail("corrupt Huffman code"), false;
    }
    std::string error;
    switch (Codes(in, lit, dist, block, error)) {
      case Step::Short:
        return false;
      case Step::Bad:
        return Fail(error), false;
      case Step::Done:
        break;
    }
  } else {
    return Fail("invalid deflate block type 3"), false;
  }
  const auto* produced = reinterpret_cast<const unsigned char*>(block.data()) + start;
  const size_t count = block.size() - start;
  out.append(block, start, count);
  crc_ = Crc32(produced, count, crc_);
  size_ += static_cast<uint32_t>(count);
  history_ = block.size() > kWindow ? block.substr(block.size() - kWindow) : std::move(block);
  in_.erase(0, in.pos / 8);
  bit_ = in.pos % 8;
  lastBlock_ = last;
  if (last) stage_ = Stage::Trailer;
  return true;
}

bool GzipInflater::ReadTrailer() {
  const size_t at = bit_ ? 1 : 0;
  if (in_.size() < at + 8) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(in_.data()) + at;
  if (Le32(p) != crc_) return Fail("CRC-32 mismatch: the gzip data are corrupt"), false;
  if (Le32(p + 4) != size_) return Fail("length mismatch: the gzip data are corrupt"), false;
  in_.erase(0, at + 8);
  bit_ = 0;
  stage_ = Stage::Done;
  return true;
}

GzipInflater::Status GzipInflater::Feed(const char* data, size_t size, std::string& out) {
  if (stage_ == Stage::Failed) return Status::Error;
  in_.append(data, size);
  for (;;) {
    bool progressed = false;
    switch (stage_) {
      case Stage::Done:
        // Another member may follow (`cat a.gz b.gz`); zeros after the last member are padding.
        if (in_.find_first_not_of('\0') == std::string::npos) {
          in_.clear();
          return Status::Ok;
        }
        stage_ = Stage::Header;
        progressed = true;
        break;
      case Stage::Header:
        progressed = ReadHeader();
        break;
      case Stage::Blocks:
        progressed = ReadBlock(out);
        break;
      case Stage::Trailer:
        progressed = ReadTrailer();
        break;
      case Stage::Failed:
        return Status::Error;
    }
    if (stage_ == Stage::Failed) return Status::Error;
    if (!progressed) {
      if (in_.size() > kMaxPending)
        return Fail("a deflate block larger than 64 MiB: the gzip data are corrupt"), Status::Error;
      return Status::Ok;
    }
  }
}

GzipInflater::Status GzipInflater::Finish() {
  if (stage_ == Stage::Failed) return Status::Error;
  if (stage_ == Stage::Done || (stage_ == Stage::Header && anyMember_ && in_.empty())) return Status::Ok;
  Fail(stage_ == Stage::Header && !anyMember_ ? "not gzip data" : "the gzip data end early (a truncated file?)");
  return Status::Error;
}

}  // namespace wfp
