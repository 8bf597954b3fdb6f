// The data folder: opens the stores in it and keeps its secrets (the master key and the root
// credentials, files of mode 0600).
//
// Layout: meta.db (SQLite), blobs/ and tmp/ (blob store, unless bodies go to an S3 bucket),
// tiers/standard_ia/ and
// tiers/glacier/ (the colder tiers' blob stores unless configured elsewhere), master.key,
// root.credentials, credentials.changed, buckets.changed and notify.changed (see
// change_file.h), space.reserve (the server's room for metadata commits on a full disk,
// app/space_reserve.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/config.h"
#include "auth/credentials.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/error.h"
#include "meta/commit_observer.h"
#include "meta/meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {

// Held by a CLI process's stores: when they close, waits until every running server's object
// cache (meta/sqlite/object_cache.h, which looks at other processes' commits at least every
// ObjectCache::kOtherWritersInterval) has seen this process's changes to objects, if it made
// any, so that a `cloudvault admin` verb's changes are visible once it returns.
class ObjectChangeSettle {
 public:
  ObjectChangeSettle() = default;
  ObjectChangeSettle(const ObjectChangeSettle&) = delete;
  ObjectChangeSettle& operator=(const ObjectChangeSettle&) = delete;
  ~ObjectChangeSettle();
  std::atomic<uint64_t> changes{0};  // SqliteOptions::object_changes
};

struct Stores {
  // Declared first, so destroyed after the metadata store has closed.
  std::unique_ptr<ObjectChangeSettle> settle;
  std::unique_ptr<Clock> clock;  // the S3 blob store's signer's; outlives the stores
  std::unique_ptr<meta::MetaStore> meta;
  std::unique_ptr<blob::BlobStore> blobs;
  std::string master_key;  // 32 bytes
  std::string blob_location;  // where bodies are kept, for logs: a folder or an s3:// URL
  std::string meta_location;  // where metadata is kept, for logs: a file or a postgres:// URL
};

// Where the colder storage tiers keep their blobs; empty: under <data>/tiers/ (or, with an S3
// blob store, under its prefix).
struct TierFolders {
  std::filesystem::path standard_ia;
  std::filesystem::path glacier;
};

// The tier folders with the defaults filled in: <data>/tiers/standard_ia, <data>/tiers/glacier.
TierFolders resolved_tier_folders(const std::filesystem::path& data_dir, const TierFolders& tiers);

// An S3 blob store's keys: the settings' own, else $AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY
// and $AWS_SESSION_TOKEN. InvalidArgument when neither gives both keys.
struct BlobCredentials {
  std::string access_key;
  std::string secret_key;
  std::string session_token;
};
Result<BlobCredentials> blob_credentials(const BlobSettings& settings);

struct StoreOptions {
  TierFolders tiers;
  // The master key is read from master_key_path(data_dir, master_key_file) (app/master_key.h).
  std::filesystem::path master_key_file;
  // Bodies in an S3 bucket when blob.url is set, else in the data folder.
  BlobSettings blob;
  // Metadata in PostgreSQL when set (Config::meta_url), else SQLite in <data>/meta.db. The
  // PostgreSQL store has no object cache and reports no group commits (`commits`, the
  // object cache options and `full_disk` are SQLite's).
  std::string meta_url;
  // How the metadata store copes with a full disk (the server's SpaceReserve).
  meta::FullDiskPolicy full_disk;
  // Told of every metadata group commit (optional; must outlive the stores).
  meta::CommitObserver* commits = nullptr;
  // Told of the steps of a schema upgrade while the metadata store opens (optional;
  // app/migration_report.h draws or logs them).
  meta::MigrationCallback on_migration;
  // The metadata store's cache of current versions (a server's `[storage] object_cache_mib`);
  // 0, the default, for the CLI's short-lived processes.
  size_t object_cache_bytes = 0;
  std::atomic<uint64_t>* object_changes = nullptr;  // SqliteOptions::object_changes (optional)
};

// Creates the folder (mode 0700) and the master key as needed, and opens both stores. The
// blob store is tiered: STANDARD in the data folder's blobs/ (or the S3 bucket's
// PREFIX/blobs/), a folder (or a prefix) per colder class. An S3 bucket is checked with
// HeadBucket before the stores are returned.
Result<Stores> open_stores(const std::filesystem::path& data_dir, StoreOptions options = {});

// Root credentials from CLOUDVAULT_ROOT_ACCESS_KEY / CLOUDVAULT_ROOT_SECRET_KEY when both are
// set; InvalidArgument when only one is.
Result<std::optional<auth::Credentials>> root_credentials_from_env();

// Writes the root credentials file (mode 0600) so `make run` can show them again; a file
// that holds them already is left as it is.
Status save_root_credentials(const std::filesystem::path& data_dir,
                             const auth::Credentials& credentials);

}  // namespace cv::app
