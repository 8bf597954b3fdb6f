// GroupCommitWriter: batching, per-change rollback and draining, on a real SQLite file.
#include "meta/sqlite/group_commit_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "core/storage_full.h"
#include "meta_store_conformance.h"

namespace cv::meta::sqlite {
namespace {

class GroupCommitWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = SqliteConnection::open(dir_.path() / "w.db", true, false);
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t(v INTEGER PRIMARY KEY)"));
    writer_ = std::make_unique<GroupCommitWriter>(std::move(*connection), /*max_batch=*/64);
    auto reader = SqliteConnection::open(dir_.path() / "w.db", false, true);
    ASSERT_TRUE(reader);
    reader_ = std::move(*reader);
  }

  static Status insert(Connection& db, int64_t value) {
    auto stmt = CV_TRY(db.prepare("INSERT INTO t(v) VALUES(?1)"));
    stmt.bind_int(1, value);
    return stmt.run();
  }

  std::vector<int64_t> committed_values() {
    std::vector<int64_t> values;
    auto stmt = reader_->prepare("SELECT v FROM t ORDER BY v");
    EXPECT_TRUE(stmt);
    while (stmt->step().value_or(false)) values.push_back(stmt->column_int(0));
    return values;
  }

  // Occupies the writer thread until `release` counts down, so that changes submitted
  // meanwhile queue up and are applied together in the next batch.
  std::thread block_writer(std::latch& release) {
    std::latch running(1);
    std::thread blocker([&] {
      (void)writer_->execute([&](Connection&) -> Status {
        running.count_down();
        release.wait();
        return {};
      });
    });
    running.wait();
    return blocker;
  }

  void wait_until_queued(size_t count) {
    while (writer_->queued_changes() < count) std::this_thread::yield();
  }

  conformance::ScopedTempDir dir_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<Connection> reader_;
};

TEST_F(GroupCommitWriterTest, QueuedChangesShareOneCommit) {
  std::latch release(1);
  std::thread blocker = block_writer(release);
  size_t batches_before = writer_->committed_batches();
  constexpr int kChanges = 20;
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int i = 0; i < kChanges; ++i) {
    clients.emplace_back([&, i] {
      if (!writer_->execute([&](Connection& db) { return insert(db, i); })) ++failures;
    });
  }
  wait_until_queued(kChanges);
  release.count_down();
  blocker.join();
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(committed_values().size(), static_cast<size_t>(kChanges));
  // The blocker's batch and one batch for all twenty.
  EXPECT_EQ(writer_->committed_batches() - batches_before, 2u);
}

TEST_F(GroupCommitWriterTest, AFailingChangeRollsBackAloneInItsBatch) {
  ASSERT_TRUE(writer_->execute([&](Connection& db) { return insert(db, 100); }));
  std::latch release(1);
  std::thread blocker = block_writer(release);
  size_t batches_before = writer_->committed_batches();

  Status first, failing, duplicate, last;
  std::thread a([&] { first = writer_->execute([&](Connection& db) { return insert(db, 1); }); });
  wait_until_queued(1);
  // Writes a row, then fails with a domain error: its row must vanish.
  std::thread b([&] {
    failing = writer_->execute([&](Connection& db) -> Status {
      CV_TRY(insert(db, 2));
      return fail(ErrorCode::kBucketNotEmpty, "domain failure");
    });
  });
  wait_until_queued(2);
  // Fails inside SQLite (primary key conflict).
  std::thread c(
      [&] { duplicate = writer_->execute([&](Connection& db) { return insert(db, 100); }); });
  wait_until_queued(3);
  std::thread d([&] { last = writer_->execute([&](Connection& db) { return insert(db, 3); }); });
  wait_until_queued(4);
  release.count_down();
  for (std::thread* t : {&blocker, &a, &b, &c, &d}) t->join();

  EXPECT_TRUE(first);
  ASSERT_FALSE(failing);
  EXPECT_EQ(failing.error().code, ErrorCode::kBucketNotEmpty);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kInternalError);
  EXPECT_TRUE(last);
  EXPECT_EQ(committed_values(), (std::vector<int64_t>{1, 3, 100}));
  EXPECT_EQ(writer_->committed_batches() - batches_before, 2u);
}

