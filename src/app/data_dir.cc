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
#include "meta/postgres/pg_pool.h"
#include "meta/postgres/postgres_meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "remote/s3_blob_store.h"

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

Result<BlobCredentials> blob_credentials(const BlobSettings& settings) {
  if (!settings.access_key.empty()) {
    return BlobCredentials{settings.access_key, settings.secret_key, ""};
  }
  const char* access = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  const char* token = std::getenv("AWS_SESSION_TOKEN");
  if (!access || !secret || !*access || !*secret) {
    return fail(ErrorCode::kInvalidArgument,
                "the S3 blob store needs keys: [storage.blob] access_key and secret_key, or "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  }
  return BlobCredentials{access, secret, token ? token : ""};
}

namespace {

Status create_folder(const std::filesystem::path& folder, std::string_view what) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    return fail(ErrorCode::kInternalError,
                "cannot create " + std::string(what) + " " + folder.string() + ": " + ec.message());
  }
  return {};
}

// A tier's store: its configured folder, else the default's kind of store (a folder under
// <data>/tiers/, or `name`/ under the S3 prefix).
Result<std::unique_ptr<blob::BlobStore>> open_tier(
    const std::filesystem::path& configured, const std::filesystem::path& default_folder,
    const std::shared_ptr<remote::RemoteS3Client>& client, const remote::S3BlobUrl* url,
    std::string_view name) {
  if (configured.empty() && client) {
    return std::unique_ptr<blob::BlobStore>(std::make_unique<remote::S3BlobStore>(
        client, url->bucket, url->prefix + std::string(name) + "/"));
  }
  const auto& folder = configured.empty() ? default_folder : configured;
  CV_TRY(create_folder(folder, "tier folder"));
  return blob::open_local_blob_store(folder);
}

}  // namespace

Result<Stores> open_stores(const std::filesystem::path& data_dir, StoreOptions options) {
  CV_TRY(create_folder(data_dir, "data folder"));
  ::chmod(data_dir.c_str(), 0700);
  Stores stores;
  stores.master_key =
      CV_TRY(load_or_create_master_key(master_key_path(data_dir, options.master_key_file)));
  meta::SqliteOptions sqlite;
  sqlite.path = data_dir / "meta.db";
  sqlite.full_disk = std::move(options.full_disk);
  sqlite.commits = options.commits;
  sqlite.on_migration = std::move(options.on_migration);
  sqlite.object_cache_bytes = options.object_cache_bytes;
  sqlite.object_changes = options.object_changes;

  std::unique_ptr<blob::BlobStore> standard;
  std::shared_ptr<remote::RemoteS3Client> client;
  std::optional<remote::S3BlobUrl> url;
  if (options.blob.url.empty()) {
    standard = CV_TRY(blob::open_local_blob_store(data_dir));
    stores.blob_location = (data_dir / "blobs").string();
  } else {
    url = CV_TRY(remote::parse_s3_blob_url(options.blob.url));
    const BlobCredentials keys = CV_TRY(blob_credentials(options.blob));
    stores.clock = std::make_unique<SystemClock>();
    client = CV_TRY(remote::make_blob_client(*url, keys.access_key, keys.secret_key,
                                             keys.session_token, *stores.clock));
    auto s3 = std::make_unique<remote::S3BlobStore>(client, url->bucket, url->prefix + "blobs/");
    CV_TRY(s3->check_reachable());
    standard = std::move(s3);
    remote::S3BlobUrl standard_location = *url;
    standard_location.prefix += "blobs/";
    stores.blob_location = remote::to_string(standard_location);
  }
  auto tiered = std::make_unique<blob::TieredBlobStore>(std::move(standard));
  const TierFolders defaults = resolved_tier_folders(data_dir, {});
  const remote::S3BlobUrl* s3_url = url ? &*url : nullptr;
  tiered->add_location("STANDARD_IA", CV_TRY(open_tier(options.tiers.standard_ia,
                                                       defaults.standard_ia, client, s3_url,
                                                       "standard_ia")));
  tiered->add_location("GLACIER", CV_TRY(open_tier(options.tiers.glacier, defaults.glacier,
                                                   client, s3_url, "glacier")));
  if (options.meta_url.empty()) {
    stores.meta = CV_TRY(meta::open_sqlite_meta_store(sqlite));
    stores.meta_location = "SQLite " + sqlite.path.string();
  } else {
    meta::PostgresOptions postgres;
    postgres.conninfo = options.meta_url;
    postgres.on_migration = std::move(sqlite.on_migration);
    stores.meta = CV_TRY(meta::open_postgres_meta_store(postgres));
    stores.meta_location = "PostgreSQL " + meta::postgres::redact_conninfo(options.meta_url);
  }
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
