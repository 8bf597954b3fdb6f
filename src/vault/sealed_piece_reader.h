// The decrypting PieceReader: reads a piece sealed as body_encryption.h describes.
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "blob/segment_cipher.h"
#include "vault/piece_reader.h"

namespace cv::vault {

// Reads the plaintext of a sealed piece from its stored bytes (`stored`, any BlobReader: a
// blob, a decompressed blob, inline bytes). A read decrypts only the segments it touches:
// whole segments straight into the caller's buffer, partial ones through a one-segment
// buffer kept for the next read; a long read's whole segments are shared with a helper thread
// (started on the first such read), so that decryption uses two cores. Sealed bytes are read
// in runs of up to 16 segments; while a
// blob is read sequentially, the run after the next is announced to the kernel (readahead)
// so that the disk works while segments are decrypted. Not thread-safe.
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
  // The sealed bytes of segment `index`, reading a run of segments up to `run_end` (one past
  // the last segment the current read needs) when it is not in sealed_.
  Result<std::string_view> sealed_segment(uint64_t index, uint64_t run_end);
  uint64_t plain_bytes_of(uint64_t index) const;
  // Decrypts `count` whole segments from `first` (all in sealed_) into `out`.
  Status open_segments(uint64_t first, uint64_t count, char* out);

  class Helper;  // the second decrypting thread

  std::unique_ptr<blob::BlobReader> stored_;
  blob::SegmentCipher cipher_;
  uint64_t plain_size_;
  uint64_t segments_;
  std::string sealed_;  // sealed bytes of segments [sealed_first_, +sealed_count_)
  uint64_t sealed_first_ = 0;
  uint64_t sealed_count_ = 0;
  uint64_t advised_until_ = 0;     // stored offset up to which readahead was requested
  int64_t plain_index_ = -1;       // the segment in plain_, -1 for none
  std::unique_ptr<char[]> plain_;  // one segment of plaintext
  std::string data_key_;           // for the helper's own cipher
  std::string nonce_prefix_;
  std::unique_ptr<Helper> helper_;
};

}  // namespace cv::vault
