// gzip (RFC 1952) over zlib. Trail log files and digests are small (at most roll_records
// records), so they are read whole, and written whole or, for log files, in pieces by
// GzipWriter (the uncompressed file never sits in memory, only its compressed bytes).
// Pure; thread-safe on distinct objects.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::audit {

std::string gzip_compress(std::string_view bytes);

// Compresses what append() is given, in pieces, into one gzip stream at the level of
// gzip_compress. The bytes depend only on the concatenated input and on how it was cut into
// append() calls, so writing the same pieces again gives the same file.
class GzipWriter {
 public:
  GzipWriter();
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  void append(std::string_view bytes);
  // Ends the stream and hands over its bytes; the writer is done.
  std::string finish();

 private:
  void deflate_into_output(std::string_view bytes, int flush);
  struct Stream;
  std::unique_ptr<Stream> stream_;
  std::string out_;
};
// kInvalidArgument when `gz` is not a complete gzip stream (or holds more than 1 GiB).
Result<std::string> gzip_decompress(std::string_view gz);

}  // namespace cv::audit
