// The encrypted-body format (SSE): AES-256-GCM over fixed 64 KiB plaintext segments, each
// sealed with its own 16-byte tag. A range read decrypts only the segments it touches, and a
// changed, dropped, reordered or truncated segment fails authentication instead of yielding
// wrong bytes.
//
// Segment i is sealed with the object's data key and nonce = nonce_prefix (8 bytes) ||
// i (4 bytes, big-endian); its associated data is i (8 bytes, big-endian) followed by one
// byte that is 1 for the object's last segment and 0 otherwise, so the end of the object is
// authenticated too. An empty body is one empty last segment (a bare tag).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::blob {

inline constexpr uint64_t kPlainSegmentBytes = 64 * 1024;
inline constexpr uint64_t kSegmentTagBytes = 16;
inline constexpr uint64_t kSealedSegmentBytes = kPlainSegmentBytes + kSegmentTagBytes;
inline constexpr size_t kDataKeyBytes = 32;
inline constexpr size_t kNoncePrefixBytes = 8;

// Bytes stored for `plain_size` bytes of plaintext.
uint64_t sealed_size(uint64_t plain_size);
// Number of segments of a body of `plain_size` bytes (at least 1).
uint64_t segment_count(uint64_t plain_size);

// The segments a plaintext range [offset, offset + length) touches (length > 0), and where
// the range starts inside the first one.
struct SegmentRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
  uint64_t offset_in_first = 0;
};
SegmentRange segments_for_range(uint64_t offset, uint64_t length);

// Seals and opens the segments of one object. Thread-compatible: one instance per thread.
class SegmentCipher {
 public:
  // `data_key` must be kDataKeyBytes and `nonce_prefix` kNoncePrefixBytes long (checked:
  // std::invalid_argument otherwise, a programming error).
  SegmentCipher(std::string_view data_key, std::string_view nonce_prefix);
  ~SegmentCipher();
  SegmentCipher(const SegmentCipher&) = delete;
  SegmentCipher& operator=(const SegmentCipher&) = delete;

  // Appends the sealed form of segment `index` to `out`. `plain` holds at most
  // kPlainSegmentBytes, and exactly that many unless `last`.
  void seal(uint64_t index, std::string_view plain, bool last, std::string& out);
  // Decrypts segment `index` from its sealed bytes; kInternalError ("stored data failed
  // authentication") when anything about it was changed.
  Result<std::string> open(uint64_t index, std::string_view sealed, bool last);
  // As open(), decrypting into `out`, which must hold sealed.size() - kSegmentTagBytes bytes
  // (the readers' fast path: no allocation, no extra copy). On failure `out` holds garbage
  // that must not be used.
  Status open_into(uint64_t index, std::string_view sealed, bool last, char* out);

 private:
  struct Ctx;
  std::string key_;
  std::string nonce_prefix_;
  // The EVP_CIPHER_CTX, reused across segments; keyed once per direction (the key schedule
  // is kept), so a segment only sets its nonce.
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace cv::blob
