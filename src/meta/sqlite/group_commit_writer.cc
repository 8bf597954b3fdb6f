#include "meta/sqlite/group_commit_writer.h"

#include <algorithm>
#include <chrono>

namespace cv::meta::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> connection, size_t max_batch,
                                     CommitObserver* commits)
    : connection_(std::move(connection)),
      max_batch_(std::max<size_t>(max_batch, 1)),
      commits_(commits) {
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
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
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

// Applies batch_ in as few transactions as possible. Normally one: every change in its own
// savepoint. If SQLite aborts the whole transaction (I/O error, disk full), the changes
// applied before it are reported failed and the rest continue in a fresh transaction.
void GroupCommitWriter::apply_batch() {
  Connection& db = *connection_;
  std::vector<std::pair<PendingChange*, Status>> applied;
  applied.reserve(batch_.size());
  size_t next = 0;
  while (next < batch_.size()) {
    if (auto begun = db.execute("BEGIN IMMEDIATE"); !begun) {
      for (; next < batch_.size(); ++next) finish(*batch_[next], begun);
      break;
    }
    applied.clear();
    bool transaction_lost = false;
    for (; next < batch_.size() && !transaction_lost; ++next) {
      PendingChange* change = batch_[next];
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
      committed = fail(ErrorCode::kInternalError, "metadata store: transaction aborted");
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
      finish(*change, outcome && !committed ? committed : std::move(outcome));
    }
  }
  batch_.clear();
}

}  // namespace cv::meta::sqlite
