// MetaStore over SQLite 3 in WAL mode. One writer thread applies queued changes in batched
// transactions (group commit, synchronous=FULL); readers use a pool of connections.
#pragma once

#include <filesystem>
#include <memory>

#include "core/error.h"
#include "meta/commit_observer.h"
#include "meta/meta_store.h"

namespace cv::meta {

struct SqliteOptions {
  std::filesystem::path path;         // database file; created with its schema when absent
  size_t max_batch = 256;             // changes per group-commit transaction at most
  size_t reader_connections = 8;      // pooled read connections
  CommitObserver* commits = nullptr;  // told of every committed batch; null: nobody
};

// Opens (creating and migrating as needed) the database. Fails with kInternalError when the
// file cannot be opened or its schema version is newer than this program knows.
Result<std::unique_ptr<MetaStore>> open_sqlite_meta_store(const SqliteOptions& options);

}  // namespace cv::meta
