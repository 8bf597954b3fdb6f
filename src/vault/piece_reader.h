// Reading one stored piece of an object's body (the inline bytes, or one blob) as plaintext.
//
// How a piece is stored varies: as it is, compressed (BlobRef::codec), sealed (the object's
// Encryption), or both. ObjectBodySource reads every piece through a PieceReader that
// open_piece_reader() chose, so a new way of storing pieces is one more reader and one more
// branch in that factory, and nothing else changes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "blob/blob_store.h"
#include "core/file_span_source.h"
#include "core/error.h"
#include "meta/types.h"

namespace cv::vault {

// Random access to the plaintext of one piece. Not thread-safe (one reader per thread).
class PieceReader {
 public:
  virtual ~PieceReader() = default;
  // Reads up to out.size() bytes of plaintext at `offset`; returns the count, 0 at or past
  // the end of the piece. kInternalError when the stored bytes are missing, short or fail
  // authentication: never wrong bytes.
  virtual Result<size_t> read_at(uint64_t offset, std::span<char> out) = 0;
  // When the piece's plaintext is stored as it is in a file (no codec, no encryption): the
  // span of that file holding plaintext bytes [offset, offset + min(max_bytes, rest)), with
  // the kernel asked to read on ahead of it (sequential sends). nullopt otherwise, or at or
  // past the end of the piece.
  virtual std::optional<FileSpan> file_span(uint64_t offset, uint64_t max_bytes) {
    (void)offset;
    (void)max_bytes;
    return std::nullopt;
  }
};


// Where one piece is kept.
struct StoredPiece {
  const meta::BlobRef* blob = nullptr;  // the blob; null for the inline bytes
  // The metadata row's inline bytes as stored (sealed when encrypted), when `blob` is null.
  // Must outlive the reader.
  std::string_view inline_bytes;
  uint64_t size = 0;  // plaintext bytes of the piece
};

// Whether a piece stored as `piece` (under `data_key`) is its plaintext as it is in a blob
// file, i.e. whether open_piece_reader's reader for it can give file_span()s.
bool stored_as_plain_blob(const StoredPiece& piece, std::string_view data_key);

// The one factory for piece readers: opens the blob (or wraps the inline bytes), undoes its
// codec ("" or "zstd"), then its encryption when `data_key` (the object's unwrapped data key)
// is not empty. Stored sizes that cannot be right fail here, before any byte is read.
// `blobs` must outlive the reader.
Result<std::unique_ptr<PieceReader>> open_piece_reader(blob::BlobStore& blobs,
                                                       const StoredPiece& piece,
                                                       std::string_view data_key);

}  // namespace cv::vault
