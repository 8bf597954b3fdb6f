// Zero-copy reading of a byte stream whose bytes are stored as they are in files: the network
// side sends them with sendfile(2) instead of read()ing them through a buffer.
#pragma once

#include <cstdint>
#include <optional>

#include "core/byte_source.h"
#include "core/error.h"

namespace cv {

// Bytes of a stream stored as they are in a file: `length` bytes at `offset` of the open
// descriptor `fd`, which the stream owns (valid while the stream lives).
struct FileSpan {
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Implemented, besides ByteSource, by a stream that may be sent from files (found with
// dynamic_cast on the ByteSource). Not thread-safe: one reader at a time, like ByteSource.
class FileSpanSource {
 public:
  virtual ~FileSpanSource() = default;
  // True when every byte of the stream is stored as it is in files, so the whole stream can
  // be taken by take_file_span(); false when some bytes must come from read() (inline,
  // encrypted or compressed bodies): then use read() only.
  virtual bool file_backed() const = 0;
  // Only when file_backed(): the file span holding the next bytes of the stream, at most
  // `max_bytes` (> 0) of them, and the stream moves past them as if they had been read: the
  // caller sends them itself. nullopt at the end of the stream. The span's descriptor stays
  // open until two more spans have been taken or the stream is destroyed, so one span can be
  // sent while the next is taken (never more than that). May block (opens files, asks the
  // kernel to read ahead), so call it where read() would be called (a worker).
  virtual Result<std::optional<FileSpan>> take_file_span(uint64_t max_bytes) = 0;
};

// The stream's FileSpanSource when it has one and is file_backed(), else null.
inline FileSpanSource* file_spans_of(ByteSource& stream) {
  auto* spans = dynamic_cast<FileSpanSource*>(&stream);
  return spans && spans->file_backed() ? spans : nullptr;
}

}  // namespace cv
