// The SQLite store's cache of current versions: the cache alone (tickets, forgetting, the
// byte budget, CLOCK eviction), then the store with it (another process's writes, and a
// version read right after its write is that version, under concurrent readers).
#include "meta/sqlite/object_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "meta/sqlite/sqlite_meta_store.h"
#include "meta_store_conformance.h"

namespace cv::meta {
namespace {

using conformance::make_object;
using conformance::ScopedTempDir;
using sqlite::ObjectCache;

std::shared_ptr<const ObjectVersion> version_of(const std::string& key, std::string body = "body") {
  return std::make_shared<const ObjectVersion>(make_object("b", key, std::move(body)));
}

TEST(ObjectCache, KeepsAFillAndAnswersIt) {
  ObjectCache cache(1 << 20);
  EXPECT_EQ(cache.find("b", "k"), nullptr);
  cache.fill(cache.ticket(), 7, version_of("k", "hello"));
  const auto found = cache.find("b", "k");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->inline_data, "hello");
  EXPECT_EQ(cache.find("b", "other"), nullptr);
  EXPECT_EQ(cache.find("c", "k"), nullptr);
  const auto stats = cache.stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 3u);
}

TEST(ObjectCache, ForgettingARowDropsItsEntryOnly) {
  ObjectCache cache(1 << 20);
  cache.fill(cache.ticket(), 1, version_of("one"));
  cache.fill(cache.ticket(), 2, version_of("two"));
  const std::vector<int64_t> rows{1, 99};
  cache.forget_rows(rows);
  EXPECT_EQ(cache.find("b", "one"), nullptr);
  EXPECT_NE(cache.find("b", "two"), nullptr);
  cache.forget_all();
  EXPECT_EQ(cache.find("b", "two"), nullptr);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(ObjectCache, AFillOlderThanAForgetOfItsRowIsNotKept) {
  ObjectCache cache(1 << 20);
  const uint64_t before = cache.ticket();
  const std::vector<int64_t> rows{5};
  cache.forget_rows(rows);  // a commit changed row 5 after the reader took its ticket
  cache.fill(before, 5, version_of("k"));
  EXPECT_EQ(cache.find("b", "k"), nullptr);
  // Another row's forget says nothing about this one (unless they share a stripe).
  const uint64_t later = cache.ticket();
  const std::vector<int64_t> other{6};
  cache.forget_rows(other);
  cache.fill(later, 5, version_of("k"));
  EXPECT_NE(cache.find("b", "k"), nullptr);
  // A ticket taken after the forget is good.
  cache.fill(cache.ticket(), 6, version_of("six"));
  EXPECT_NE(cache.find("b", "six"), nullptr);
}

TEST(ObjectCache, AFillOlderThanForgetAllIsNotKept) {
  ObjectCache cache(1 << 20);
  const uint64_t before = cache.ticket();
  cache.forget_all();
  cache.fill(before, 1, version_of("k"));
  EXPECT_EQ(cache.find("b", "k"), nullptr);
}

TEST(ObjectCache, ANewRowForAKeyReplacesItsEntry) {
  ObjectCache cache(1 << 20);
  cache.fill(cache.ticket(), 1, version_of("k", "old"));
  cache.fill(cache.ticket(), 2, version_of("k", "new"));
  EXPECT_EQ(cache.find("b", "k")->inline_data, "new");
  EXPECT_EQ(cache.stats().entries, 1u);
  const std::vector<int64_t> old_row{1};
  cache.forget_rows(old_row);  // the old row's forget no longer concerns the key
  EXPECT_NE(cache.find("b", "k"), nullptr);
}

TEST(ObjectCache, StaysWithinItsBudgetAndKeepsWhatIsLookedUp) {
  const size_t entry = ObjectCache::estimated_bytes(*version_of("k000", std::string(4096, 'x')));
  ObjectCache cache(entry * 20);
  for (int i = 0; i < 10; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "k%03d", i);
    cache.fill(cache.ticket(), i, version_of(key, std::string(4096, 'x')));
  }
  ASSERT_NE(cache.find("b", "k003"), nullptr);  // referenced: survives the hand's first pass
  for (int i = 10; i < 200; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "k%03d", i);
    cache.fill(cache.ticket(), i, version_of(key, std::string(4096, 'x')));
    ASSERT_LE(cache.stats().bytes, entry * 20);
    if (i < 25) ASSERT_NE(cache.find("b", "k003"), nullptr) << i;
  }
  EXPECT_GE(cache.stats().entries, 15u);
  EXPECT_NE(cache.find("b", "k199"), nullptr);
  EXPECT_EQ(cache.find("b", "k000"), nullptr);
}

