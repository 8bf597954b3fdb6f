// WalCheckpointer: background checkpoints happen, and the inline fallback bounds the WAL.
#include "meta/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "meta_store_conformance.h"

namespace cv::meta::sqlite {
namespace {

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto writer = Connection::open(path(), true, false);
    ASSERT_TRUE(writer) << writer.error().message;
    writer_ = std::move(*writer);
    ASSERT_TRUE(writer_->execute_script("CREATE TABLE t(v BLOB)"));
  }

  std::filesystem::path path() const { return dir_.path() / "c.db"; }

  void commit_rows(int count) {
    for (int i = 0; i < count; ++i) {
      auto stmt = writer_->prepare("INSERT INTO t(v) VALUES(zeroblob(4000))");
      ASSERT_TRUE(stmt);
      ASSERT_TRUE(stmt->run());
    }
  }

  // Frames in the WAL, as a PASSIVE checkpoint from another connection reports them.
  int wal_frames() {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    // A first read opens the WAL; before it the connection does not know the WAL exists.
    EXPECT_EQ(sqlite3_exec(db, "SELECT count(*) FROM t", nullptr, nullptr, nullptr), SQLITE_OK);
    int log = -1;
    int done = -1;
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    sqlite3_close(db);
    return log;
  }

  conformance::ScopedTempDir dir_;
  std::unique_ptr<Connection> writer_;
};

TEST_F(WalCheckpointerTest, CheckpointsInTheBackgroundPastTheThreshold) {
  auto checkpointer = WalCheckpointer::start(path(), *writer_, /*background_frames=*/10,
                                             /*inline_frames=*/1'000'000);
  ASSERT_TRUE(checkpointer);
  commit_rows(30);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*checkpointer)->checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GT((*checkpointer)->checkpoints(), 0u);
  writer_.reset();
}

TEST_F(WalCheckpointerTest, WriterCheckpointsInlineWhenTheWalGrowsTooLarge) {
  auto checkpointer = WalCheckpointer::start(path(), *writer_, /*background_frames=*/1'000'000,
                                             /*inline_frames=*/20);
  ASSERT_TRUE(checkpointer);
  commit_rows(200);
  // Without checkpoints the WAL would hold 200+ frames; the inline ones restart it.
  int frames = wal_frames();
  EXPECT_GE(frames, 0);
  EXPECT_LT(frames, 40);
  EXPECT_EQ((*checkpointer)->checkpoints(), 0u);
  writer_.reset();
}

TEST_F(WalCheckpointerTest, WithoutTheHookTheWalKeepsGrowingBetweenAutoCheckpoints) {
  // The control for the test above: 200 commits of one page leave 200+ frames when
  // SQLite's own checkpoint (at 1000 frames) has not run yet.
  commit_rows(200);
  EXPECT_GE(wal_frames(), 200);
}

}  // namespace
}  // namespace cv::meta::sqlite