TEST_F(GroupCommitWriterTest, BatchesAreCappedAtMaxBatch) {
  std::latch release(1);
  std::thread blocker = block_writer(release);
  size_t batches_before = writer_->committed_batches();
  constexpr int kChanges = 130;  // max_batch is 64: three batches
  std::vector<std::thread> clients;
  for (int i = 0; i < kChanges; ++i) {
    clients.emplace_back(
        [&, i] { EXPECT_TRUE(writer_->execute([&](Connection& db) { return insert(db, i); })); });
  }
  wait_until_queued(kChanges);
  release.count_down();
  blocker.join();
  for (auto& client : clients) client.join();
  EXPECT_EQ(committed_values().size(), static_cast<size_t>(kChanges));
  EXPECT_EQ(writer_->committed_batches() - batches_before, 1u + 3u);
}

TEST_F(GroupCommitWriterTest, DestructionAppliesEverythingQueued) {
  std::latch release(1);
  std::thread blocker = block_writer(release);
  std::vector<std::thread> clients;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 10; ++i) {
    clients.emplace_back([&, i] {
      if (writer_->execute([&](Connection& db) { return insert(db, i); })) ++succeeded;
    });
  }
  wait_until_queued(10);
  std::thread destroyer([&] { writer_.reset(); });
  release.count_down();
  destroyer.join();
  blocker.join();
  for (auto& client : clients) client.join();
  EXPECT_EQ(succeeded.load(), 10);
  EXPECT_EQ(committed_values().size(), 10u);
}

// SQLite out of room (SQLITE_FULL, here from max_page_count as from a full disk): the change
// fails with the storage-full error, nothing of it is committed, and once there is room
// again the next commits go through on the same connection.
TEST_F(GroupCommitWriterTest, ADatabaseOutOfRoomFailsCleanlyAndRecovers) {
  ASSERT_TRUE(writer_->execute([](Connection& db) {
    return db.execute_script("CREATE TABLE b(v INTEGER PRIMARY KEY, data BLOB)");
  }));
  auto insert_blob = [](Connection& db, int64_t value) -> Status {
    auto stmt = CV_TRY(db.prepare("INSERT INTO b(v, data) VALUES(?1, zeroblob(65536))"));
    stmt.bind_int(1, value);
    return stmt.run();
  };
  auto limit_pages = [](Connection& db, int64_t extra) -> Status {
    auto count = CV_TRY(db.prepare("PRAGMA page_count"));
    CV_TRY(count.step());
    const int64_t pages = count.column_int(0);
    return db.execute_script(("PRAGMA max_page_count=" + std::to_string(pages + extra)).c_str());
  };
  ASSERT_TRUE(writer_->execute([&](Connection& db) { return limit_pages(db, 40); }));
  int stored = 0;
  Status full;
  for (int i = 0; i < 100 && full; ++i) {
    full = writer_->execute([&](Connection& db) -> Status {
      CV_TRY(insert(db, 1000 + i));  // written, then rolled back with the rest of the change
      return insert_blob(db, i);
    });
    if (full) ++stored;
  }
  ASSERT_FALSE(full) << "the page limit was never reached";
  EXPECT_TRUE(is_storage_full(full.error())) << full.error().message;
  EXPECT_NE(full.error().message.find("the metadata store could not be written"), std::string::npos)
      << full.error().message;
  EXPECT_GT(stored, 0);
  EXPECT_EQ(committed_values().size(), static_cast<size_t>(stored));  // no half of a change

  ASSERT_TRUE(writer_->execute([&](Connection& db) { return limit_pages(db, 1000); }));
  EXPECT_TRUE(writer_->execute([&](Connection& db) -> Status {
    CV_TRY(insert(db, 5000));
    return insert_blob(db, 5000);
  }));
  EXPECT_EQ(committed_values().size(), static_cast<size_t>(stored) + 1);
}

// A full disk (FullDiskPolicy): a freeing change refused for want of room is applied once
// more after the reserve is released; meanwhile changes that take space are refused untried.
class FullDiskWriterTest : public GroupCommitWriterTest {
 protected:
  void SetUp() override {
    GroupCommitWriterTest::SetUp();
    writer_.reset();
    auto connection = SqliteConnection::open(dir_.path() / "w.db", false, false);
    ASSERT_TRUE(connection);
    FullDiskPolicy policy{[this] { return releases_++ == 0; }, [this] { return releases_ > 0; }};
    writer_ = std::make_unique<GroupCommitWriter>(std::move(*connection), 64, policy);
  }
  std::atomic<int> releases_{0};
};

