// Pull-based byte streams: how request bodies flow into the vault and object bodies flow
// out to the network, without holding a whole body in memory.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv {

// A blocking stream of bytes. Not thread-safe: one reader at a time.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to out.size() bytes (out.size() > 0). Blocks until at least one byte, the end of
  // the stream, or an error. Returns 0 only at the end of the stream.
  virtual Result<size_t> read(std::span<char> out) = 0;
};

// Reads from a string it owns.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> read(std::span<char> out) override;

 private:
  std::string data_;
  size_t offset_ = 0;
};

// Reads until the end of `source` into a string; fails with kMaxMessageLengthExceeded past
// `limit` bytes.
Result<std::string> read_all(ByteSource& source, size_t limit);

}  // namespace cv
