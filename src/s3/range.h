// HTTP Range for GetObject: a single byte range as S3 supports it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/error.h"

namespace cv::s3 {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Resolves a Range header against an object of `size` bytes. nullopt when the header is
// absent, malformed or names several ranges (S3 then sends the whole object); InvalidRange
// when it cannot be satisfied.
Result<std::optional<ByteRange>> resolve_range(std::string_view header, uint64_t size);

}  // namespace cv::s3
