// The space reserve: allocated while there is room, released for the metadata store on a
// full disk, allocated again once the file system has room for it twice over.
#include "app/space_reserve.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>

namespace cv::app {
namespace {

namespace fs = std::filesystem;

class SpaceReserveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cv-reserve-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Blocks allocated to the file (not its apparent size).
  static uint64_t allocated_bytes(const fs::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return 0;
    return static_cast<uint64_t>(info.st_blocks) * 512;
  }

  fs::path dir_;
};

TEST_F(SpaceReserveTest, AllocatedReleasedAndAllocatedAgain) {
  SpaceReserve reserve(dir_ / "space.reserve", 1 << 20);
  EXPECT_FALSE(reserve.released());
  ASSERT_TRUE(reserve.replenish());
  EXPECT_GE(allocated_bytes(dir_ / "space.reserve"), uint64_t{1} << 20);
  EXPECT_TRUE(reserve.replenish());  // already there: nothing to do

  meta::FullDiskPolicy policy = reserve.full_disk_policy();
  EXPECT_FALSE(policy.reserve_released());
  EXPECT_TRUE(policy.release_reserve());
  EXPECT_FALSE(fs::exists(dir_ / "space.reserve"));
  EXPECT_TRUE(reserve.released());
  EXPECT_FALSE(policy.release_reserve());  // nothing left to free
  EXPECT_TRUE(policy.reserve_released());

  ASSERT_TRUE(reserve.replenish());
  EXPECT_FALSE(reserve.released());
  EXPECT_TRUE(fs::exists(dir_ / "space.reserve"));
}

TEST_F(SpaceReserveTest, AReleaseIsRememberedByTheNextProcessUntilReplenished) {
  {
    SpaceReserve reserve(dir_ / "space.reserve", 1 << 20);
    ASSERT_TRUE(reserve.replenish());
    ASSERT_TRUE(reserve.release());
    EXPECT_TRUE(fs::exists(dir_ / "space.reserve.released"));
  }
  // A process started after a crash, the disk still short of room: still released.
  SpaceReserve restarted(dir_ / "space.reserve", 1 << 20);
  EXPECT_TRUE(restarted.released());
  EXPECT_TRUE(restarted.full_disk_policy().reserve_released());
  // Room again: the reserve is back and the release forgotten.
  ASSERT_TRUE(restarted.replenish());
  EXPECT_FALSE(restarted.released());
  EXPECT_FALSE(fs::exists(dir_ / "space.reserve.released"));
  EXPECT_FALSE(SpaceReserve(dir_ / "space.reserve", 1 << 20).released());
  // Without a reserve configured, an old marker means nothing.
  ASSERT_TRUE(restarted.release());
  EXPECT_FALSE(SpaceReserve(dir_ / "space.reserve", 0).released());
}

TEST_F(SpaceReserveTest, NotAllocatedWithoutRoomForItTwice) {
  struct statvfs space {};
  ASSERT_EQ(::statvfs(dir_.c_str(), &space), 0);
  const uint64_t available = static_cast<uint64_t>(space.f_bavail) * space.f_frsize;
  SpaceReserve too_big(dir_ / "space.reserve", available / 2 + (uint64_t{64} << 20));
  EXPECT_FALSE(too_big.replenish());
  EXPECT_FALSE(fs::exists(dir_ / "space.reserve"));
  SpaceReserve none(dir_ / "space.reserve", 0);
  EXPECT_FALSE(none.replenish());
  EXPECT_FALSE(none.release());
  EXPECT_FALSE(none.released());
}

}  // namespace
}  // namespace cv::app
