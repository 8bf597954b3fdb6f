// The compressed-blob format of the colder storage tiers ("zstd" codec): the body is cut into
// frames of kZstdFramePlainBytes, each stored either as one independent zstd frame or, when
// compression would not save space, as it is; so a range read decompresses only the frames
// it touches, and incompressible data (already compressed, or encrypted) costs nothing extra.
// Compressed frames carry zstd's checksum: a damaged one fails the read.
//
// Layout: frame 0 ... frame n-1, then the index: n little-endian u32 stored lengths (the top
// bit set for a frame stored as it is), then u32 n, u64 plain size, u32 frame plain bytes and
// the magic "CVZ1". Every frame but the last holds exactly frame-plain-bytes of plaintext.
#pragma once

#include <cstdint>
#include <memory>

#include "blob/blob_store.h"
#include "core/error.h"

namespace cv::blob {

inline constexpr uint64_t kZstdFramePlainBytes = 256 * 1024;

// Compresses what is appended into `inner`. size() is the plaintext appended so far;
// stored_size() what reached `inner` (known exactly after commit). Not thread-safe.
class ZstdFrameWriter final : public BlobWriter {
 public:
  // `level`: a zstd compression level (1..19).
  ZstdFrameWriter(std::unique_ptr<BlobWriter> inner, int level);
  ~ZstdFrameWriter() override;

  Status append(std::string_view bytes) override;
  uint64_t size() const override { return plain_size_; }
  Result<std::string> commit() override;  // writes the last frame and the index
  uint64_t stored_size() const { return inner_->size(); }

 private:
  Status flush_frame();

  struct Context;
  std::unique_ptr<BlobWriter> inner_;
  std::unique_ptr<Context> context_;
  std::string pending_;     // plaintext of the frame being filled
  std::string compressed_;  // scratch for one compressed frame
  std::string index_;       // the index entries so far
  uint32_t frames_ = 0;
  uint64_t plain_size_ = 0;
};

// Reads the plaintext of a blob written by ZstdFrameWriter. Opening reads and checks the
// index (kInternalError when it is malformed); reads decompress whole frames and keep the
// last one. Not thread-safe.
class ZstdFrameReader final : public BlobReader {
 public:
  static Result<std::unique_ptr<ZstdFrameReader>> open(std::unique_ptr<BlobReader> inner);
  ~ZstdFrameReader() override;

  uint64_t size() const override { return plain_size_; }
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override;

 private:
  explicit ZstdFrameReader(std::unique_ptr<BlobReader> inner);
  Status load_frame(uint32_t index);

  struct Context;
  std::unique_ptr<BlobReader> inner_;
  std::unique_ptr<Context> context_;
  uint64_t plain_size_ = 0;
  uint64_t frame_plain_bytes_ = 0;
  std::vector<uint64_t> frame_offsets_;  // where each frame starts; one more for the end
  std::vector<bool> frame_raw_;
  int64_t loaded_ = -1;  // the frame in `plain_`
  std::string plain_;
  std::string stored_;
};

}  // namespace cv::blob
