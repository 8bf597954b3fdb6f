// The single writer of a SQLite database: a thread that applies queued changes in batches.
//
// Callers on any thread hand a change to execute() and block until the batch holding it
// has committed. The writer takes up to max_batch queued changes and runs them in one
// BEGIN IMMEDIATE ... COMMIT (one fsync for all of them), each inside its own SAVEPOINT: a
// change that fails is rolled back alone and reports its error; the others commit.
// Destruction stops accepting changes, drains the queue and joins the thread.
//
// A full disk (meta::FullDiskPolicy): a change that frees space (SpaceUse::kFrees, a delete)
// and failed because SQLite found no room (storage_full_error, core/storage_full.h) is
// applied once more, in a fresh transaction, when the policy released its reserve; while the
// reserve is released, changes that take space are refused without being tried. Either way
// the connection is left outside any transaction, ready for the next batch, so commits
// succeed again by themselves once there is room.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.h"
#include "meta/commit_observer.h"
#include "meta/sqlite/connection.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::meta::sqlite {

// Whether a change takes space (most) or frees it (deletes), for a full disk.
enum class SpaceUse { kTakes, kFrees };

// One queued change; lives on the stack of the thread waiting for it.
class PendingChange {
 public:
  // Runs on the writer thread, inside a transaction and a savepoint. An error rolls back
  // everything this call wrote.
  virtual Status apply(Connection& connection) = 0;

 protected:
  ~PendingChange() = default;

 private:
  friend class GroupCommitWriter;
  // The writer sets done_ and notifies while holding mutex_, so the waiter (which owns this
  // object) cannot see done_ and destroy it while the writer still touches it.
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;  // guarded by mutex_
  Status outcome_;
  SpaceUse space_use_ = SpaceUse::kTakes;
};

// Optional calls on the writer thread.
struct WriterHooks {
  // After a batch's transactions ended (committed, rolled back or lost), before any caller
  // of the batch is answered.
  std::function<void()> after_batch;
  // With the connection outside any transaction, between batches, at least every
  // `between_batches_interval` whether changes come or not.
  std::function<void(Connection&)> between_batches;
  std::chrono::milliseconds between_batches_interval{100};
};

class GroupCommitWriter {
 public:
  // Takes ownership of the (migrated) write connection and starts the writer thread.
  // `commits` (optional, not owned) is told of every committed batch.
  GroupCommitWriter(std::unique_ptr<SqliteConnection> connection, size_t max_batch,
                    FullDiskPolicy full_disk = {}, CommitObserver* commits = nullptr,
                    WriterHooks hooks = {});
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  ~GroupCommitWriter();

  // Runs `change(Connection&) -> Status` on the writer thread and returns once it has
  // committed (or failed). Thread-safe; blocks.
  // `space_use`: kFrees for a change that frees space (it may be applied twice on a full
  // disk, the first attempt rolled back).
  template <class Change>
  Status execute(Change&& change, SpaceUse space_use = SpaceUse::kTakes) {
    struct Queued final : PendingChange {
      explicit Queued(Change& fn) : fn(fn) {}
      Status apply(Connection& connection) override { return fn(connection); }
      Change& fn;
    } queued(change);
    queued.space_use_ = space_use;
    return submit(queued);
  }

  // Batches committed so far, and changes waiting for the writer (for tests and metrics).
  size_t committed_batches() const;
  size_t queued_changes() const;

 private:
  Status submit(PendingChange& change);
  void run();
  void apply_batch();
  using Outcomes = std::vector<std::pair<PendingChange*, Status>>;
  // Applies `changes` in as few transactions as possible; the outcome of each.
  Outcomes apply_in_transactions(const std::vector<PendingChange*>& changes);
  static void merge(Outcomes& outcomes, Outcomes newer);
  void finish(PendingChange& change, Status outcome);

  std::unique_ptr<SqliteConnection> connection_;
  const size_t max_batch_;
  const FullDiskPolicy full_disk_;
  CommitObserver* const commits_;
  const WriterHooks hooks_;
  std::chrono::steady_clock::time_point between_batches_last_{};  // writer thread only

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PendingChange*> queue_;  // guarded by mutex_
  bool stopping_ = false;             // guarded by mutex_
  size_t committed_batches_ = 0;      // guarded by mutex_

  std::vector<PendingChange*> batch_;  // writer thread only
  std::thread thread_;
};

}  // namespace cv::meta::sqlite
