#include "vault/body_encryption.h"

#include <algorithm>

#include "core/hash.h"

namespace cv::vault {
namespace {

using blob::kNoncePrefixBytes;
using blob::kPlainSegmentBytes;
using blob::kSegmentTagBytes;

std::string random_nonce_prefix() {
  std::string prefix(kNoncePrefixBytes, '\0');
  random_bytes(
      std::span<unsigned char>(reinterpret_cast<unsigned char*>(prefix.data()), prefix.size()));
  return prefix;
}

}  // namespace

uint64_t sealed_piece_size(uint64_t plain_size) {
  return kNoncePrefixBytes + blob::sealed_size(plain_size);
}

std::string seal_piece(std::string_view data_key, std::string_view plain) {
  std::string out = random_nonce_prefix();
  blob::SegmentCipher cipher(data_key, out);
  out.reserve(sealed_piece_size(plain.size()));
  const uint64_t count = blob::segment_count(plain.size());
  for (uint64_t i = 0; i < count; ++i) {
    cipher.seal(i, plain.substr(i * kPlainSegmentBytes, kPlainSegmentBytes), i + 1 == count, out);
  }
  return out;
}

SealingBlobWriter::SealingBlobWriter(std::unique_ptr<blob::BlobWriter> inner,
                                     std::string_view data_key)
    : inner_(std::move(inner)),
      nonce_prefix_(random_nonce_prefix()),
      cipher_(data_key, nonce_prefix_) {
  pending_.reserve(kPlainSegmentBytes);
}

SealingBlobWriter::~SealingBlobWriter() = default;

Status SealingBlobWriter::append(std::string_view bytes) {
  plain_size_ += bytes.size();
  sealed_.clear();
  sealed_.reserve(bytes.size() + (bytes.size() / kPlainSegmentBytes + 2) * kSegmentTagBytes +
                  kPlainSegmentBytes + kNoncePrefixBytes);
  if (!prefix_written_) {
    sealed_.append(nonce_prefix_);
    prefix_written_ = true;
  }
  // A full segment is sealed only once more bytes follow it: the last segment of the piece is
  // sealed (and marked last) by commit().
  while (!bytes.empty()) {
    if (pending_.size() == kPlainSegmentBytes) {
      cipher_.seal(next_segment_++, pending_, false, sealed_);
      pending_.clear();
    }
    if (pending_.empty() && bytes.size() > kPlainSegmentBytes) {
      cipher_.seal(next_segment_++, bytes.substr(0, kPlainSegmentBytes), false, sealed_);
      bytes.remove_prefix(kPlainSegmentBytes);
      continue;
    }
    const size_t take = std::min<size_t>(kPlainSegmentBytes - pending_.size(), bytes.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
  }
  if (sealed_.empty()) return {};
  return inner_->append(sealed_);
}

Result<std::string> SealingBlobWriter::commit() {
  sealed_.clear();
  if (!prefix_written_) {
    sealed_.append(nonce_prefix_);
    prefix_written_ = true;
  }
  cipher_.seal(next_segment_++, pending_, true, sealed_);
  pending_.clear();
  CV_TRY(inner_->append(sealed_));
  return inner_->commit();
}

}  // namespace cv::vault
