// Reads a byte range of an object's body, whether inline or spread over blobs, plain or
// encrypted.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blob/blob_store.h"
#include "core/byte_source.h"
#include "core/file_span_source.h"
#include "meta/types.h"
#include "vault/piece_reader.h"

namespace cv::vault {

// Not thread-safe. Holds copies of what it needs; the ObjectVersion need not outlive it.
// Each piece (the inline bytes, or one blob per multipart part) is read through the
// PieceReader open_piece_reader() picks for it; a reader is opened when the range reaches its
// piece.
class ObjectBodySource final : public ByteSource, public FileSpanSource {
 public:
  // `data_key`: the object's unwrapped data key when its body is encrypted, else empty.
  ObjectBodySource(blob::BlobStore& blobs, const meta::ObjectVersion& object, uint64_t offset,
                   uint64_t length, std::string data_key = {});
  // Constructs the source and reads the first byte of the range ahead (opening its piece and,
  // for an encrypted body, authenticating the segment holding it), so that a missing blob or
  // damaged stored data at the start fails here, before a response is under way. That byte is
  // kept, not read twice.
  static Result<std::unique_ptr<ObjectBodySource>> open(blob::BlobStore& blobs,
                                                        const meta::ObjectVersion& object,
                                                        uint64_t offset, uint64_t length,
                                                        std::string data_key = {});
  Result<size_t> read(std::span<char> out) override;
  // True when the body is unencrypted and every piece is a blob stored without a codec in a
  // store that serves files (BlobStore::serves_files).
  bool file_backed() const override;
  // Spans end at piece ends; each asks the kernel to read ahead (PieceReader::file_span).
  // A span's descriptor stays open until two more spans have been taken (or the source is
  // destroyed), so one span can be sent while the next is taken.
  Result<std::optional<FileSpan>> take_file_span(uint64_t max_bytes) override;

 private:
  // Moves to the piece holding position_ (< end_) and opens its reader if needed. With
  // `keep_left`, the readers of the two pieces left last stay open (their spans may still be
  // in use).
  Status enter_piece(bool keep_left = false);

  blob::BlobStore& blobs_;
  std::string data_key_;
  std::string inline_data_;
  std::vector<meta::BlobRef> pieces_;  // one entry standing for inline_data_ when inline
  bool inline_piece_ = false;
  std::optional<char> lookahead_;  // the byte open() read ahead, not yet returned
  uint64_t position_;              // absolute offset in the object of the next byte
  uint64_t end_;                   // absolute offset one past the last byte to read
  size_t piece_ = 0;               // index into pieces_ of the piece holding position_
  uint64_t piece_start_ = 0;       // absolute offset where pieces_[piece_] starts
  std::unique_ptr<PieceReader> reader_;
  std::unique_ptr<PieceReader> left_[2];  // pieces left while taking spans, newest first
};

}  // namespace cv::vault
