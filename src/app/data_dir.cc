#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <chrono>
#include <iterator>
#include <thread>

#include "app/master_key.h"
#include "blob/local/local_blob_store.h"
#include "blob/tiered_blob_store.h"
#include "core/hash.h"
#include "meta/sqlite/object_cache.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {

TierFolders resolved_tier_folders(const std::filesystem::path& data_dir, const TierFolders& tiers) {
  return {tiers.standard_ia.empty() ? data_dir / "tiers" / "standard_ia" : tiers.standard_ia,
          tiers.glacier.empty() ? data_dir / "tiers" / "glacier" : tiers.glacier};
}

ObjectChangeSettle::~ObjectChangeSettle() {
  if (changes.load() == 0) return;
  std::this_thread::sleep_for(meta::sqlite::ObjectCache::kOtherWritersInterval +
                              std::chrono::milliseconds(50));
}

Result<Stores> open_stores(const std::filesystem::path& data_dir, const TierFolders& tiers,
                           const std::filesystem::path& master_key_file,
                           meta::FullDiskPolicy full_disk, meta::CommitObserver* commits,
                           meta::MigrationCallback on_migration, size_t object_cache_bytes,
                           std::atomic<uint64_t>* object_changes) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return fail(ErrorCode::kInternalError,
                "cannot create data folder " + data_dir.string() + ": " + ec.message());
  }
  ::chmod(data_dir.c_str(), 0700);
  Stores stores;
  stores.master_key = CV_TRY(load_or_create_master_key(master_key_path(data_dir, master_key_file)));
  meta::SqliteOptions sqlite;
  sqlite.path = data_dir / "meta.db";
  sqlite.full_disk = std::move(full_disk);
  sqlite.commits = commits;
  sqlite.on_migration = std::move(on_migration);
  sqlite.object_cache_bytes = object_cache_bytes;
  sqlite.object_changes = object_changes;
  stores.meta = CV_TRY(meta::open_sqlite_meta_store(sqlite));
  auto tiered =
      std::make_unique<blob::TieredBlobStore>(CV_TRY(blob::open_local_blob_store(data_dir)));
  const auto [ia, glacier] = resolved_tier_folders(data_dir, tiers);
  for (const auto& folder : {ia, glacier}) {
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      return fail(ErrorCode::kInternalError,
                  "cannot create tier folder " + folder.string() + ": " + ec.message());
    }
  }
  tiered->add_location("STANDARD_IA", CV_TRY(blob::open_local_blob_store(ia)));
  tiered->add_location("GLACIER", CV_TRY(blob::open_local_blob_store(glacier)));
  stores.blobs = std::move(tiered);
  return stores;
}

Result<std::optional<auth::Credentials>> root_credentials_from_env() {
  const char* access = std::getenv("CLOUDVAULT_ROOT_ACCESS_KEY");
  const char* secret = std::getenv("CLOUDVAULT_ROOT_SECRET_KEY");
  if (!access && !secret) return std::optional<auth::Credentials>();
  if (!access || !secret || !*access || !*secret) {
    return fail(ErrorCode::kInvalidArgument,
                "set both CLOUDVAULT_ROOT_ACCESS_KEY and CLOUDVAULT_ROOT_SECRET_KEY, or neither");
  }
  return std::optional<auth::Credentials>(auth::Credentials{access, secret, ""});
}

Status save_root_credentials(const std::filesystem::path& data_dir,
                             const auth::Credentials& credentials) {
  const std::filesystem::path path = data_dir / "root.credentials";
  const std::string content = "access_key_id = " + credentials.access_key_id +
                              "\nsecret_key = " + credentials.secret_key + "\n";
  // Unchanged: nothing to write (a server restarting on a full disk gets this far).
  std::ifstream existing(path, std::ios::binary);
  if (existing && std::string(std::istreambuf_iterator<char>(existing), {}) == content) return {};
  return write_secret_file(path, content);
}

}  // namespace cv::app
