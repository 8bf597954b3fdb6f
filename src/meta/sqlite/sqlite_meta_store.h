// MetaStore over SQLite 3 in WAL mode. One writer thread applies queued changes in batched
// transactions (group commit, synchronous=FULL); readers use a pool of connections.
#pragma once

#include <atomic>
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

// How far the upgrade of an older database has come while it opens: `applied` of `pending`
// steps done, taking the schema from version `from_version` to `to_version`.
struct MigrationProgress {
  int from_version = 0;
  int to_version = 0;
  size_t applied = 0;
  size_t pending = 0;
};
// Called on the opening thread after each step of such an upgrade, with applied = 1..pending
// in order; never for an up-to-date database nor for a new one (version 0: its schema is
// created, not migrated). The steps run in one transaction: when a later one fails, the
// database is left as it was (and the open fails) although earlier calls were made.
using MigrationCallback = std::function<void(const MigrationProgress&)>;

struct SqliteOptions {
  std::filesystem::path path;     // database file; created with its schema when absent
  size_t max_batch = 256;         // changes per group-commit transaction at most
  size_t reader_connections = 4;  // pooled read connections (1 MiB page cache each)
  // Keys' current versions kept in memory for get_object (sqlite/object_cache.h: exact under
  // this store's writes, another process's seen within 100 ms); 0: none.
  size_t object_cache_bytes = size_t{24} << 20;
  // Counts the committed batches that changed rows of `objects` (whoever must wait for other
  // processes' caches to see them: the CLI, app/data_dir.h); null: not counted. Must outlive
  // the store.
  std::atomic<uint64_t>* object_changes = nullptr;
  FullDiskPolicy full_disk;
  CommitObserver* commits = nullptr;  // told of every committed batch; null: nobody
  MigrationCallback on_migration;     // told of a schema upgrade's steps; empty: nobody
};

// Opens (creating and migrating as needed) the database. Fails with kInternalError when the
// file cannot be opened or its schema version is newer than this program knows.
Result<std::unique_ptr<MetaStore>> open_sqlite_meta_store(const SqliteOptions& options);

}  // namespace cv::meta
