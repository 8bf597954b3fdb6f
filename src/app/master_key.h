// The master key: the 32 bytes that seal access-key secrets and wrap SSE-S3 data keys. It is
// a file of mode 0600, <data>/master.key unless the configuration names another
// ([storage] master_key_file) or CLOUDVAULT_MASTER_KEY_FILE does (the environment wins), so it
// can live apart from the data (another disk, a secrets mount).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::app {

inline constexpr size_t kMasterKeyBytes = 32;

// CLOUDVAULT_MASTER_KEY_FILE when set, else `configured` when not empty, else
// <data_dir>/master.key.
std::filesystem::path master_key_path(const std::filesystem::path& data_dir,
                                      const std::filesystem::path& configured);

// Reads the key at `path`. kInternalError when it is missing or not 32 bytes; a key file
// that group or others may read is used, with a warning in the log.
Result<std::string> read_master_key(const std::filesystem::path& path);
// Reads the key, creating a random one (mode 0600, durably) when the file is absent.
Result<std::string> load_or_create_master_key(const std::filesystem::path& path);

// Writes `content` to `path` with mode 0600, durably and atomically: a temporary file,
// fsync, rename, then fsync of the folder.
Status write_secret_file(const std::filesystem::path& path, std::string_view content);
// Renames `from` to `to` (same folder) and syncs the folder.
Status rename_durably(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace cv::app
