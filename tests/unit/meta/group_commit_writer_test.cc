// GroupCommitWriter: batching, per-change rollback and draining, on a real SQLite file.
#include "meta/sqlite/group_commit_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::sqlite {
namespace {

class GroupCommitWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = Connection::open(dir_.path() / "w.db", true, false);
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t(v INTEGER PRIMARY KEY)"));
    writer_ = std::make_unique<GroupCommitWriter>(std::move(*connection), /*max_batch=*/64);
    auto reader = Connection::open(dir_.path() / "w.db", false, true);
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
  auto connection = Connection::open(dir.path() / "o.db", true, false);
  ASSERT_TRUE(connection) << connection.error().message;
  ASSERT_TRUE((*connection)->execute_script("CREATE TABLE t(v INTEGER PRIMARY KEY)"));
  RecordingObserver observer;
  GroupCommitWriter writer(std::move(*connection), /*max_batch=*/64, &observer);

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
