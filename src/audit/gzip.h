// gzip (RFC 1952) over zlib, whole buffers at a time: trail log files and digests are small
// (at most roll_records records), so they are built and read in memory.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::audit {

std::string gzip_compress(std::string_view bytes);
// kInvalidArgument when `gz` is not a complete gzip stream (or holds more than 1 GiB).
Result<std::string> gzip_decompress(std::string_view gz);

}  // namespace cv::audit
