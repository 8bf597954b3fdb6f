#include "vault/background_appender.h"

namespace cv::vault {

BackgroundAppender::BackgroundAppender(blob::BlobWriter& writer)
    : writer_(writer), thread_([this] { run(); }) {}

BackgroundAppender::~BackgroundAppender() {
  {
    std::unique_lock lock(mutex_);
    (void)wait_idle(lock);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

Status BackgroundAppender::wait_idle(std::unique_lock<std::mutex>& lock) {
  changed_.wait(lock, [this] { return !has_pending_; });
  return status_;
}

Status BackgroundAppender::submit(std::string_view chunk) {
  {
    std::unique_lock lock(mutex_);
    CV_TRY(wait_idle(lock));
    pending_ = chunk;
    has_pending_ = true;
  }
  changed_.notify_all();
  return {};
}

Status BackgroundAppender::finish() {
  std::unique_lock lock(mutex_);
  return wait_idle(lock);
}

void BackgroundAppender::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return has_pending_ || stopping_; });
    if (!has_pending_) return;
    const std::string_view chunk = pending_;
    const bool failed_before = !status_;
    lock.unlock();
    Status appended = failed_before ? Status{} : writer_.append(chunk);
    lock.lock();
    if (!appended && status_) status_ = std::move(appended);
    has_pending_ = false;
    changed_.notify_all();
  }
}

}  // namespace cv::vault
