// Sealing a body as it is stored. Every stored piece of an encrypted body (the inline bytes of
// the metadata row, each blob) is
//
//   nonce prefix (8 random bytes) | segment 0 | segment 1 | ... | segment n-1
//
// where the segments are those of blob/segment_cipher.h (64 KiB of plaintext each, sealed
// with the object's data key; the index restarts at 0 in every piece, and the nonce prefix is
// fresh for every piece, so no two pieces under one key share a nonce). meta::BlobRef::size
// stays the plaintext size of the piece; stored_size is what the piece occupies.
// sealed_piece_reader.h reads it back.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "blob/blob_store.h"
#include "blob/segment_cipher.h"
#include "core/error.h"

namespace cv::vault {

// Bytes a piece of `plain_size` plaintext bytes occupies when sealed.
uint64_t sealed_piece_size(uint64_t plain_size);

// Seals a whole piece held in memory (inline bodies). `data_key` is blob::kDataKeyBytes long.
std::string seal_piece(std::string_view data_key, std::string_view plain);

// A BlobWriter that seals what is appended and writes the sealed piece into `inner`.
// size() is the plaintext appended so far; stored_size() what reached `inner` (final after
// commit). Seals into large buffers (one inner append per append call) and reuses one cipher
// context. Not thread-safe; it may be handed to another thread between calls (as the
// BackgroundAppender does), which then does the sealing.
class SealingBlobWriter final : public blob::BlobWriter {
 public:
  SealingBlobWriter(std::unique_ptr<blob::BlobWriter> inner, std::string_view data_key);
  ~SealingBlobWriter() override;

  Status append(std::string_view bytes) override;
  uint64_t size() const override { return plain_size_; }
  // Seals the last segment (which may be empty), then commits `inner`.
  Result<std::string> commit() override;
  uint64_t stored_size() const { return inner_->size(); }

 private:
  std::unique_ptr<blob::BlobWriter> inner_;
  std::string nonce_prefix_;  // fresh for this piece; written first
  bool prefix_written_ = false;
  blob::SegmentCipher cipher_;
  std::string pending_;  // plaintext of the segment being filled (at most a segment)
  std::string sealed_;   // scratch for the sealed bytes of one append
  uint64_t next_segment_ = 0;
  uint64_t plain_size_ = 0;
};

}  // namespace cv::vault
