#include "vault/object_body_source.h"

#include <algorithm>
#include <cstring>

#include "blob/zstd_frames.h"

namespace cv::vault {

ObjectBodySource::ObjectBodySource(blob::BlobStore& blobs, const meta::ObjectVersion& object,
                                   uint64_t offset, uint64_t length)
    : blobs_(blobs),
      pieces_(object.blobs),
      position_(offset),
      end_(std::min<uint64_t>(offset + length, object.size)) {
  if (pieces_.empty()) inline_data_ = object.inline_data;
}

Result<size_t> ObjectBodySource::read(std::span<char> out) {
  if (position_ >= end_ || out.empty()) return size_t{0};
  const uint64_t wanted = std::min<uint64_t>(out.size(), end_ - position_);
  if (pieces_.empty()) {
    if (position_ + wanted > inline_data_.size()) {
      return fail(ErrorCode::kInternalError, "inline body shorter than its recorded size");
    }
    std::memcpy(out.data(), inline_data_.data() + position_, wanted);
    position_ += wanted;
    return static_cast<size_t>(wanted);
  }
  // Advance to the piece that holds position_.
  while (piece_ < pieces_.size() && position_ >= piece_start_ + pieces_[piece_].size) {
    piece_start_ += pieces_[piece_].size;
    ++piece_;
    reader_.reset();
  }
  if (piece_ >= pieces_.size()) {
    return fail(ErrorCode::kInternalError, "object body shorter than its recorded size");
  }
  if (!reader_) {
    reader_ = CV_TRY(blobs_.open(pieces_[piece_].blob_id));
    if (pieces_[piece_].codec == "zstd") {
      reader_ = CV_TRY(blob::ZstdFrameReader::open(std::move(reader_)));
    } else if (!pieces_[piece_].codec.empty()) {
      return fail(ErrorCode::kInternalError, "unknown blob codec " + pieces_[piece_].codec);
    }
  }
  const uint64_t in_piece = position_ - piece_start_;
  const uint64_t available = pieces_[piece_].size - in_piece;
  const size_t n = CV_TRY(reader_->read_at(
      in_piece, out.first(static_cast<size_t>(std::min<uint64_t>(wanted, available)))));
  if (n == 0) return fail(ErrorCode::kInternalError, "blob shorter than its recorded size");
  position_ += n;
  return n;
}

}  // namespace cv::vault
