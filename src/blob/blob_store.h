// BlobStore: where object bodies larger than the inline threshold live.
//
// Contract for every implementation (checked by tests/unit/blob/blob_store_conformance.h):
// - Thread-safe: many writers and readers at once. Methods block; never call them on a
//   network thread.
// - A blob becomes visible only by commit(), which makes it durable first (data synced,
//   then published atomically, then the publication synced). A crash before commit leaves
//   at most an incomplete temporary that remove_incomplete() deletes.
// - Blobs are immutable once committed. Ids are opaque strings chosen by the store.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::blob {

// Writes one new blob. Not thread-safe. Destroying a writer that was not committed discards
// what it wrote.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual Status append(std::string_view bytes) = 0;
  virtual uint64_t size() const = 0;
  // Makes the blob durable and visible; returns its id. The writer is finished afterwards.
  virtual Result<std::string> commit() = 0;
};

// Reads one committed blob. Not thread-safe (one reader per thread); cheap to open.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual uint64_t size() const = 0;
  // Reads up to out.size() bytes at `offset`; returns the count (0 at or past the end).
  virtual Result<size_t> read_at(uint64_t offset, std::span<char> out) = 0;
  // A file descriptor positioned-readable for zero-copy sends, or -1.
  virtual int file_descriptor() const { return -1; }
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual Result<std::unique_ptr<BlobWriter>> create() = 0;
  // A writer for a new blob in the named location (a storage tier); "" is create(). A store
  // without such a location fails with kInvalidArgument.
  virtual Result<std::unique_ptr<BlobWriter>> create_in(std::string_view location) {
    if (location.empty()) return create();
    return fail(ErrorCode::kInvalidArgument,
                "blob store: no location named " + std::string(location));
  }
  // kInternalError when the blob is missing (metadata points to a blob that is gone).
  virtual Result<std::unique_ptr<BlobReader>> open(std::string_view blob_id) = 0;
  // Removes a blob; removing a missing blob succeeds.
  virtual Status remove(std::string_view blob_id) = 0;
  // A durable copy of bytes [offset, offset+length) of a blob as a new blob.
  virtual Result<std::string> copy_range(std::string_view blob_id, uint64_t offset,
                                         uint64_t length) = 0;
  // True when open(blob_id) gives readers with a file_descriptor() (bodies can be sent with
  // sendfile); false for stores that are not files (an S3 endpoint).
  virtual bool serves_files(std::string_view blob_id) const {
    (void)blob_id;
    return false;
  }
  // Every committed blob id (for sweeping orphans).
  virtual Result<std::vector<std::string>> list() = 0;
  // Deletes temporaries left by a crash. Call only when no writer is open.
  virtual Status remove_incomplete() = 0;
};

}  // namespace cv::blob
