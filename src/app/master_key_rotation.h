// Rotating the master key without rewriting any object body: only what is sealed under the
// master key is sealed again (access-key secrets, the wrapped data keys of SSE-S3 objects and
// uploads; see MetaStore::reseal_master_secrets).
//
// Crash-safe in every step, and a second run finishes what a first one began:
//  1. the new key is written to <key>.next (durably) unless that file exists already (an
//     interrupted rotation: its key is reused);
//  2. every secret is resealed in atomic batches: opened with the current key and sealed with
//     the new one, or left as it is when it already opens with the new one;
//  3. <key>.next is renamed over <key>.
// Until step 3 the current key stays in <key>, and every secret opens with one of the two.
// A server that finds <key>.next at start-up finishes the rotation before it serves.
//
// The caller must hold the data folder's lock exclusively (DataFolderLock) so that nothing
// seals secrets meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/progress.h"
#include "meta/meta_store.h"

namespace cv::app {

struct RotationReport {
  uint64_t secrets = 0;    // secrets visited (resealed, or found resealed already)
  bool resumed = false;    // an interrupted rotation was finished
  std::string master_key;  // the key now in effect
};

// The path of the next key while a rotation is under way: <key>.next.
std::filesystem::path next_master_key_path(const std::filesystem::path& key_path);

// Rotates (or, when <key>.next exists, finishes rotating) the master key in `key_path`.
// `batch_size` secrets are resealed per transaction; `progress` hears of each secret visited
// (the total is not known in advance: 0).
Result<RotationReport> rotate_master_key(meta::MetaStore& meta,
                                         const std::filesystem::path& key_path,
                                         size_t batch_size = 256,
                                         const ProgressCallback& progress = {});

// Finishes an interrupted rotation (when <key>.next exists); nullopt when there is none.
Result<std::optional<RotationReport>> finish_interrupted_rotation(
    meta::MetaStore& meta, const std::filesystem::path& key_path,
    const ProgressCallback& progress = {});

}  // namespace cv::app
