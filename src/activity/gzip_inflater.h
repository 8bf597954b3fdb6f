// Incremental gunzip: feeds compressed bytes in, hands decompressed bytes out, never holding
// more than one chunk of either. Concatenated gzip members (as `cat a.gz b.gz` makes) are one
// stream. Not thread-safe.
#pragma once

#include <zlib.h>

#include <functional>
#include <memory>
#include <string_view>

#include "core/error.h"

namespace cv::activity {

class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  // Decompresses `compressed`, calling `out` with each piece of output. kInvalidArgument
  // ("corrupt gzip data: ...") on damaged input; an error `out` returns stops and is returned.
  Status feed(std::string_view compressed, const std::function<Status(std::string_view)>& out);
  // At the end of the input: kInvalidArgument ("truncated gzip data") when a member is
  // unfinished.
  Status finish() const;

 private:
  z_stream stream_{};
  bool in_member_ = false;  // a member has started and not yet ended
};

}  // namespace cv::activity
