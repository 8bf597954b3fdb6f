#include "core/byte_source.h"

#include <algorithm>
#include <cstring>

namespace cv {

Result<size_t> StringSource::read(std::span<char> out) {
  const size_t n = std::min(out.size(), data_.size() - offset_);
  std::memcpy(out.data(), data_.data() + offset_, n);
  offset_ += n;
  return n;
}

Result<std::string> read_all(ByteSource& source, size_t limit) {
  std::string out;
  char buf[16384];
  for (;;) {
    const size_t n = CV_TRY(source.read(buf));
    if (n == 0) return out;
    if (out.size() + n > limit) {
      return fail(ErrorCode::kMaxMessageLengthExceeded, "request body is too large");
    }
    out.append(buf, n);
  }
}

}  // namespace cv
