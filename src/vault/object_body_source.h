// Reads a byte range of an object's body, whether inline or spread over blobs.
#pragma once

#include <memory>

#include "blob/blob_store.h"
#include "core/byte_source.h"
#include "meta/types.h"

namespace cv::vault {

// Not thread-safe. Holds copies of what it needs; the ObjectVersion need not outlive it.
class ObjectBodySource final : public ByteSource {
 public:
  ObjectBodySource(blob::BlobStore& blobs, const meta::ObjectVersion& object, uint64_t offset,
                   uint64_t length);
  Result<size_t> read(std::span<char> out) override;

 private:
  blob::BlobStore& blobs_;
  std::string inline_data_;
  std::vector<meta::BlobRef> pieces_;
  uint64_t position_;         // absolute offset in the object of the next byte
  uint64_t end_;              // absolute offset one past the last byte to read
  size_t piece_ = 0;          // index into pieces_ of the piece holding position_
  uint64_t piece_start_ = 0;  // absolute offset where pieces_[piece_] starts
  std::unique_ptr<blob::BlobReader> reader_;
};

}  // namespace cv::vault
