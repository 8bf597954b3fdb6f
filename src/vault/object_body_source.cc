#include "vault/object_body_source.h"

#include <algorithm>

namespace cv::vault {

ObjectBodySource::ObjectBodySource(blob::BlobStore& blobs, const meta::ObjectVersion& object,
                                   uint64_t offset, uint64_t length, std::string data_key)
    : blobs_(blobs),
      data_key_(std::move(data_key)),
      pieces_(object.blobs),
      position_(offset),
      end_(std::min<uint64_t>(offset + length, object.size)) {
  if (pieces_.empty()) {
    inline_data_ = object.inline_data;
    // The inline bytes are the one piece, as long as the object.
    pieces_.push_back(meta::BlobRef{.blob_id = {}, .size = object.size});
    inline_piece_ = true;
  }
}

Result<std::unique_ptr<ObjectBodySource>> ObjectBodySource::open(blob::BlobStore& blobs,
                                                                 const meta::ObjectVersion& object,
                                                                 uint64_t offset, uint64_t length,
                                                                 std::string data_key) {
  auto source =
      std::make_unique<ObjectBodySource>(blobs, object, offset, length, std::move(data_key));
  if (source->position_ < source->end_) {
    char first = 0;
    const size_t n = CV_TRY(source->read(std::span<char>(&first, 1)));
    if (n == 1) source->lookahead_ = first;
  }
  return source;
}

Status ObjectBodySource::enter_piece(bool keep_left) {
  // Advance to the piece that holds position_.
  while (piece_ < pieces_.size() && position_ >= piece_start_ + pieces_[piece_].size) {
    piece_start_ += pieces_[piece_].size;
    ++piece_;
    if (keep_left && reader_) {
      left_[1] = std::move(left_[0]);
      left_[0] = std::move(reader_);
    }
    reader_.reset();
  }
  if (piece_ >= pieces_.size()) {
    return fail(ErrorCode::kInternalError, "object body shorter than its recorded size");
  }
  if (!reader_) {
    StoredPiece piece;
    piece.size = pieces_[piece_].size;
    if (inline_piece_) {
      piece.inline_bytes = inline_data_;
    } else {
      piece.blob = &pieces_[piece_];
    }
    reader_ = CV_TRY(open_piece_reader(blobs_, piece, data_key_));
  }
  return {};
}

bool ObjectBodySource::file_backed() const {
  if (inline_piece_) return false;
  return std::all_of(pieces_.begin(), pieces_.end(), [&](const meta::BlobRef& blob) {
    return stored_as_plain_blob(StoredPiece{.blob = &blob}, data_key_) &&
           blobs_.serves_files(blob.blob_id);
  });
}

Result<std::optional<FileSpan>> ObjectBodySource::take_file_span(uint64_t max_bytes) {
  if (lookahead_) {
    // The byte open() read ahead is still in its file: send it from there.
    lookahead_.reset();
    --position_;
  }
  if (position_ >= end_ || max_bytes == 0) return std::optional<FileSpan>();
  CV_TRY(enter_piece(/*keep_left=*/true));
  const uint64_t in_piece = position_ - piece_start_;
  const uint64_t want = std::min({max_bytes, end_ - position_, pieces_[piece_].size - in_piece});
  std::optional<FileSpan> span = reader_->file_span(in_piece, want);
  if (!span || span->length == 0) {
    return fail(ErrorCode::kInternalError, "stored body has no file to send from");
  }
  position_ += span->length;
  return span;
}

Result<size_t> ObjectBodySource::read(std::span<char> out) {
  if (out.empty()) return size_t{0};
  if (lookahead_) {
    out[0] = *lookahead_;
    lookahead_.reset();
    return size_t{1};
  }
  if (position_ >= end_) return size_t{0};
  const uint64_t wanted = std::min<uint64_t>(out.size(), end_ - position_);
  CV_TRY(enter_piece());
  const uint64_t in_piece = position_ - piece_start_;
  const uint64_t available = pieces_[piece_].size - in_piece;
  const size_t n = CV_TRY(reader_->read_at(
      in_piece, out.first(static_cast<size_t>(std::min<uint64_t>(wanted, available)))));
  if (n == 0) return fail(ErrorCode::kInternalError, "stored body shorter than its recorded size");
  position_ += n;
  return n;
}

}  // namespace cv::vault
