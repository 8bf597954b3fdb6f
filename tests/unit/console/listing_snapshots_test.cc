// The snapshot store of sorted folder levels: found only under their fingerprint, dropped
// when expired or when newer ones need the room, and never kept when too large.
#include "console/listing_snapshots.h"

#include <gtest/gtest.h>

namespace cv::console {
namespace {

using Snapshots = ListingSnapshots<int>;

std::shared_ptr<const Snapshots::Level> level_of(size_t objects) {
  auto level = std::make_shared<Snapshots::Level>();
  level->objects.assign(objects, 7);
  return level;
}

TEST(ListingSnapshotsTest, FoundOnlyUnderTheirFingerprintUntilTheyExpire) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  Snapshots snapshots(clock, SnapshotLimits{.lifetime = std::chrono::seconds(60),
                                            .max_entries = 100});
  const uint64_t id = snapshots.keep("alice|photos|size", level_of(10));
  ASSERT_NE(id, 0u);
  EXPECT_NE(snapshots.find(id, "alice|photos|size"), nullptr);
  EXPECT_EQ(snapshots.find(id, "bob|photos|size"), nullptr);
  EXPECT_EQ(snapshots.find(id + 1, "alice|photos|size"), nullptr);
  clock.advance(std::chrono::seconds(59));
  EXPECT_NE(snapshots.find(id, "alice|photos|size"), nullptr);
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(snapshots.find(id, "alice|photos|size"), nullptr);
}

TEST(ListingSnapshotsTest, TheOldestMakeRoomAndTooLargeLevelsAreNotKept) {
  ManualClock clock(from_unix_nanos(1'800'000'000'000'000'000));
  Snapshots snapshots(clock, SnapshotLimits{.lifetime = std::chrono::seconds(60),
                                            .max_entries = 100});
  const uint64_t first = snapshots.keep("a", level_of(40));
  const uint64_t second = snapshots.keep("b", level_of(40));
  const uint64_t third = snapshots.keep("c", level_of(40));  // 120 > 100: the first goes
  EXPECT_EQ(snapshots.find(first, "a"), nullptr);
  EXPECT_NE(snapshots.find(second, "b"), nullptr);
  EXPECT_NE(snapshots.find(third, "c"), nullptr);
  EXPECT_EQ(snapshots.keep("d", level_of(101)), 0u);
  EXPECT_NE(snapshots.find(second, "b"), nullptr);  // nothing dropped for it
}

}  // namespace
}  // namespace cv::console
