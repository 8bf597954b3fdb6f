#include "meta/sqlite/group_commit_writer.h"

#include <algorithm>
#include <chrono>

#include "core/storage_full.h"

namespace cv::meta::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<SqliteConnection> connection,
                                     size_t max_batch,
                                     FullDiskPolicy full_disk, CommitObserver* commits,
                                     WriterHooks hooks)
    : connection_(std::move(connection)),
      max_batch_(std::max<size_t>(max_batch, 1)),
      full_disk_(std::move(full_disk)),
      commits_(commits),
      hooks_(std::move(hooks)) {
  thread_ = std::thread([this] { run(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

size_t GroupCommitWriter::committed_batches() const {
  std::lock_guard lock(mutex_);
  return committed_batches_;
}

size_t GroupCommitWriter::queued_changes() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

Status GroupCommitWriter::submit(PendingChange& change) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorCode::kInternalError, "metadata store is closing");
    queue_.push_back(&change);
  }
  wake_.notify_one();
  std::unique_lock lock(change.mutex_);
  change.finished_.wait(lock, [&] { return change.done_; });
  return std::move(change.outcome_);
}

void GroupCommitWriter::run() {
  for (;;) {
    if (hooks_.between_batches) {
      const auto now = std::chrono::steady_clock::now();
      if (now - between_batches_last_ >= hooks_.between_batches_interval) {
        between_batches_last_ = now;
        hooks_.between_batches(*connection_);
      }
    }
    {
      std::unique_lock lock(mutex_);
      const auto ready = [&] { return stopping_ || !queue_.empty(); };
      if (hooks_.between_batches) {
        if (!wake_.wait_for(lock, hooks_.between_batches_interval, ready)) continue;
      } else {
        wake_.wait(lock, ready);
      }
      if (queue_.empty()) return;  // stopping, and everything queued has been applied
      size_t take = std::min(queue_.size(), max_batch_);
      batch_.assign(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(take));
    }
    apply_batch();
  }
}

void GroupCommitWriter::finish(PendingChange& change, Status outcome) {
  std::lock_guard lock(change.mutex_);
  change.outcome_ = std::move(outcome);
  change.done_ = true;
  change.finished_.notify_one();
}

// Applies batch_. While the reserve is released, changes that take space are refused
// untried; the changes that free space and that a full disk refused are applied once more
// when releasing the reserve freed room (a change that failed was rolled back, so applying
// it again starts afresh).
void GroupCommitWriter::apply_batch() {
  Outcomes outcomes;
  outcomes.reserve(batch_.size());
  std::vector<PendingChange*> tried;
  const bool short_of_room = full_disk_.reserve_released && full_disk_.reserve_released();
  for (PendingChange* change : batch_) {
    if (short_of_room && change->space_use_ == SpaceUse::kTakes) {
      outcomes.emplace_back(change, fail(storage_full_error("the metadata store")));
    } else {
      outcomes.emplace_back(change, Status());
      tried.push_back(change);
    }
  }
  merge(outcomes, apply_in_transactions(tried));
  if (hooks_.after_batch) hooks_.after_batch();
  std::vector<PendingChange*> refused;
  for (const auto& [change, outcome] : outcomes) {
    if (!outcome && is_storage_full(outcome.error()) && change->space_use_ == SpaceUse::kFrees) {
      refused.push_back(change);
    }
  }
  if (!refused.empty() && full_disk_.release_reserve && full_disk_.release_reserve()) {
    merge(outcomes, apply_in_transactions(refused));
    if (hooks_.after_batch) hooks_.after_batch();
  }
  for (auto& [change, outcome] : outcomes) finish(*change, std::move(outcome));
  batch_.clear();
}

// Replaces the outcomes of the changes in `newer` (a subsequence of `outcomes`, in order).
void GroupCommitWriter::merge(Outcomes& outcomes, Outcomes newer) {
  size_t next = 0;
  for (auto& [change, outcome] : outcomes) {
    if (next < newer.size() && newer[next].first == change) {
      outcome = std::move(newer[next++].second);
    }
  }
}

// Normally one transaction: every change in its own savepoint. If SQLite aborts the whole
// transaction (I/O error, disk full), the changes applied before it are reported failed
// and the rest continue in a fresh transaction. A failed COMMIT is rolled back, so the
// connection is ready for the next batch: a disk that was full accepts commits again as
// soon as space is freed.
GroupCommitWriter::Outcomes GroupCommitWriter::apply_in_transactions(
    const std::vector<PendingChange*>& changes) {
  SqliteConnection& db = *connection_;
  Outcomes outcomes;
  outcomes.reserve(changes.size());
  std::vector<std::pair<PendingChange*, Status>> applied;
  size_t next = 0;
  while (next < changes.size()) {
    if (auto begun = db.execute("BEGIN IMMEDIATE"); !begun) {
      for (; next < changes.size(); ++next) outcomes.emplace_back(changes[next], begun);
      break;
    }
    applied.clear();
    bool transaction_lost = false;
    for (; next < changes.size() && !transaction_lost; ++next) {
      PendingChange* change = changes[next];
      Status outcome = db.execute("SAVEPOINT change");
      if (outcome) {
        outcome = change->apply(db);
        if (outcome) outcome = db.execute("RELEASE change");
        if (!outcome && !sqlite3_get_autocommit(db.handle())) {
          (void)db.execute("ROLLBACK TO change");
          (void)db.execute("RELEASE change");
        }
      }
      transaction_lost = sqlite3_get_autocommit(db.handle()) != 0;
      applied.emplace_back(change, std::move(outcome));
    }
    Status committed;
    if (transaction_lost) {
      // The change that lost the transaction says why (a full disk: storage_full_error).
      const Status& cause = applied.back().second;
      committed = !cause && is_storage_full(cause.error())
                      ? Status(fail(cause.error()))
                      : fail(ErrorCode::kInternalError, "metadata store: transaction aborted");
    } else {
      const auto commit_started = std::chrono::steady_clock::now();
      committed = db.execute("COMMIT");
      if (!committed) (void)db.execute_script("ROLLBACK");
      if (committed && commits_ != nullptr) {
        commits_->batch_committed(applied.size(),
                                  std::chrono::steady_clock::now() - commit_started);
      }
    }
    if (committed) {
      std::lock_guard lock(mutex_);
      ++committed_batches_;  // before anyone waiting on this batch can look
    }
    for (auto& [change, outcome] : applied) {
      outcomes.emplace_back(change, outcome && !committed ? committed : std::move(outcome));
    }
  }
  return outcomes;
}

}  // namespace cv::meta::sqlite
