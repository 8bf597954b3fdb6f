#include "audit/gzip.h"

#include <zlib.h>

#include <array>
#include <stdexcept>

namespace cv::audit {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib's way to ask for a gzip wrapper
constexpr size_t kMaxInflated = size_t{1} << 30;
// Z_BEST_SPEED: CloudTrail readers need valid gzip, not the smallest file. On trail JSON it
// compresses several times faster than level 9 for files about a third larger; the digests
// hash the uncompressed bytes, so the level is free to change. Deterministic for one zlib, so
// a file written again after a crash has the same bytes.
constexpr int kGzipLevel = Z_BEST_SPEED;

}  // namespace

std::string gzip_compress(std::string_view bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, kGzipLevel, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");  // only when out of memory
  }
  std::string out;
  out.resize(deflateBound(&stream, bytes.size()));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

struct GzipWriter::Stream {
  z_stream z{};
};

GzipWriter::GzipWriter() : stream_(std::make_unique<Stream>()) {
  if (deflateInit2(&stream_->z, kGzipLevel, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");  // only when out of memory
  }
}

GzipWriter::~GzipWriter() { deflateEnd(&stream_->z); }

void GzipWriter::append(std::string_view bytes) { deflate_into_output(bytes, Z_NO_FLUSH); }

std::string GzipWriter::finish() {
  deflate_into_output({}, Z_FINISH);
  return std::move(out_);
}

void GzipWriter::deflate_into_output(std::string_view bytes, int flush) {
  z_stream& z = stream_->z;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  for (;;) {
    if (out_.size() - z.total_out < 64 * 1024) out_.resize(z.total_out + 256 * 1024);
    z.next_out = reinterpret_cast<Bytef*>(out_.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out_.size() - z.total_out);
    const int status = deflate(&z, flush);
    if (status == Z_STREAM_END) break;
    if (status != Z_OK && status != Z_BUF_ERROR) throw std::runtime_error("zlib: deflate failed");
    if (flush == Z_NO_FLUSH && z.avail_in == 0) break;
  }
  if (flush == Z_FINISH) out_.resize(z.total_out);
}

Result<std::string> gzip_decompress(std::string_view gz) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
    return fail(ErrorCode::kInternalError, "zlib: inflateInit2 failed");
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  stream.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  std::array<char, 64 * 1024> chunk{};
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
    if (out.size() > kMaxInflated) status = Z_MEM_ERROR;
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;  // input ended early
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) {
    return fail(ErrorCode::kInvalidArgument, "not a complete gzip stream");
  }
  return out;
}

}  // namespace cv::audit
