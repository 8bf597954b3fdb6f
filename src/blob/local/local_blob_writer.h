// A blob being written to <root>/tmp/<id>, published to blobs/aa/bb/<id> by commit().
#pragma once

#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "blob/local/blob_layout.h"
#include "blob/local/posix_io.h"

namespace cv::blob {

// Not thread-safe (one writer, one thread). Destroying it before a successful commit unlinks
// the temporary file. After commit() (successful or not) the writer accepts no more calls.
class LocalBlobWriter final : public BlobWriter {
 public:
  // Creates the temporary file for a new id.
  static Result<std::unique_ptr<LocalBlobWriter>> create(std::shared_ptr<BlobLayout> layout);
  ~LocalBlobWriter() override;

  Status append(std::string_view bytes) override;
  uint64_t size() const override { return size_; }
  Result<std::string> commit() override;

  // Appends `length` bytes of the open file `source` starting at `offset` (kernel-side copy
  // where the file system allows it).
  Status append_from_file(int source, uint64_t offset, uint64_t length,
                          const std::string& source_path);

 private:
  LocalBlobWriter(std::shared_ptr<BlobLayout> layout, std::string id, posix::UniqueFd fd);
  Status check_open() const;
  // Starts asynchronous write-back of each full stretch of written bytes, so the final
  // fdatasync has little left to do.
  void start_writeback();

  std::shared_ptr<BlobLayout> layout_;
  std::string id_;
  std::string temp_path_;
  posix::UniqueFd fd_;
  uint64_t size_ = 0;
  uint64_t writeback_started_ = 0;  // bytes [0, this) have been handed to write-back
  bool finished_ = false;           // commit() was called
  bool published_ = false;          // the file now lives at its final path
};

}  // namespace cv::blob
