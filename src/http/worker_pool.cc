#include "http/worker_pool.h"

#include <algorithm>

namespace cv::http {

WorkerPool::WorkerPool(size_t threads) {
  threads_.reserve(std::max<size_t>(threads, 1));
  for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

WorkerPool::~WorkerPool() { join(); }

void WorkerPool::post(Task task) {
  bool wake_one = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
    queued_.store(tasks_.size(), std::memory_order_release);
    wake_one = spinning_ == 0 && sleeping_ > 0;
  }
  if (wake_one) wake_.notify_one();
}

void WorkerPool::join() {
  std::lock_guard join_lock(join_mutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void WorkerPool::work() {
  std::unique_lock lock(mutex_);
  bool spun = false;  // spun since the last task without finding one: sleep next
  for (;;) {
    if (!tasks_.empty()) {
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      queued_.store(tasks_.size(), std::memory_order_release);
      // A burst posted while a worker spun woke nobody: pass the wake-up on.
      const bool wake_another = !tasks_.empty() && spinning_ == 0 && sleeping_ > 0;
      lock.unlock();
      if (wake_another) wake_.notify_one();
      task();
      task = nullptr;  // destroy captures outside the lock
      lock.lock();
      spun = false;
      continue;
    }
    if (stopping_) return;
    if (!spun && spinning_ == 0) {
      spun = true;
      ++spinning_;
      lock.unlock();
      const auto deadline = std::chrono::steady_clock::now() + kSpin;
      while (queued_.load(std::memory_order_acquire) == 0 &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
      lock.lock();
      --spinning_;
      continue;
    }
    ++sleeping_;
    wake_.wait(lock);
    --sleeping_;
    spun = false;
  }
}

}  // namespace cv::http
