// The BlobStore contract (blob/blob_store.h), run against every implementation that
// instantiates BlobStoreConformanceTest (see blob_store_conformance.h).
#include "blob_store_conformance.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cv::blob::conformance {
namespace {

// Deterministic bytes that differ per seed and position (so misplaced chunks are caught).
std::string pattern(size_t size, uint64_t seed) {
  std::string out(size, '\0');
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < size; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    out[i] = static_cast<char>(state);
  }
  return out;
}

// Commits `body` (appended in pieces of at most `piece` bytes) and returns the id.
std::string put(BlobStore& store, std::string_view body, size_t piece = 1 << 20) {
  auto writer = store.create();
  EXPECT_TRUE(writer.has_value()) << writer.error().message;
  if (!writer) return {};
  for (size_t at = 0; at < body.size(); at += piece) {
    auto appended = (*writer)->append(body.substr(at, piece));
    EXPECT_TRUE(appended.has_value()) << appended.error().message;
  }
  EXPECT_EQ((*writer)->size(), body.size());
  auto id = (*writer)->commit();
  EXPECT_TRUE(id.has_value()) << id.error().message;
  return id ? *id : std::string();
}

// Reads a whole blob back in reads of `chunk` bytes.
std::string get(BlobStore& store, std::string_view id, size_t chunk = 1 << 20) {
  auto reader = store.open(id);
  EXPECT_TRUE(reader.has_value()) << reader.error().message;
  if (!reader) return {};
  std::string out;
  std::string buffer(chunk, '\0');
  while (true) {
    auto n = (*reader)->read_at(out.size(), buffer);
    EXPECT_TRUE(n.has_value()) << n.error().message;
    if (!n || *n == 0) break;
    out.append(buffer.data(), *n);
  }
  EXPECT_EQ(out.size(), (*reader)->size());
  return out;
}

std::vector<std::string> sorted_list(BlobStore& store) {
  auto ids = store.list();
  EXPECT_TRUE(ids.has_value()) << ids.error().message;
  if (!ids) return {};
  std::sort(ids->begin(), ids->end());
  return *ids;
}

TEST_P(BlobStoreConformanceTest, WriteCommitReadBack) {
  auto writer = store().create();
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->append("hello").has_value());
  ASSERT_TRUE((*writer)->append(" ").has_value());
  ASSERT_TRUE((*writer)->append("world").has_value());
  EXPECT_EQ((*writer)->size(), 11u);
  auto id = (*writer)->commit();
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_FALSE(id->empty());

  auto reader = store().open(*id);
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ((*reader)->size(), 11u);
  std::string buffer(100, '\0');
  auto n = (*reader)->read_at(0, buffer);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(buffer.substr(0, *n), "hello world");

  std::string five(5, '\0');
  n = (*reader)->read_at(6, five);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 5u);
  EXPECT_EQ(five, "world");

  n = (*reader)->read_at(9, buffer);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(buffer.substr(0, *n), "ld");
  n = (*reader)->read_at(11, buffer);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0u);
  n = (*reader)->read_at(1'000'000, buffer);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0u);
}

TEST_P(BlobStoreConformanceTest, EmptyBlob) {
  std::string id = put(store(), "");
  ASSERT_FALSE(id.empty());
  auto reader = store().open(id);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ((*reader)->size(), 0u);
  std::string buffer(16, '\0');
  auto n = (*reader)->read_at(0, buffer);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0u);
}

TEST_P(BlobStoreConformanceTest, IdsAreDistinct) {
  std::string a = put(store(), "same");
  std::string b = put(store(), "same");
  EXPECT_NE(a, b);
  EXPECT_EQ(get(store(), a), "same");
  EXPECT_EQ(get(store(), b), "same");
}

TEST_P(BlobStoreConformanceTest, WriterRefusesUseAfterCommit) {
  auto writer = store().create();
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->append("x").has_value());
  ASSERT_TRUE((*writer)->commit().has_value());
  EXPECT_FALSE((*writer)->append("y").has_value());
  EXPECT_FALSE((*writer)->commit().has_value());
}

