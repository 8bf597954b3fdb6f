// Where the local blob store keeps things, and the durable creation of its fan-out folders:
//   <root>/blobs/<aa>/<bb>/<id>   committed blobs (id = 32 lowercase hex, aa/bb its first bytes)
//   <root>/tmp/<id>               blobs being written
#pragma once

#include <bitset>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::blob {

// Thread-safe. Paths are computed without touching the disk except in the methods that say so.
class BlobLayout {
 public:
  // Creates root, blobs/ and tmp/ as needed and makes them durable. Shared by the store and
  // the writers it hands out, which may outlive it.
  static Result<std::shared_ptr<BlobLayout>> open(std::string root);

  explicit BlobLayout(std::string root);
  BlobLayout(const BlobLayout&) = delete;
  BlobLayout& operator=(const BlobLayout&) = delete;

  // Whether `id` has the shape the store hands out (so it cannot escape the root).
  static bool valid_id(std::string_view id);

  const std::string& blobs_dir() const { return blobs_dir_; }
  const std::string& tmp_dir() const { return tmp_dir_; }
  // <root>/blobs/aa/bb; `id` must be valid.
  std::string fanout_dir(std::string_view id) const;
  std::string blob_path(std::string_view id) const;
  std::string temp_path(std::string_view id) const;

  // Makes blobs/aa and blobs/aa/bb exist durably (created if needed, and each one's parent
  // fsync'd once per process, even when it already existed: a folder made by an earlier
  // process that died before syncing it may not be durable yet).
  Status ensure_fanout_dirs(std::string_view id);

 private:
  Status ensure_dir_locked(const std::string& dir, const std::string& parent);

  std::string root_;
  std::string blobs_dir_;
  std::string tmp_dir_;
  std::mutex mutex_;
  std::bitset<256> durable_top_;         // blobs/aa known durable, by aa
  std::bitset<256 * 256> durable_leaf_;  // blobs/aa/bb known durable, by aabb
};

}  // namespace cv::blob
