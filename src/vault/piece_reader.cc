#include "vault/piece_reader.h"

#include <algorithm>
#include <cstring>

#include "blob/zstd_frames.h"
#include "vault/sealed_piece_reader.h"

namespace cv::vault {
namespace {

// The inline bytes of a metadata row, read as a blob.
class InlineBytesReader final : public blob::BlobReader {
 public:
  explicit InlineBytesReader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override {
    if (offset >= bytes_.size()) return size_t{0};
    const size_t n = std::min<size_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string_view bytes_;
};

// A piece stored as it is (after its codec).
class PlainPieceReader final : public PieceReader {
 public:
  PlainPieceReader(std::unique_ptr<blob::BlobReader> stored, uint64_t size)
      : stored_(std::move(stored)), size_(size) {}
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override {
    if (offset >= size_) return size_t{0};
    return stored_->read_at(offset, out.first(std::min<uint64_t>(out.size(), size_ - offset)));
  }

 private:
  std::unique_ptr<blob::BlobReader> stored_;
  uint64_t size_;
};

}  // namespace

Result<std::unique_ptr<PieceReader>> open_piece_reader(blob::BlobStore& blobs,
                                                       const StoredPiece& piece,
                                                       std::string_view data_key) {
  std::unique_ptr<blob::BlobReader> stored;
  if (piece.blob) {
    stored = CV_TRY(blobs.open(piece.blob->blob_id));
    if (piece.blob->codec == "zstd") {
      stored = CV_TRY(blob::ZstdFrameReader::open(std::move(stored)));
    } else if (!piece.blob->codec.empty()) {
      return fail(ErrorCode::kInternalError, "unknown blob codec " + piece.blob->codec);
    }
  } else {
    stored = std::make_unique<InlineBytesReader>(piece.inline_bytes);
  }
  if (!data_key.empty()) {
    return std::unique_ptr<PieceReader>(
        CV_TRY(SealedPieceReader::open(std::move(stored), data_key, piece.size)));
  }
  return std::unique_ptr<PieceReader>(
      std::make_unique<PlainPieceReader>(std::move(stored), piece.size));
}

}  // namespace cv::vault
