// The SQLite MetaStore: the conformance suite plus what is specific to SQLite (files,
// schema versions, group commit under load).
#include "meta/sqlite/sqlite_meta_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "meta/sqlite/migrations.h"
#include "meta_store_conformance.h"

namespace cv::meta {
namespace {

using conformance::make_blob_object;
using conformance::make_object;
using conformance::MetaStoreConformance;
using conformance::ScopedTempDir;

std::unique_ptr<MetaStore> open_store(const std::filesystem::path& dir) {
  auto store = open_sqlite_meta_store(SqliteOptions{dir / "meta.db"});
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MetaStoreConformance,
                         ::testing::Values(conformance::MetaStoreImplementation{"Sqlite",
                                                                                open_store}),
                         conformance::conformance_test_name);

int read_user_version(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  int version = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return version;
}

void run_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(SqliteMetaStore, ReopeningKeepsEverything) {
  ScopedTempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->create_bucket(Bucket{"b", std::string(64, 'a'), "r", 1}));
    ASSERT_TRUE(store->put_object(make_object("b", "k", "persisted")));
    ASSERT_TRUE(store->put_object(make_blob_object("b", "gone", {"blob-x"})));
    ASSERT_TRUE(store->delete_object("b", "gone", ""));
    ASSERT_TRUE(store->put_bucket_config("b", "cors", "doc"));
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto object = store->get_object("b", "k", "");
  ASSERT_TRUE(object && object->has_value());
  EXPECT_EQ((*object)->inline_data, "persisted");
  EXPECT_EQ(store->get_bucket_config("b", "cors")->value(), "doc");
  EXPECT_EQ(store->take_garbage(10).value(), std::vector<std::string>{"blob-x"});
}

TEST(SqliteMetaStore, NewDatabaseHasTheLatestSchemaVersion) {
  ScopedTempDir dir;
  ASSERT_TRUE(open_store(dir.path()));
  EXPECT_EQ(read_user_version(dir.path() / "meta.db"), sqlite::latest_schema_version());
  // Steps start at 1 and are numbered in increasing order (issue 14's parts were given
  // their numbers up front, so a branch may hold a later one without the ones between).
  int previous = 0;
  for (const auto& step : sqlite::schema_migrations()) {
    EXPECT_GT(step.version, previous);
    if (previous == 0) EXPECT_EQ(step.version, 1);
    previous = step.version;
  }
}

TEST(SqliteMetaStore, RefusesADatabaseFromANewerProgram) {
  ScopedTempDir dir;
  ASSERT_TRUE(open_store(dir.path()));
  std::string bump = "PRAGMA user_version=" + std::to_string(sqlite::latest_schema_version() + 1);
  run_sql(dir.path() / "meta.db", bump.c_str());
  auto store = open_sqlite_meta_store(SqliteOptions{dir.path() / "meta.db"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInternalError);
}

TEST(SqliteMetaStore, MigratesAnOlderDatabase) {
  ScopedTempDir dir;
  // A database at version 0 with no tables: every step applies.
  run_sql(dir.path() / "meta.db", "PRAGMA user_version=0");
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->create_bucket(Bucket{"b", "o", "r", 1}));
  EXPECT_EQ(read_user_version(dir.path() / "meta.db"), sqlite::latest_schema_version());
}

// Upgrading reports each step in order; an up-to-date or a new database reports nothing.
TEST(SqliteMetaStore, ReportsTheStepsOfAnUpgrade) {
  ScopedTempDir dir;
  const auto file = dir.path() / "meta.db";
  run_sql(file, sqlite::schema_migrations()[0].sql);
  run_sql(file, "PRAGMA user_version=1");
  std::vector<MigrationProgress> seen;
  SqliteOptions options{file};
  options.on_migration = [&](const MigrationProgress& progress) { seen.push_back(progress); };
  ASSERT_TRUE(open_sqlite_meta_store(options));
  const size_t pending = sqlite::schema_migrations().size() - 1;
  ASSERT_EQ(seen.size(), pending);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].applied, i + 1);
    EXPECT_EQ(seen[i].pending, pending);
    EXPECT_EQ(seen[i].from_version, 1);
    EXPECT_EQ(seen[i].to_version, sqlite::latest_schema_version());
  }
  EXPECT_EQ(read_user_version(file), sqlite::latest_schema_version());

  seen.clear();
  ASSERT_TRUE(open_sqlite_meta_store(options));  // up to date now
  EXPECT_TRUE(seen.empty());
  options.path = dir.path() / "new.db";
  ASSERT_TRUE(open_sqlite_meta_store(options));  // created, not migrated
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(read_user_version(options.path), sqlite::latest_schema_version());
}