TEST(ObjectCache, AnEntryOverASixteenthOfTheBudgetIsNotKept) {
  ObjectCache cache(16 * 4096);
  cache.fill(cache.ticket(), 1, version_of("big", std::string(8192, 'x')));
  EXPECT_EQ(cache.find("b", "big"), nullptr);
  ObjectCache off(0);
  off.fill(off.ticket(), 1, version_of("k"));
  EXPECT_EQ(off.find("b", "k"), nullptr);
}

std::unique_ptr<MetaStore> open_store(const std::filesystem::path& file) {
  auto store = open_sqlite_meta_store(SqliteOptions{file});
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

std::string body_of(MetaStore& store, const std::string& key) {
  auto object = store.get_object("b", key, "");
  if (!object) return "error: " + object.error().message;
  return *object ? (*object)->inline_data : "absent";
}

// Another process's write (here: a second store on the same file, whose writer is another
// connection) is seen within the look interval, though this store's cache held the key.
TEST(SqliteObjectCache, AnotherWritersChangeIsSeenWithinTheInterval) {
  ScopedTempDir dir;
  auto server = open_store(dir.path() / "meta.db");
  auto other = open_store(dir.path() / "meta.db");
  ASSERT_TRUE(server && other);
  ASSERT_TRUE(server->create_bucket(Bucket{"b", conformance::kOwner, "r", 1}));
  ASSERT_TRUE(server->put_object(make_object("b", "k", "first"), std::nullopt));
  ASSERT_EQ(body_of(*server, "k"), "first");  // now cached
  ASSERT_TRUE(other->put_object(make_object("b", "k", "second"), std::nullopt));
  ASSERT_TRUE(other->put_object(make_object("b", "gone", "x"), std::nullopt));
  ASSERT_EQ(body_of(*server, "gone"), "x");
  ASSERT_TRUE(other->delete_object("b", "gone", ""));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((body_of(*server, "k") != "second" || body_of(*server, "gone") != "absent") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(body_of(*server, "k"), "second");
  EXPECT_EQ(body_of(*server, "gone"), "absent");
}

// Every change this store makes is visible to the next read, whatever readers race it:
// overwrites, tags, a delete (the older version becomes current), a delete marker.
TEST(SqliteObjectCache, AReadAfterAWriteSeesTheWriteUnderConcurrentReaders) {
  ScopedTempDir dir;
  auto store = open_store(dir.path() / "meta.db");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_bucket(Bucket{"b", conformance::kOwner, "r", 1}));
  ASSERT_TRUE(store->put_object(make_object("b", "k", "0"), std::nullopt));
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) (void)store->get_object("b", "k", "");
    });
  }
  for (int i = 1; i <= 300; ++i) {
    const std::string body = std::to_string(i);
    ASSERT_TRUE(store->put_object(make_object("b", "k", body), std::nullopt));
    ASSERT_EQ(body_of(*store, "k"), body) << "after put " << i;
    ASSERT_TRUE(store->put_object_tags("b", "k", "", StringPairs{{"n", body}}));
    auto tagged = store->get_object("b", "k", "");
    ASSERT_TRUE(tagged && *tagged);
    ASSERT_EQ((*tagged)->tags, (StringPairs{{"n", body}})) << "after tagging " << i;
  }
  // Versions: deleting the current one makes the older current; a marker hides both.
  ObjectVersion first = make_object("b", "v", "first");
  first.version_id = "v1";
  ObjectVersion second = make_object("b", "v", "second");
  second.version_id = "v2";
  ASSERT_TRUE(store->put_object(first, std::nullopt));
  ASSERT_TRUE(store->put_object(second, std::nullopt));
  ASSERT_EQ(body_of(*store, "v"), "second");
  ASSERT_TRUE(store->delete_object("b", "v", "v2"));
  ASSERT_EQ(body_of(*store, "v"), "first");
  ObjectVersion marker = make_object("b", "v", "");
  marker.version_id = "v3";
  marker.is_delete_marker = true;
  ASSERT_TRUE(store->put_object(marker, std::nullopt));
  auto current = store->get_object("b", "v", "");
  ASSERT_TRUE(current && *current);
  EXPECT_TRUE((*current)->is_delete_marker);
  stop = true;
  for (auto& reader : readers) reader.join();
}

}  // namespace
}  // namespace cv::meta
