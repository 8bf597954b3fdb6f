// TieredBlobStore: the shared conformance suite (through its default location) plus routing
// of ids to named locations.
#include "blob/tiered_blob_store.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "blob/local/local_blob_store.h"
#include "blob_store_conformance.h"

namespace cv::blob {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cv-tier-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::unique_ptr<BlobStore> local(const fs::path& root) {
  auto opened = open_local_blob_store(root);
  if (!opened) throw std::runtime_error(opened.error().message);
  return std::move(*opened);
}

size_t count_files(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++n;
  }
  return n;
}

class TieredHarness final : public conformance::BlobStoreHarness {
 public:
  TieredHarness() : store_(local(dir_.path() / "hot")) {
    store_.add_location("cold", local(dir_.path() / "cold"));
  }
  BlobStore& store() override { return store_; }
  size_t count_incomplete() override {
    return count_files(dir_.path() / "hot" / "tmp") + count_files(dir_.path() / "cold" / "tmp");
  }
  void simulate_crashed_writer() override {
    static int counter = 0;
    std::ofstream(dir_.path() / "cold" / "tmp" / ("crashed" + std::to_string(++counter)))
        << "half a body";
  }

 private:
  TempDir dir_;
  TieredBlobStore store_;
};

using conformance::BlobStoreConformanceTest;
INSTANTIATE_TEST_SUITE_P(Tiered, BlobStoreConformanceTest,
                         ::testing::Values(conformance::BlobStoreImplementation{
                             "Tiered", [] { return std::make_unique<TieredHarness>(); }}),
                         conformance::conformance_test_name);

std::string commit_in(BlobStore& store, std::string_view location, std::string_view body) {
  auto writer = store.create_in(location);
  EXPECT_TRUE(writer.has_value());
  EXPECT_TRUE((*writer)->append(body).has_value());
  auto id = (*writer)->commit();
  EXPECT_TRUE(id.has_value()) << id.error().message;
  return *id;
}

std::string read_all(BlobStore& store, std::string_view id) {
  auto reader = store.open(id);
  EXPECT_TRUE(reader.has_value()) << reader.error().message;
  std::string out((*reader)->size(), '\0');
  EXPECT_EQ(*(*reader)->read_at(0, out), out.size());
  return out;
}

TEST(TieredBlobStoreTest, NamedLocationsKeepTheirBlobsInTheirOwnFolder) {
  TempDir dir;
  TieredBlobStore store(local(dir.path() / "hot"));
  store.add_location("STANDARD_IA", local(dir.path() / "ia"));
  const std::string hot = commit_in(store, "", "hot body");
  const std::string cold = commit_in(store, "STANDARD_IA", "cold body");
  EXPECT_EQ(TieredBlobStore::location_of(hot), "");
  EXPECT_EQ(TieredBlobStore::location_of(cold), "STANDARD_IA");
  EXPECT_TRUE(cold.starts_with("STANDARD_IA:"));
  EXPECT_EQ(count_files(dir.path() / "ia" / "blobs"), 1u);
  EXPECT_EQ(count_files(dir.path() / "hot" / "blobs"), 1u);
  EXPECT_EQ(read_all(store, cold), "cold body");
  EXPECT_EQ(read_all(store, hot), "hot body");

  auto listed = store.list();
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_NE(std::find(listed->begin(), listed->end(), cold), listed->end());

  auto copy = store.copy_range(cold, 5, 4);
  ASSERT_TRUE(copy);
  EXPECT_TRUE(copy->starts_with("STANDARD_IA:"));
  EXPECT_EQ(read_all(store, *copy), "body");

  ASSERT_TRUE(store.remove(cold));
  EXPECT_EQ(count_files(dir.path() / "ia" / "blobs"), 1u);  // the copy
  EXPECT_FALSE(store.open(cold).has_value());
}

TEST(TieredBlobStoreTest, UnknownLocationsAreRefused) {
  TempDir dir;
  TieredBlobStore store(local(dir.path() / "hot"));
  EXPECT_TRUE(store.has_location(""));
  EXPECT_FALSE(store.has_location("GLACIER"));
  auto writer = store.create_in("GLACIER");
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().code, ErrorCode::kInvalidArgument);
  auto reader = store.open("GLACIER:0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
}

}  // namespace
}  // namespace cv::blob
