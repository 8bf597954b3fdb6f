// LocalBlobStore: the shared conformance suite plus what is specific to files on disk.
#include "blob/local/local_blob_store.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "blob/local/posix_io.h"
#include "blob_store_conformance.h"
#include "core/storage_full.h"

namespace cv::blob {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cv-blob-test-XXXXXX").string();
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

size_t count_files(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++n;
  }
  return n;
}

class LocalHarness final : public conformance::BlobStoreHarness {
 public:
  LocalHarness() {
    auto opened = open_local_blob_store(dir_.path() / "store");
    if (!opened) throw std::runtime_error(opened.error().message);
    store_ = std::move(*opened);
  }
  BlobStore& store() override { return *store_; }
  size_t count_incomplete() override { return count_files(dir_.path() / "store" / "tmp"); }
  void simulate_crashed_writer() override {
    static int counter = 0;
    std::ofstream(dir_.path() / "store" / "tmp" / ("crashed" + std::to_string(++counter)))
        << "half a body";
  }

 private:
  TempDir dir_;
  std::unique_ptr<BlobStore> store_;
};

using conformance::BlobStoreConformanceTest;
INSTANTIATE_TEST_SUITE_P(Local, BlobStoreConformanceTest,
                         ::testing::Values(conformance::BlobStoreImplementation{
                             "Local", [] { return std::make_unique<LocalHarness>(); }}),
                         conformance::conformance_test_name);

std::string commit(BlobStore& store, std::string_view body) {
  auto writer = store.create();
  EXPECT_TRUE(writer.has_value());
  EXPECT_TRUE((*writer)->append(body).has_value());
  auto id = (*writer)->commit();
  EXPECT_TRUE(id.has_value()) << id.error().message;
  return *id;
}

TEST(LocalBlobStoreTest, CommittedBlobLivesAtFanOutPath) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  std::string id = commit(**store, "on disk");
  ASSERT_EQ(id.size(), 32u);
  fs::path file = dir.path() / "blobs" / id.substr(0, 2) / id.substr(2, 2) / id;
  ASSERT_TRUE(fs::is_regular_file(file));
  EXPECT_EQ(fs::file_size(file), 7u);
  EXPECT_TRUE(fs::is_empty(dir.path() / "tmp"));
}

TEST(LocalBlobStoreTest, ServesFilesForSendfile) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  std::string id = commit(**store, "sent by the kernel");
  EXPECT_TRUE((*store)->serves_files(id));
  EXPECT_FALSE((*store)->serves_files("../etc"));
  auto reader = (*store)->open(id);
  ASSERT_TRUE(reader.has_value());
  EXPECT_GE((*reader)->file_descriptor(), 0);
}

TEST(LocalBlobStoreTest, WriterUsesTempFolderUntilCommit) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  auto writer = (*store)->create();
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE((*writer)->append("pending").has_value());
  EXPECT_EQ(count_files(dir.path() / "tmp"), 1u);
  EXPECT_EQ(count_files(dir.path() / "blobs"), 0u);
  ASSERT_TRUE((*writer)->commit().has_value());
  EXPECT_EQ(count_files(dir.path() / "tmp"), 0u);
  EXPECT_EQ(count_files(dir.path() / "blobs"), 1u);
}

TEST(LocalBlobStoreTest, ReaderExposesReadableFileDescriptor) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  std::string id = commit(**store, "zero copy");
  auto reader = (*store)->open(id);
  ASSERT_TRUE(reader.has_value());
  int fd = (*reader)->file_descriptor();
  ASSERT_GE(fd, 0);
  char buffer[4] = {};
  ASSERT_EQ(::pread(fd, buffer, 4, 5), 4);
  EXPECT_EQ(std::string_view(buffer, 4), "copy");
  EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

TEST(LocalBlobStoreTest, ReopenedStoreSeesCommittedBlobs) {
  TempDir dir;
  std::string id;
  {
    auto store = open_local_blob_store(dir.path() / "nested" / "root");
    ASSERT_FALSE(store.has_value()) << "parent folders are not created";
  }
  {
    auto store = open_local_blob_store(dir.path());
    ASSERT_TRUE(store.has_value());
    id = commit(**store, "persisted");
  }
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  auto ids = (*store)->list();
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, std::vector<std::string>{id});
}

TEST(LocalBlobStoreTest, ListIgnoresForeignFiles) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  std::string id = commit(**store, "mine");
  std::ofstream(dir.path() / "blobs" / "README") << "x";
  fs::create_directories(dir.path() / "blobs" / "zz" / "00");
  std::ofstream(dir.path() / "blobs" / "zz" / "00" / "foo") << "x";
  // A valid-looking id in the wrong fan-out folder is not a blob of this store.
  std::string misplaced = std::string("ffff") + id.substr(4);
  fs::create_directories(dir.path() / "blobs" / id.substr(0, 2) / id.substr(2, 2));
  std::ofstream(dir.path() / "blobs" / id.substr(0, 2) / id.substr(2, 2) / misplaced) << "x";
  auto ids = (*store)->list();
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, std::vector<std::string>{id});
}

TEST(LocalBlobStoreTest, MalformedIdsAreRejected) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  for (std::string_view bad : {"", "../../etc/passwd", "ABCDEF0123456789ABCDEF0123456789",
                               "0123456789abcdef0123456789abcde/"}) {
    auto reader = (*store)->open(bad);
    ASSERT_FALSE(reader.has_value()) << bad;
    EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
    EXPECT_FALSE((*store)->remove(bad).has_value()) << bad;
    EXPECT_FALSE((*store)->copy_range(bad, 0, 0).has_value()) << bad;
  }
}

TEST(LocalBlobStoreTest, ErrorsCarryPathAndErrnoText) {
  TempDir dir;
  auto store = open_local_blob_store(dir.path());
  ASSERT_TRUE(store.has_value());
  auto reader = (*store)->open("0123456789abcdef0123456789abcdef");
  ASSERT_FALSE(reader.has_value());
  EXPECT_NE(reader.error().message.find("0123456789abcdef0123456789abcdef"), std::string::npos);
  EXPECT_NE(reader.error().message.find("No such file or directory"), std::string::npos)
      << reader.error().message;
}

// A full file system (ENOSPC; /dev/full answers every write with it) or an exhausted quota
// is the storage-full error: SlowDown, without the path, which the client sees.
TEST(LocalBlobStoreTest, AFullFileSystemIsStorageFullWithoutThePath) {
  auto full = posix::open_file("/dev/full", O_WRONLY);
  ASSERT_TRUE(full.has_value()) << full.error().message;
  auto written = posix::pwrite_all(full->get(), 0, "data", "/srv/secret/tmp/blob");
  ASSERT_FALSE(written.has_value());
  EXPECT_TRUE(is_storage_full(written.error())) << written.error().message;
  EXPECT_EQ(written.error().code, ErrorCode::kSlowDown);
  EXPECT_EQ(written.error().message.find("/srv/secret"), std::string::npos);
  EXPECT_EQ(written.error().message,
            "Storage is full: no space is left on the device; an object's data could not be "
            "written. Retry once space has been freed.");
  const Error quota = posix::errno_error("write", "/srv/secret/x", EDQUOT);
  EXPECT_TRUE(is_storage_full(quota));
  EXPECT_NE(quota.message.find("disk quota is exhausted"), std::string::npos) << quota.message;
  EXPECT_FALSE(is_storage_full(posix::errno_error("write", "/srv/x", EIO)));
}

}  // namespace
}  // namespace cv::blob
