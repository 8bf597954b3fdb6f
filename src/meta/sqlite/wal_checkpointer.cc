#include "meta/sqlite/wal_checkpointer.h"

namespace cv::meta::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::filesystem::path& path,
                                                                Connection& writer,
                                                                int background_frames,
                                                                int inline_frames) {
  auto connection = CV_TRY(Connection::open(path, /*create=*/false, /*read_only=*/false));
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(std::move(connection), writer, background_frames, inline_frames));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> connection, Connection& writer,
                                 int background_frames, int inline_frames)
    : connection_(std::move(connection)),
      writer_(writer.handle()),
      background_frames_(background_frames),
      inline_frames_(inline_frames) {
  thread_ = std::thread([this] { run(); });
  sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

size_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

// Runs on the writing thread after each commit, with the write lock already released.
int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (frames >= checkpointer->inline_frames_) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames >= checkpointer->background_frames_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      if (checkpointer->requested_) return SQLITE_OK;
      checkpointer->requested_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ || stopping_; });
    if (stopping_) return;
    lock.unlock();
    // PASSIVE: copies what it can without blocking readers or the writer. A failure (busy,
    // I/O) only delays reclaiming the WAL; the next request retries.
    int rc = sqlite3_wal_checkpoint_v2(connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       nullptr, nullptr);
    lock.lock();
    requested_ = false;
    if (rc == SQLITE_OK) ++checkpoints_;
  }
}

}  // namespace cv::meta::sqlite
