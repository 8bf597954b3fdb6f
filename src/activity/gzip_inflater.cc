#include "activity/gzip_inflater.h"

#include <array>
#include <stdexcept>
#include <string>

namespace cv::activity {

GzipInflater::GzipInflater() {
  if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {
    throw std::runtime_error("zlib: inflateInit2 failed");
  }
}

GzipInflater::~GzipInflater() { inflateEnd(&stream_); }

Status GzipInflater::feed(std::string_view compressed,
                          const std::function<Status(std::string_view)>& out) {
  std::array<char, 256 * 1024> buffer;
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream_.avail_in = static_cast<uInt>(compressed.size());
  while (stream_.avail_in > 0) {
    in_member_ = true;
    stream_.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream_.avail_out = static_cast<uInt>(buffer.size());
    int rc = inflate(&stream_, Z_NO_FLUSH);
    size_t produced = buffer.size() - stream_.avail_out;
    if (produced > 0) CV_TRY(out(std::string_view(buffer.data(), produced)));
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(&stream_);  // another member may follow
    } else if (rc == Z_BUF_ERROR && produced == 0 && stream_.avail_in == 0) {
      break;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return fail(ErrorCode::kInvalidArgument,
                  std::string("corrupt gzip data: ") + (stream_.msg ? stream_.msg : "inflate"));
    }
  }
  return {};
}

Status GzipInflater::finish() const {
  if (in_member_) return fail(ErrorCode::kInvalidArgument, "truncated gzip data");
  return {};
}

}  // namespace cv::activity
