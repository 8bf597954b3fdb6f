#include "vault/sealed_piece_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "vault/body_encryption.h"

namespace cv::vault {
namespace {

using blob::kNoncePrefixBytes;
using blob::kPlainSegmentBytes;
using blob::kSealedSegmentBytes;

// Sealed segments read from storage at once, at most (about 1 MiB).
constexpr uint64_t kSegmentsPerRead = 16;

// Reads exactly out.size() bytes at `offset`.
Status read_fully(blob::BlobReader& reader, uint64_t offset, std::span<char> out) {
  size_t got = 0;
  while (got < out.size()) {
    const size_t n = CV_TRY(reader.read_at(offset + got, out.subspan(got)));
    if (n == 0) return fail(ErrorCode::kInternalError, "stored data is shorter than recorded");
    got += n;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<SealedPieceReader>> SealedPieceReader::open(
    std::unique_ptr<blob::BlobReader> stored, std::string_view data_key, uint64_t plain_size) {
  if (data_key.size() != blob::kDataKeyBytes) {
    return fail(ErrorCode::kInternalError, "an encrypted body needs a 32-byte data key");
  }
  const uint64_t expected = sealed_piece_size(plain_size);
  if (stored->size() != expected) {
    return fail(ErrorCode::kInternalError,
                fmt::format("stored data failed authentication: {} bytes stored where {} were "
                            "expected",
                            stored->size(), expected));
  }
  char prefix[kNoncePrefixBytes];
  CV_TRY(read_fully(*stored, 0, prefix));
  return std::unique_ptr<SealedPieceReader>(new SealedPieceReader(
      std::move(stored), data_key, std::string_view(prefix, sizeof prefix), plain_size));
}

SealedPieceReader::SealedPieceReader(std::unique_ptr<blob::BlobReader> stored,
                                     std::string_view data_key, std::string_view nonce_prefix,
                                     uint64_t plain_size)
    : stored_(std::move(stored)),
      cipher_(data_key, nonce_prefix),
      plain_size_(plain_size),
      segments_(blob::segment_count(plain_size)) {}

SealedPieceReader::~SealedPieceReader() = default;

Result<size_t> SealedPieceReader::read_at(uint64_t offset, std::span<char> out) {
  if (offset >= plain_size_ || out.empty()) return size_t{0};
  const uint64_t end = std::min<uint64_t>(plain_size_, offset + out.size());
  const uint64_t run_end = (end - 1) / kPlainSegmentBytes + 1;  // one past the last segment
  uint64_t position = offset;
  while (position < end) {
    const uint64_t index = position / kPlainSegmentBytes;
    if (static_cast<int64_t>(index) != plain_index_) CV_TRY(load_segment(index, run_end));
    const uint64_t in_segment = position - index * kPlainSegmentBytes;
    if (in_segment >= plain_.size()) {
      return fail(ErrorCode::kInternalError, "stored data failed authentication (short segment)");
    }
    const size_t n =
        static_cast<size_t>(std::min<uint64_t>(plain_.size() - in_segment, end - position));
    std::memcpy(out.data() + (position - offset), plain_.data() + in_segment, n);
    position += n;
  }
  return static_cast<size_t>(end - offset);
}

Status SealedPieceReader::load_segment(uint64_t index, uint64_t run_end) {
  if (index < sealed_first_ || index >= sealed_first_ + sealed_count_) {
    const uint64_t count = std::clamp<uint64_t>(std::min(run_end, segments_) - index, 1,
                                                kSegmentsPerRead);
    const uint64_t start = kNoncePrefixBytes + index * kSealedSegmentBytes;
    const uint64_t length = std::min(count * kSealedSegmentBytes, stored_->size() - start);
    sealed_.resize(static_cast<size_t>(length));
    sealed_count_ = 0;
    CV_TRY(read_fully(*stored_, start, sealed_));
    sealed_first_ = index;
    sealed_count_ = count;
  }
  const uint64_t at = (index - sealed_first_) * kSealedSegmentBytes;
  const std::string_view sealed =
      std::string_view(sealed_).substr(at, static_cast<size_t>(kSealedSegmentBytes));
  plain_index_ = -1;
  plain_ = CV_TRY(cipher_.open(index, sealed, index + 1 == segments_));
  plain_index_ = static_cast<int64_t>(index);
  return {};
}

}  // namespace cv::vault