TEST_F(FullDiskWriterTest, AFreeingChangeIsRetriedOnceTheReserveIsReleased) {
  int attempts = 0;
  // The first attempt writes, then finds the disk full: rolled back, then applied again.
  Status freed = writer_->execute(
      [&](Connection& db) -> Status {
        CV_TRY(insert(db, 10 + attempts));
        if (attempts++ == 0) return fail(storage_full_error("the metadata store"));
        return {};
      },
      SpaceUse::kFrees);
  ASSERT_TRUE(freed) << freed.error().message;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(releases_, 1);
  EXPECT_EQ(committed_values(), (std::vector<int64_t>{11}));

  // The reserve is released: a change that takes space is refused without being run, one
  // that frees space still commits.
  bool ran = false;
  Status taken = writer_->execute([&](Connection& db) {
    ran = true;
    return insert(db, 20);
  });
  ASSERT_FALSE(taken);
  EXPECT_TRUE(is_storage_full(taken.error())) << taken.error().message;
  EXPECT_EQ(error_http_status(taken.error().code), 503);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(writer_->execute([&](Connection& db) { return insert(db, 30); }, SpaceUse::kFrees));
  EXPECT_EQ(committed_values(), (std::vector<int64_t>{11, 30}));
}

TEST_F(FullDiskWriterTest, ATakingChangeRefusedForRoomIsNotRetried) {
  int attempts = 0;
  Status taken = writer_->execute([&](Connection& db) -> Status {
    ++attempts;
    CV_TRY(insert(db, 1));
    return fail(storage_full_error("the metadata store"));
  });
  ASSERT_FALSE(taken);
  EXPECT_TRUE(is_storage_full(taken.error()));
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(releases_, 0);  // the reserve is kept for deletes
  EXPECT_TRUE(committed_values().empty());
  // The connection is not stuck: the next change commits.
  EXPECT_TRUE(writer_->execute([&](Connection& db) { return insert(db, 2); }));
  EXPECT_EQ(committed_values(), (std::vector<int64_t>{2}));
}

}  // namespace
}  // namespace cv::meta::sqlite

namespace cv::meta::sqlite {
namespace {

// Records what the writer reports; called on the writer thread.
class RecordingObserver final : public CommitObserver {
 public:
  void batch_committed(size_t changes, std::chrono::nanoseconds commit_time) override {
    std::lock_guard lock(mutex);
    batches.push_back(changes);
    times.push_back(commit_time);
  }
  std::mutex mutex;
  std::vector<size_t> batches;
  std::vector<std::chrono::nanoseconds> times;
};

TEST(GroupCommitObserverTest, IsToldTheSizeAndCommitTimeOfEveryCommittedBatch) {
  conformance::ScopedTempDir dir;
  auto connection = SqliteConnection::open(dir.path() / "o.db", true, false);
  ASSERT_TRUE(connection) << connection.error().message;
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t(v INTEGER PRIMARY KEY)"));
  RecordingObserver observer;
  GroupCommitWriter writer(std::move(*connection), /*max_batch=*/64, /*full_disk=*/{}, &observer);

  // Hold the writer so that ten changes queue up and commit together.
  std::latch running(1), release(1);
  std::thread blocker([&] {
    (void)writer.execute([&](Connection&) -> Status {
      running.count_down();
      release.wait();
      return {};
    });
  });
  running.wait();
  std::vector<std::thread> clients;
  for (int i = 0; i < 10; ++i) {
    clients.emplace_back([&, i] {
      (void)writer.execute([&](Connection& db) -> Status {
        auto stmt = CV_TRY(db.prepare("INSERT INTO t(v) VALUES(?1)"));
        stmt.bind_int(1, i);
        return stmt.run();
      });
    });
  }
  while (writer.queued_changes() < 10) std::this_thread::yield();
  release.count_down();
  blocker.join();
  for (auto& client : clients) client.join();

  std::lock_guard lock(observer.mutex);
  EXPECT_EQ(observer.batches, (std::vector<size_t>{1, 10}));
  ASSERT_EQ(observer.times.size(), 2u);
  for (auto time : observer.times) EXPECT_GT(time.count(), 0);
}

}  // namespace
}  // namespace cv::meta::sqlite