// A version-1 database (before created_seq) whose key "k" already has a noncurrent
// version: after the upgrade the history keeps its order and grows correctly.
TEST(SqliteMetaStore, MigratesVersionHistoriesFromSchemaVersion1) {
  ScopedTempDir dir;
  const auto file = dir.path() / "meta.db";
  run_sql(file, sqlite::schema_migrations()[0].sql);
  run_sql(file,
          "PRAGMA user_version=1;"
          "INSERT INTO buckets VALUES('b', 'o', 'r', 1);"
          "INSERT INTO objects(id, bucket, key, version_id, is_latest, is_delete_marker, size, "
          "etag, mtime_ns, owner_id, storage_class, content_type, checksum_algorithm, "
          "checksum_value, parts_count, inline_data) VALUES"
          "(7, 'b', CAST('k' AS BLOB), 'v-old', 0, 0, 3, 'e', 1, 'o', 'STANDARD', '', '', '', "
          "0, CAST('old' AS BLOB)),"
          "(3, 'b', CAST('k' AS BLOB), 'v-cur', 1, 0, 3, 'e', 1, 'o', 'STANDARD', '', '', '', "
          "0, CAST('cur' AS BLOB)),"
          "(5, 'b', CAST('m' AS BLOB), 'null', 1, 0, 1, 'e', 1, 'o', 'STANDARD', '', '', '', "
          "0, CAST('m' AS BLOB));");
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(read_user_version(file), sqlite::latest_schema_version());

  auto history = [&] {
    std::vector<std::string> listed;
    auto page = store->list_object_versions(ListVersionsQuery{"b", "", "", "", "", 100});
    EXPECT_TRUE(page);
    for (const auto& v : page->versions) {
      listed.push_back(v.key + "@" + v.version_id + (v.is_latest ? "*" : ""));
    }
    return listed;
  };
  EXPECT_EQ(history(), (std::vector<std::string>{"k@v-cur*", "k@v-old", "m@null*"}));
  EXPECT_EQ((*store->get_object("b", "k", ""))->inline_data, "cur");
  // Migration 15 counted the rows already there (its backfill); the triggers follow changes.
  auto usage = [&] {
    auto rows = store->storage_usage();
    EXPECT_TRUE(rows);
    EXPECT_EQ(rows->size(), 1u);
    const StorageUsage row = rows->empty() ? StorageUsage{} : rows->front();
    EXPECT_EQ(row.bucket + "/" + row.storage_class, "b/STANDARD");
    return std::vector<uint64_t>{row.objects, row.bytes, row.noncurrent_versions,
                                 row.noncurrent_bytes, row.delete_markers};
  };
  EXPECT_EQ(usage(), (std::vector<uint64_t>{2, 4, 1, 3, 0}));

  ObjectVersion newer = make_object("b", "k", "new");
  newer.version_id = "v-new";
  ASSERT_TRUE(store->put_object(newer));
  ASSERT_TRUE(store->put_object(make_object("b", "m", "m2")));
  EXPECT_EQ(history(), (std::vector<std::string>{"k@v-new*", "k@v-cur", "k@v-old", "m@null*"}));
  ASSERT_TRUE(store->delete_object("b", "k", "v-new"));
  EXPECT_EQ((*store->get_object("b", "k", ""))->version_id, "v-cur");
  ASSERT_TRUE(store->delete_object("b", "k", "v-cur"));
  EXPECT_EQ((*store->get_object("b", "k", ""))->version_id, "v-old");
  EXPECT_EQ((*store->get_object("b", "m", ""))->inline_data, "m2");
  EXPECT_EQ(usage(), (std::vector<uint64_t>{2, 5, 0, 0, 0}));
}

