// The backend-independent listing pieces: key ranges and the delimiter walk.
#include "meta/listing.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cv::meta {
namespace {

TEST(PrefixSuccessor, IncrementsTheLastByteBelow0xFF) {
  EXPECT_EQ(prefix_successor("a/"), "a0");
  EXPECT_EQ(prefix_successor("abc"), "abd");
  EXPECT_EQ(prefix_successor("a\xff\xff"), "b");
  EXPECT_EQ(prefix_successor(std::string("a\xfe", 2)), "a\xff");
  EXPECT_EQ(prefix_successor(""), std::nullopt);
  EXPECT_EQ(prefix_successor("\xff\xff"), std::nullopt);
}

TEST(PrefixSuccessor, IsGreaterThanEveryExtensionOfThePrefix) {
  std::string prefix = "ph\xc3\xa9/";
  std::string next = *prefix_successor(prefix);
  for (const std::string& tail :
       std::vector<std::string>{"", "\xff\xff\xff", "zzz", std::string(1, '\0')}) {
    EXPECT_LT(prefix + tail, next);
  }
  EXPECT_GT(next, prefix);
}

TEST(CommonPrefixOf, FirstDelimiterAfterThePrefix) {
  EXPECT_EQ(common_prefix_of("a/b/c", "", "/"), "a/");
  EXPECT_EQ(common_prefix_of("a/b/c", "a/", "/"), "a/b/");
  EXPECT_EQ(common_prefix_of("a/b", "a/", "/"), std::nullopt);
  EXPECT_EQ(common_prefix_of("a/b", "", ""), std::nullopt);
  EXPECT_EQ(common_prefix_of("x--y--z", "x", "--"), "x--");
  // A delimiter inside the prefix does not count.
  EXPECT_EQ(common_prefix_of("a/b", "a/", "a"), std::nullopt);
}

TEST(ListingStart, MarkersAndPrefixes) {
  EXPECT_EQ(listing_start("p/", "/", ""), "p/");
  EXPECT_EQ(listing_start("p/", "/", "a"), "p/");  // below the prefix
  EXPECT_EQ(listing_start("", "", "k"), std::string("k\0", 2));
  EXPECT_EQ(listing_start("", "/", "dir/"), "dir0");  // a common prefix: skip its group
  EXPECT_EQ(listing_start("", "", "dir/"), std::string("dir/\0", 5));  // no delimiter
  EXPECT_EQ(listing_start("", "/", "dir/x"), std::string("dir/x\0", 6));
  EXPECT_EQ(listing_start("", "/", "\xff/"), std::string("\xff\x30", 2));
  EXPECT_EQ(listing_start("", "/", "\xff\xff"), std::string("\xff\xff\0", 3));
}

// Sorted keys; counts the rows it hands out.
class VectorCursor final : public KeyCursor<std::string> {
 public:
  explicit VectorCursor(std::vector<std::string> keys) : keys_(std::move(keys)) {
    std::sort(keys_.begin(), keys_.end());
  }
  Status seek(std::string_view from) override {
    position_ = std::lower_bound(keys_.begin(), keys_.end(), from) - keys_.begin();
    ++seeks;
    return {};
  }
  Result<std::optional<std::string>> next() override {
    if (position_ >= keys_.size()) return std::nullopt;
    ++rows_read;
    return keys_[position_++];
  }
  size_t rows_read = 0;
  size_t seeks = 0;

 private:
  std::vector<std::string> keys_;
  size_t position_ = 0;
};

auto key_of = [](const std::string& key) -> std::string_view { return key; };

TEST(WalkDelimited, SkipsEachCommonPrefixWithOneSeek) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("big/" + std::to_string(i));
  for (int i = 0; i < 1000; ++i) keys.push_back("huge/" + std::to_string(i));
  keys.push_back("file");
  VectorCursor cursor(keys);
  ASSERT_TRUE(cursor.seek(""));
  auto page = walk_delimited(cursor, "", "/", 100, key_of);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->common_prefixes, (std::vector<std::string>{"big/", "huge/"}));
  EXPECT_EQ(page->rows, (std::vector<std::string>{"file"}));
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(page->last_entry, "huge/");
  EXPECT_TRUE(page->last_is_prefix);
  EXPECT_LE(cursor.rows_read, 4u);  // one row per group, the file, nothing else
}

TEST(WalkDelimited, PeeksOneEntryToDecideTruncation) {
  VectorCursor cursor({"a", "b/1", "b/2", "c"});
  ASSERT_TRUE(cursor.seek(""));
  auto page = walk_delimited(cursor, "", "/", 2, key_of);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->last_entry, "b/");

  VectorCursor exact({"a", "b/1", "b/2"});
  ASSERT_TRUE(exact.seek(""));
  auto full = walk_delimited(exact, "", "/", 2, key_of);
  ASSERT_TRUE(full);
  EXPECT_FALSE(full->truncated);
}

TEST(WalkDelimited, StopsAtTheEndOfThePrefix) {
  VectorCursor cursor({"a/1", "a/2", "b/1"});
  ASSERT_TRUE(cursor.seek("a/"));
  auto page = walk_delimited(cursor, "a/", "/", 10, key_of);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->rows, (std::vector<std::string>{"a/1", "a/2"}));
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(cursor.rows_read, 3u);
}

TEST(WalkDelimited, ZeroEntriesReadsNothing) {
  VectorCursor cursor({"a"});
  ASSERT_TRUE(cursor.seek(""));
  auto page = walk_delimited(cursor, "", "", 0, key_of);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->rows.empty());
  EXPECT_FALSE(page->truncated);
  EXPECT_EQ(cursor.rows_read, 0u);
}

}  // namespace
}  // namespace cv::meta
