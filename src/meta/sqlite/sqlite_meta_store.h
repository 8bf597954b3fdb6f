// MetaStore over SQLite 3 in WAL mode. One writer thread applies queued changes in batched
// transactions (group commit, synchronous=FULL); readers use a pool of connections.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "core/error.h"
#include "meta/commit_observer.h"
#include "meta/meta_store.h"

namespace cv::meta {

// How the store copes with a full disk (the server's app/space_reserve.h); empty functions:
// it does not, and every change simply fails with storage_full_error when there is no room.
struct FullDiskPolicy {
  // Frees the room kept back; true when it did. Called on the writer thread when a change
  // that frees space (a delete) failed for want of room; such changes are then applied once
  // more.
  std::function<bool()> release_reserve;
  // True while that room is released: changes that take space are refused
  // (storage_full_error) without being tried, so what is left serves the deletes.
  std::function<bool()> reserve_released;
};

struct SqliteOptions {
  std::filesystem::path path;     // database file; created with its schema when absent
  size_t max_batch = 256;         // changes per group-commit transaction at most
  size_t reader_connections = 8;  // pooled read connections
  FullDiskPolicy full_disk;
  CommitObserver* commits = nullptr;  // told of every committed batch; null: nobody
};

// Opens (creating and migrating as needed) the database. Fails with kInternalError when the
// file cannot be opened or its schema version is newer than this program knows.
Result<std::unique_ptr<MetaStore>> open_sqlite_meta_store(const SqliteOptions& options);

}  // namespace cv::meta