// A version-16 store whose trail records carry their file_id (one file written, one claimed
// but unwritten, two records unfiled): after the upgrade each file holds the same records as
// a seq range, the unwritten one is still there to write again, and the unfiled records are
// the backlog the next claim takes.
TEST(SqliteMetaStore, MigratesPendingTrailRecordsToSeqRanges) {
  ScopedTempDir dir;
  const auto file = dir.path() / "meta.db";
  for (const auto& step : sqlite::schema_migrations()) {
    if (step.version > 16) break;
    run_sql(file, step.sql);
  }
  std::string rows =
      "PRAGMA user_version=16;"
      "INSERT INTO trail_files(id, key, created_ns, record_count, written, sha256, "
      "oldest_event_ns, newest_event_ns) VALUES(1, 'k1', 10, 2, 1, 'h1', 1, 2),"
      "(2, 'k2', 20, 1, 0, '', 0, 0);";
  for (int seq = 1; seq <= 5; ++seq) {
    const std::string file_id = seq <= 2 ? "1" : seq == 3 ? "2" : "NULL";
    rows += "INSERT INTO trail_records(seq, event_time_ns, event_id, event_source, event_name, "
            "user_name, access_key_id, bucket, key, error_code, read_only, record, file_id) "
            "VALUES(" + std::to_string(seq) + ", " + std::to_string(seq * 100) + ", 'id-" +
            std::to_string(seq) + "', 's3.amazonaws.com', 'GetObject', '" +
            (seq == 4 ? "bob" : "alice") + "', 'AK', 'b', CAST('k' AS BLOB), '', 1, '{\"n\":" +
            std::to_string(seq) + "}', " + file_id + ");";
  }
  run_sql(file, rows.c_str());
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(read_user_version(file), sqlite::latest_schema_version());

  auto jsons = [&](int64_t file_id) {
    std::vector<std::string> out;
    for (const auto& record : store->trail_file_records(file_id, 0, 1000000).value()) {
      out.push_back(record.record_json);
    }
    return out;
  };
  EXPECT_EQ(jsons(1), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  auto unwritten = store->unwritten_trail_files();
  ASSERT_TRUE(unwritten);
  ASSERT_EQ(unwritten->size(), 1u);
  EXPECT_EQ(unwritten->at(0).key, "k2");
  EXPECT_EQ(unwritten->at(0).first_seq, 3);
  EXPECT_EQ(unwritten->at(0).last_seq, 3);
  EXPECT_EQ(jsons(2), std::vector<std::string>{R"({"n":3})"});
  auto backlog = store->trail_backlog(100);
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->records, 2u);
  EXPECT_EQ(backlog->oldest_event_ns, 400);
  auto claimed = store->claim_trail_file("k3", 30, 100);
  ASSERT_TRUE(claimed && claimed->has_value());
  EXPECT_EQ(jsons((*claimed)->id), (std::vector<std::string>{R"({"n":4})", R"({"n":5})"}));
  auto bob = store->lookup_trail(TrailQuery{.user_name = "bob"});
  ASSERT_TRUE(bob);
  ASSERT_EQ(bob->records.size(), 1u);
  EXPECT_EQ(bob->records[0].event_id, "id-4");
  ASSERT_TRUE(store->append_trail_records({bob->records[0]}));  // appends after the upgrade
  EXPECT_EQ(store->trail_backlog(100)->records, 1u);
}

