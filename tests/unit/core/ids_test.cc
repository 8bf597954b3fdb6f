// Identifiers: shape, and no repeats — within a thread across many refills of the per-thread
// pool of random_id_hex, and across threads (each has its own pool).
#include "core/ids.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace cv {
namespace {

bool is_lower_hex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(IdsTest, RandomIdHexHasTheAskedLength) {
  for (size_t bytes : {0u, 1u, 8u, 16u, 63u, 64u, 65u, 300u, 5000u}) {
    const std::string id = random_id_hex(bytes);
    EXPECT_EQ(id.size(), 2 * bytes);
    EXPECT_TRUE(is_lower_hex(id)) << id;
  }
}

TEST(IdsTest, RandomIdsDoNotRepeatAcrossPoolRefills) {
  // 16-byte ids, 20,000 of them: about 80 refills of the 4 KiB pool.
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) EXPECT_TRUE(seen.insert(random_id_hex(16)).second);
}

TEST(IdsTest, ThreadsDrawDifferentIds) {
  std::mutex mutex;
  std::set<std::string> seen;
  size_t drawn = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 3000; ++i) mine.push_back(random_id_hex(16));
      std::lock_guard lock(mutex);
      drawn += mine.size();
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), drawn);
}

TEST(IdsTest, RequestAndBlobIdsKeepTheirShape) {
  const std::string request_id = new_request_id();
  EXPECT_EQ(request_id.size(), 16u);
  EXPECT_EQ(request_id.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  const std::string blob_id = new_blob_id();
  EXPECT_EQ(blob_id.size(), 32u);
  EXPECT_TRUE(is_lower_hex(blob_id));
  EXPECT_NE(new_blob_id(), blob_id);
}

}  // namespace
}  // namespace cv
