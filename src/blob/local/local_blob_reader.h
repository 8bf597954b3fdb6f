// Reads a committed local blob with pread(2).
#pragma once

#include <string>

#include "blob/blob_store.h"
#include "blob/local/posix_io.h"

namespace cv::blob {

// Owns the open file. Not thread-safe by contract, though pread itself would allow it.
class LocalBlobReader final : public BlobReader {
 public:
  // Opens the blob at `path`; a missing file is kInternalError.
  static Result<std::unique_ptr<LocalBlobReader>> open(std::string path);

  uint64_t size() const override { return size_; }
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override;
  int file_descriptor() const override { return fd_.get(); }

 private:
  LocalBlobReader(std::string path, posix::UniqueFd fd, uint64_t size)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size) {}

  std::string path_;
  posix::UniqueFd fd_;
  uint64_t size_;
};

}  // namespace cv::blob
