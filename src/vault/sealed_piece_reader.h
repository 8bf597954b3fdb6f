// The decrypting PieceReader: reads a piece sealed as body_encryption.h describes.
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "blob/segment_cipher.h"
#include "vault/piece_reader.h"

namespace cv::vault {

// Reads the plaintext of a sealed piece from its stored bytes (`stored`, any BlobReader: a
// blob, a decompressed blob, inline bytes). A read decrypts only the segments it touches,
// reading their sealed bytes in runs of up to 16 segments, and keeps the last segment it
// decrypted for the next read. Not thread-safe.
class SealedPieceReader final : public PieceReader {
 public:
  // Reads the nonce prefix and checks that the stored size matches `plain_size`
  // (kInternalError otherwise).
  static Result<std::unique_ptr<SealedPieceReader>> open(std::unique_ptr<blob::BlobReader> stored,
                                                         std::string_view data_key,
                                                         uint64_t plain_size);
  ~SealedPieceReader() override;

  Result<size_t> read_at(uint64_t offset, std::span<char> out) override;

 private:
  SealedPieceReader(std::unique_ptr<blob::BlobReader> stored, std::string_view data_key,
                    std::string_view nonce_prefix, uint64_t plain_size);
  // Makes segment `index` the one in plain_.
  Status load_segment(uint64_t index, uint64_t run_end);

  std::unique_ptr<blob::BlobReader> stored_;
  blob::SegmentCipher cipher_;
  uint64_t plain_size_;
  uint64_t segments_;
  std::string sealed_;           // sealed bytes of segments [sealed_first_, +sealed_count_)
  uint64_t sealed_first_ = 0;
  uint64_t sealed_count_ = 0;
  int64_t plain_index_ = -1;     // the segment in plain_
  std::string plain_;
};

}  // namespace cv::vault
