#include "blob/zstd_frames.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace cv::blob {
namespace {

constexpr char kMagic[4] = {'C', 'V', 'Z', '1'};
constexpr uint32_t kRawFlag = 0x80000000u;
constexpr size_t kTrailerBytes = 4 + 8 + 4 + 4;

void put_u32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}
uint64_t get_le(const char* bytes, int count) {
  uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

std::unexpected<Error> malformed(std::string_view what) {
  return fail(ErrorCode::kInternalError, "compressed blob: " + std::string(what));
}

}  // namespace

struct ZstdFrameWriter::Context {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~Context() { ZSTD_freeCCtx(cctx); }
};

struct ZstdFrameReader::Context {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ~Context() { ZSTD_freeDCtx(dctx); }
};

ZstdFrameWriter::ZstdFrameWriter(std::unique_ptr<BlobWriter> inner, int level)
    : inner_(std::move(inner)), context_(std::make_unique<Context>()) {
  ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_compressionLevel, level);
  // Each compressed frame carries a checksum, so damage fails the read instead of passing.
  ZSTD_CCtx_setParameter(context_->cctx, ZSTD_c_checksumFlag, 1);
  pending_.reserve(kZstdFramePlainBytes);
  compressed_.resize(ZSTD_compressBound(kZstdFramePlainBytes));
}

ZstdFrameWriter::~ZstdFrameWriter() = default;

Status ZstdFrameWriter::append(std::string_view bytes) {
  plain_size_ += bytes.size();
  while (!bytes.empty()) {
    const size_t take = std::min<size_t>(bytes.size(), kZstdFramePlainBytes - pending_.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.size() == kZstdFramePlainBytes) CV_TRY(flush_frame());
  }
  return {};
}

Status ZstdFrameWriter::flush_frame() {
  const size_t n = ZSTD_compress2(context_->cctx, compressed_.data(), compressed_.size(),
                                  pending_.data(), pending_.size());
  if (ZSTD_isError(n)) {
    return fail(ErrorCode::kInternalError,
                std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
  }
  if (n < pending_.size()) {
    CV_TRY(inner_->append(std::string_view(compressed_.data(), n)));
    put_u32(index_, static_cast<uint32_t>(n));
  } else {
    CV_TRY(inner_->append(pending_));
    put_u32(index_, static_cast<uint32_t>(pending_.size()) | kRawFlag);
  }
  ++frames_;
  pending_.clear();
  return {};
}

Result<std::string> ZstdFrameWriter::commit() {
  if (!pending_.empty()) CV_TRY(flush_frame());
  put_u32(index_, frames_);
  put_u64(index_, plain_size_);
  put_u32(index_, static_cast<uint32_t>(kZstdFramePlainBytes));
  index_.append(kMagic, sizeof kMagic);
  CV_TRY(inner_->append(index_));
  return inner_->commit();
}

ZstdFrameReader::ZstdFrameReader(std::unique_ptr<BlobReader> inner)
    : inner_(std::move(inner)), context_(std::make_unique<Context>()) {}

ZstdFrameReader::~ZstdFrameReader() = default;

Result<std::unique_ptr<ZstdFrameReader>> ZstdFrameReader::open(std::unique_ptr<BlobReader> inner) {
  std::unique_ptr<ZstdFrameReader> reader(new ZstdFrameReader(std::move(inner)));
  const uint64_t total = reader->inner_->size();
  if (total < kTrailerBytes) return malformed("too short");
  char trailer[kTrailerBytes];
  if (CV_TRY(reader->inner_->read_at(total - kTrailerBytes, trailer)) != kTrailerBytes) {
    return malformed("short read");
  }
  if (std::memcmp(trailer + 16, kMagic, 4) != 0) return malformed("bad magic");
  const uint64_t frames = get_le(trailer, 4);
  reader->plain_size_ = get_le(trailer + 4, 8);
  reader->frame_plain_bytes_ = get_le(trailer + 12, 4);
  const uint64_t index_bytes = frames * 4;
  if (reader->frame_plain_bytes_ == 0 || index_bytes + kTrailerBytes > total ||
      frames !=
          (reader->plain_size_ + reader->frame_plain_bytes_ - 1) / reader->frame_plain_bytes_) {
    return malformed("bad index");
  }
  std::string index(index_bytes, '\0');
  const uint64_t index_start = total - kTrailerBytes - index_bytes;
  if (CV_TRY(reader->inner_->read_at(index_start, index)) != index.size()) {
    return malformed("short read");
  }
  uint64_t offset = 0;
  for (uint64_t i = 0; i < frames; ++i) {
    const uint32_t entry = static_cast<uint32_t>(get_le(index.data() + 4 * i, 4));
    reader->frame_offsets_.push_back(offset);
    reader->frame_raw_.push_back((entry & kRawFlag) != 0);
    offset += entry & ~kRawFlag;
  }
  reader->frame_offsets_.push_back(offset);
  if (offset != index_start) return malformed("frames do not fill the blob");
  return reader;
}

Status ZstdFrameReader::load_frame(uint32_t index) {
  if (loaded_ == index) return {};
  loaded_ = -1;
  const uint64_t start = frame_offsets_[index];
  stored_.resize(frame_offsets_[index + 1] - start);
  if (CV_TRY(inner_->read_at(start, stored_)) != stored_.size()) return malformed("short read");
  const uint64_t expected =
      std::min<uint64_t>(frame_plain_bytes_, plain_size_ - uint64_t{index} * frame_plain_bytes_);
  if (frame_raw_[index]) {
    if (stored_.size() != expected) return malformed("raw frame of the wrong size");
    plain_.swap(stored_);
  } else {
    plain_.resize(expected);
    const size_t n = ZSTD_decompressDCtx(context_->dctx, plain_.data(), plain_.size(),
                                         stored_.data(), stored_.size());
    if (ZSTD_isError(n) || n != expected) return malformed("frame does not decompress");
  }
  loaded_ = index;
  return {};
}

Result<size_t> ZstdFrameReader::read_at(uint64_t offset, std::span<char> out) {
  size_t copied = 0;
  while (copied < out.size() && offset < plain_size_) {
    const uint32_t frame = static_cast<uint32_t>(offset / frame_plain_bytes_);
    CV_TRY(load_frame(frame));
    const uint64_t in_frame = offset - uint64_t{frame} * frame_plain_bytes_;
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(out.size() - copied, plain_.size() - in_frame));
    std::memcpy(out.data() + copied, plain_.data() + in_frame, n);
    copied += n;
    offset += n;
  }
  return copied;
}

}  // namespace cv::blob