// Two processes' stores on one file claiming while records are appended: disjoint ranges.
TEST(SqliteMetaStore, TwoStoresOnOneFileNeverClaimTheSameTrailRecord) {
  ScopedTempDir dir;
  auto server = open_store(dir.path());
  auto cli = open_store(dir.path());
  ASSERT_TRUE(server && cli);
  std::vector<TrailRecord> batch(20);
  for (size_t n = 0; n < batch.size(); ++n) {
    batch[n].event_time_ns = static_cast<int64_t>(n) + 1;
    batch[n].event_id = "id-" + std::to_string(n);
    batch[n].record_json = "{}";
  }
  std::atomic<bool> appending{true};
  std::thread appender([&] {
    for (int round = 0; round < 10; ++round) EXPECT_TRUE(server->append_trail_records(batch));
    appending = false;
  });
  std::vector<std::vector<TrailLogFile>> files(2);
  std::vector<std::thread> claimers;
  for (int t = 0; t < 2; ++t) {
    claimers.emplace_back([&, t] {
      MetaStore& store = t == 0 ? *server : *cli;
      for (int i = 0;; ++i) {
        const bool last_round = !appending;
        auto file = store.claim_trail_file("p" + std::to_string(t) + "-" + std::to_string(i), i,
                                           7);
        ASSERT_TRUE(file) << file.error().message;
        if (file->has_value()) {
          files[t].push_back(**file);
        } else if (last_round) {
          return;
        }
      }
    });
  }
  appender.join();
  for (auto& claimer : claimers) claimer.join();
  std::vector<TrailLogFile> all = files[0];
  all.insert(all.end(), files[1].begin(), files[1].end());
  std::sort(all.begin(), all.end(),
            [](const TrailLogFile& a, const TrailLogFile& b) { return a.first_seq < b.first_seq; });
  uint64_t total = 0;
  int64_t previous_last = 0;
  for (const TrailLogFile& file : all) {
    EXPECT_GT(file.first_seq, previous_last);
    previous_last = file.last_seq;
    total += file.record_count;
  }
  EXPECT_EQ(total, 200u);
  EXPECT_FALSE(files[0].empty() && files[1].empty());
}

TEST(SqliteMetaStore, FailsOnAnUnopenablePath) {
  ScopedTempDir dir;
  auto store = open_sqlite_meta_store(SqliteOptions{dir.path() / "missing-dir" / "meta.db"});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInternalError);
}

// 32 clients x 200 PUTs through group commit: all succeed and all are readable. Prints the
// elapsed time (a rough measurement, not an assertion).
TEST(SqliteMetaStore, GroupCommitUnderConcurrentPuts) {
  ScopedTempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_bucket(Bucket{"b", std::string(64, 'a'), "r", 1}));
  constexpr int kClients = 32;
  constexpr int kPutsEach = 200;
  const std::string body(4096, 'x');
  std::atomic<int> failures{0};
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kPutsEach; ++i) {
        std::string key = "client-" + std::to_string(c) + "/object-" + std::to_string(i);
        if (!store->put_object(make_object("b", key, body))) ++failures;
      }
    });
  }
  for (auto& client : clients) client.join();
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  std::printf("[ measure  ] %d durable 4 KiB puts from %d threads: %.3f s (%.0f puts/s)\n",
              kClients * kPutsEach, kClients, elapsed.count(),
              kClients * kPutsEach / elapsed.count());
  ASSERT_EQ(failures.load(), 0);

  started = std::chrono::steady_clock::now();
  for (int c = 0; c < kClients; ++c) {
    for (int i = 0; i < kPutsEach; ++i) {
      std::string key = "client-" + std::to_string(c) + "/object-" + std::to_string(i);
      auto object = store->get_object("b", key, "");
      ASSERT_TRUE(object && object->has_value()) << key;
      ASSERT_EQ((*object)->inline_data.size(), 4096u);
    }
  }
  elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  std::printf("[ measure  ] %d point reads from one thread: %.3f s (%.0f reads/s)\n",
              kClients * kPutsEach, elapsed.count(), kClients * kPutsEach / elapsed.count());
  auto usage = store->bucket_usage("b");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->objects, static_cast<uint64_t>(kClients * kPutsEach));
  EXPECT_EQ(usage->bytes, static_cast<uint64_t>(kClients * kPutsEach * 4096));
}

}  // namespace
}  // namespace cv::meta
