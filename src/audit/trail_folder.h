// Where a trail's files go. The folder always: each file appears whole (written to a temp
// file beside it, fsync'd, renamed into place, the folder fsync'd), so a crash leaves either
// the old file or the new one. The trail bucket when one is configured: an interface app/
// implements over the server's own vault, so this layer does not know the vault.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cv::audit {

using ObjectMetadata = std::vector<std::pair<std::string, std::string>>;

class TrailBucket {
 public:
  virtual ~TrailBucket() = default;
  virtual const std::string& name() const = 0;
  // Stores `bytes` as `key` with user metadata (x-amz-meta-<name>), durably. Blocking;
  // thread-safe.
  virtual Status put(std::string_view key, std::string_view bytes, std::string_view content_type,
                     const ObjectMetadata& metadata) = 0;
};

// Writes <folder>/<key> durably (see above), creating folders as needed. kInternalError with
// the path and errno text on failure.
Status write_file_durably(const std::filesystem::path& folder, std::string_view key,
                          std::string_view bytes);
// The whole file; kNoSuchKey when it is absent.
Result<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace cv::audit
