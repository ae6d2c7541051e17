// Streaming gzip decompression (RFC 1952 members holding RFC 1951 deflate data), written here so
// that the addon needs no zlib to build on any platform. Input may arrive in pieces of any size: a
// deflate block is decoded once all of it is there (a block that is cut off waits for more bytes),
// so output comes a block at a time. Concatenated members are decoded one after another, as gzip
// does. Plain C++ with no dependencies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace wfp {

class GzipInflater {
 public:
  enum class Status { Ok, Error };

  // Decompresses what it can of the bytes given so far, appending to `out`. Error: the data are not
  // gzip, or corrupt (error() says how); nothing more is decoded after that.
  Status Feed(const char* data, size_t size, std::string& out);
  // The input has ended: Error when it ends inside a member.
  Status Finish();
  const std::string& error() const { return error_; }

 private:
  enum class Stage { Header, Blocks, Trailer, Done, Failed };
  // Each returns false when it needs more input (nothing consumed), or sets Failed.
  bool ReadHeader();
  bool ReadBlock(std::string& out);
  bool ReadTrailer();
  void Fail(std::string message);

  std::string in_;       // input not yet consumed (from a byte boundary)
  size_t bit_ = 0;       // bits of in_[0] already consumed (between blocks a block may start mid-byte)
  std::string history_;  // the last 32 KiB of output, for back-references
  Stage stage_ = Stage::Header;
  bool lastBlock_ = false;
  bool anyMember_ = false;
  uint32_t crc_ = 0;
  uint32_t size_ = 0;  // output of this member, modulo 2^32
  std::string error_;
};

}  // namespace wfp