TEST_P(BlobStoreConformanceTest, UncommittedWriterLeavesNothing) {
  {
    auto writer = store().create();
    ASSERT_TRUE(writer.has_value());
    ASSERT_TRUE((*writer)->append(pattern(100'000, 1)).has_value());
  }
  EXPECT_TRUE(sorted_list(store()).empty());
  EXPECT_EQ(harness().count_incomplete(), 0u);
}

TEST_P(BlobStoreConformanceTest, OpeningMissingBlobIsInternalError) {
  std::string id = put(store(), "gone soon");
  ASSERT_TRUE(store().remove(id).has_value());
  auto reader = store().open(id);
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
}

TEST_P(BlobStoreConformanceTest, RemoveIsIdempotent) {
  std::string keep = put(store(), "keep");
  std::string drop = put(store(), "drop");
  EXPECT_TRUE(store().remove(drop).has_value());
  EXPECT_TRUE(store().remove(drop).has_value());
  EXPECT_EQ(sorted_list(store()), std::vector<std::string>{keep});
  EXPECT_EQ(get(store(), keep), "keep");
}

TEST_P(BlobStoreConformanceTest, CopyRange) {
  const std::string body = pattern(1 << 20, 7);
  std::string source = put(store(), body);

  auto middle = store().copy_range(source, 1000, 5000);
  ASSERT_TRUE(middle.has_value()) << middle.error().message;
  EXPECT_NE(*middle, source);
  EXPECT_EQ(get(store(), *middle), body.substr(1000, 5000));

  auto whole = store().copy_range(source, 0, body.size());
  ASSERT_TRUE(whole.has_value()) << whole.error().message;
  EXPECT_EQ(get(store(), *whole), body);

  auto tail = store().copy_range(source, body.size() - 3, 3);
  ASSERT_TRUE(tail.has_value());
  EXPECT_EQ(get(store(), *tail), body.substr(body.size() - 3));

  auto empty = store().copy_range(source, body.size(), 0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(get(store(), *empty), "");

  EXPECT_FALSE(store().copy_range(source, body.size() - 3, 4).has_value());
  EXPECT_FALSE(store().copy_range(source, body.size() + 1, 0).has_value());

  // The source is untouched and the copies are independent of it.
  ASSERT_TRUE(store().remove(source).has_value());
  EXPECT_EQ(get(store(), *middle), body.substr(1000, 5000));
  EXPECT_EQ(sorted_list(store()).size(), 4u);
}

TEST_P(BlobStoreConformanceTest, ListReturnsCommittedBlobsOnly) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(put(store(), "blob " + std::to_string(i)));
  auto open_writer = store().create();
  ASSERT_TRUE(open_writer.has_value());
  ASSERT_TRUE((*open_writer)->append("not yet").has_value());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(sorted_list(store()), ids);
}

TEST_P(BlobStoreConformanceTest, RemoveIncompleteAfterCrash) {
  std::string committed = put(store(), "survivor");
  harness().simulate_crashed_writer();
  harness().simulate_crashed_writer();
  EXPECT_EQ(harness().count_incomplete(), 2u);
  EXPECT_EQ(sorted_list(store()), std::vector<std::string>{committed});

  ASSERT_TRUE(store().remove_incomplete().has_value());
  EXPECT_EQ(harness().count_incomplete(), 0u);
  EXPECT_EQ(get(store(), committed), "survivor");
  EXPECT_TRUE(store().remove_incomplete().has_value());
}

TEST_P(BlobStoreConformanceTest, ConcurrentWriters) {
  constexpr int kThreads = 8;
  constexpr int kBlobsPerThread = 25;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBlobsPerThread; ++i) {
        uint64_t seed = static_cast<uint64_t>(t * 1000 + i);
        ids[t].push_back(put(store(), pattern(1000 + (seed * 997) % 70'000, seed), 4096));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[t].size(), static_cast<size_t>(kBlobsPerThread));
    for (int i = 0; i < kBlobsPerThread; ++i) {
      uint64_t seed = static_cast<uint64_t>(t * 1000 + i);
      ASSERT_EQ(get(store(), ids[t][i], 8192), pattern(1000 + (seed * 997) % 70'000, seed))
          << "thread " << t << " blob " << i;
      all.insert(ids[t][i]);
    }
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kBlobsPerThread));
  EXPECT_EQ(sorted_list(store()), std::vector<std::string>(all.begin(), all.end()));
  EXPECT_EQ(harness().count_incomplete(), 0u);
}

TEST_P(BlobStoreConformanceTest, LargeBlobRoundTrip) {
  const std::string body = pattern(64 << 20, 64);
  // Odd piece sizes so appends and reads straddle every internal boundary.
  std::string id = put(store(), body, (1 << 20) + 4093);
  auto reader = store().open(id);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ((*reader)->size(), body.size());
  EXPECT_TRUE(get(store(), id, (3 << 20) + 11) == body);

  std::string window(4096, '\0');
  auto n = (*reader)->read_at(body.size() - 100, window);
  ASSERT_TRUE(n.has_value());
  ASSERT_EQ(*n, 100u);
  EXPECT_EQ(window.substr(0, 100), body.substr(body.size() - 100));
}

}  // namespace
}  // namespace cv::blob::conformance
