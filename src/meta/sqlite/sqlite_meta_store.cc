// SqliteMetaStore: the SqlMetaStore (meta/sql/sql_meta_store.h) of SQLite: changes on one
// writer thread (group commit), queries on a reader pool, current versions from the object
// cache.
#include "meta/sqlite/sqlite_meta_store.h"

#include <algorithm>
#include <cstring>

#include "meta/sql/sql_meta_store.h"
#include "meta/sqlite/group_commit_writer.h"
#include "meta/sqlite/migrations.h"
#include "meta/sqlite/object_cache.h"
#include "meta/sqlite/reader_pool.h"

namespace cv::meta {
namespace {

using sqlite::Connection;

// What keeps the object cache exact (sqlite/object_cache.h): the rows of `objects` the
// writer connection changed in a batch, collected by SQLite's update hook, and the
// connection's data_version last seen. Writer thread only.
struct ObjectCacheFeed {
  ObjectCacheFeed(size_t max_bytes, std::atomic<uint64_t>* changes)
      : cache(max_bytes), changes(changes) {}
  sqlite::ObjectCache cache;
  std::atomic<uint64_t>* const changes;  // SqliteOptions::object_changes
  std::vector<int64_t> changed_rows;
  int64_t data_version = -1;

  static void note_change(void* feed, int, const char*, const char* table, sqlite3_int64 row) {
    if (std::strcmp(table, "objects") == 0) {
      static_cast<ObjectCacheFeed*>(feed)->changed_rows.push_back(row);
    }
  }
  void after_batch() {
    if (changed_rows.empty()) return;
    if (changes != nullptr) changes->fetch_add(1);
    cache.forget_rows(changed_rows);
    changed_rows.clear();
  }
  // Another process committed since the last look: its changes are unknown, drop everything.
  void look_for_other_writers(Connection& db) {
    auto stmt = db.prepare("PRAGMA data_version");
    if (!stmt) return cache.forget_all();
    auto row = stmt->step();
    if (!row || !*row) return cache.forget_all();
    const int64_t version = stmt->column_int(0);
    if (data_version != -1 && version != data_version) cache.forget_all();
    data_version = version;
  }
};

class SqliteMetaStore final : public SqlMetaStore {
 public:
  SqliteMetaStore(std::unique_ptr<ObjectCacheFeed> objects,
                  std::unique_ptr<sqlite::GroupCommitWriter> writer,
                  std::unique_ptr<sqlite::ReaderPool> readers)
      : objects_(std::move(objects)), writer_(std::move(writer)), readers_(std::move(readers)) {}

 protected:
  Status run_write(Work change, bool frees_space) override {
    return writer_->execute(change, frees_space ? sqlite::SpaceUse::kFrees
                                                : sqlite::SpaceUse::kTakes);
  }
  Status run_read(Work query) override {
    auto lease = readers_->checkout();
    return query(*lease);
  }
  // From the object cache (sqlite/object_cache.h), filled from the reader that missed.
  Result<std::optional<ObjectVersion>> current_object(std::string_view bucket,
                                                      std::string_view key) override {
    sqlite::ObjectCache& cache = objects_->cache;
    if (auto cached = cache.find(bucket, key)) return std::optional<ObjectVersion>(*cached);
    const uint64_t ticket = cache.ticket();
    auto row = CV_TRY(
        read([&](Connection& db) { return sqlite::read_current_object_row(db, bucket, key); }));
    if (!row) return std::optional<ObjectVersion>();
    auto version = std::make_shared<const ObjectVersion>(std::move(row->version));
    cache.fill(ticket, row->row_id, version);
    return std::optional<ObjectVersion>(*version);
  }

 private:
  // Destroyed in reverse order: the readers, then the writer (draining its queue), then the
  // object cache the writer keeps exact.
  std::unique_ptr<ObjectCacheFeed> objects_;
  std::unique_ptr<sqlite::GroupCommitWriter> writer_;
  std::unique_ptr<sqlite::ReaderPool> readers_;
};

}  // namespace

Result<std::unique_ptr<MetaStore>> open_sqlite_meta_store(const SqliteOptions& options) {
  auto connection = CV_TRY(sqlite::SqliteConnection::open(options.path, /*create=*/true,
                                                    /*read_only=*/false));
  sqlite::MigrationStepCallback after_step;
  if (options.on_migration) {
    after_step = [&options](int from_version, int to_version, size_t applied, size_t pending) {
      options.on_migration(MigrationProgress{from_version, to_version, applied, pending});
    };
  }
  CV_TRY(sqlite::migrate(*connection, after_step));
  // The writer's page cache: 4 MiB. Its hot pages are the b-trees' right edges and the
  // pages a batch touches; the operating system's page cache holds the rest. 16 MiB (the
  // connections' default) cost 11 MiB of the 4 KiB phases' peak RSS and no PUT speed.
  CV_TRY(connection->execute_script("PRAGMA cache_size=-4096;"));
  auto readers = CV_TRY(sqlite::ReaderPool::open(options.path, options.reader_connections));
  auto objects =
      std::make_unique<ObjectCacheFeed>(options.object_cache_bytes, options.object_changes);
  sqlite::WriterHooks hooks;
  if (options.object_cache_bytes > 0 || options.object_changes != nullptr) {
    sqlite3_update_hook(connection->handle(), &ObjectCacheFeed::note_change, objects.get());
    hooks.after_batch = [feed = objects.get()] { feed->after_batch(); };
  }
  if (options.object_cache_bytes > 0) {
    hooks.between_batches = [feed = objects.get()](Connection& db) {
      feed->look_for_other_writers(db);
    };
    hooks.between_batches_interval = sqlite::ObjectCache::kOtherWritersInterval;
  }
  auto writer = std::make_unique<sqlite::GroupCommitWriter>(
      std::move(connection), options.max_batch, options.full_disk, options.commits,
      std::move(hooks));
  return std::unique_ptr<MetaStore>(std::make_unique<SqliteMetaStore>(
      std::move(objects), std::move(writer), std::move(readers)));
}

}  // namespace cv::meta
