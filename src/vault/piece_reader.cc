#include "vault/piece_reader.h"

#include <fcntl.h>

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

// How far past the end of a span file_span() asks the kernel to read ahead, in spans: while
// one span is sent, the next is being read (on top of the kernel's own sequential read-ahead,
// which is as small as 128 KiB on many disks).
constexpr uint64_t kSpansAhead = 1;

// A piece stored as it is (after its codec).
class PlainPieceReader final : public PieceReader {
 public:
  // `whole_file`: the stored bytes are the plaintext (no codec), so file spans may be given.
  PlainPieceReader(std::unique_ptr<blob::BlobReader> stored, uint64_t size, bool whole_file)
      : stored_(std::move(stored)), size_(size), whole_file_(whole_file) {}
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override {
    if (offset >= size_) return size_t{0};
    return stored_->read_at(offset, out.first(std::min<uint64_t>(out.size(), size_ - offset)));
  }
  std::optional<FileSpan> file_span(uint64_t offset, uint64_t max_bytes) override {
    const int fd = whole_file_ ? stored_->file_descriptor() : -1;
    if (fd < 0 || offset >= size_ || max_bytes == 0) return std::nullopt;
    const uint64_t length = std::min(max_bytes, size_ - offset);
    // Read-ahead from what was not asked for yet up to kSpansAhead spans past this one.
    const uint64_t ahead_until = std::min(size_, offset + length + kSpansAhead * max_bytes);
    const uint64_t from = std::max(offset, advised_until_);
    if (ahead_until > from) {
      (void)::posix_fadvise(fd, static_cast<off_t>(from), static_cast<off_t>(ahead_until - from),
                            POSIX_FADV_WILLNEED);
      advised_until_ = ahead_until;
    }
    return FileSpan{fd, offset, length};
  }

 private:
  std::unique_ptr<blob::BlobReader> stored_;
  uint64_t size_;
  bool whole_file_;
  uint64_t advised_until_ = 0;  // the kernel was asked to read bytes [.., this) ahead
};

}  // namespace

bool stored_as_plain_blob(const StoredPiece& piece, std::string_view data_key) {
  return piece.blob != nullptr && piece.blob->codec.empty() && data_key.empty();
}

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
      std::make_unique<PlainPieceReader>(std::move(stored), piece.size,
                                         stored_as_plain_blob(piece, data_key)));
}

}  // namespace cv::vault
