// The threads that run request handlers and read response bodies: work that blocks (SQLite,
// fsync, disk reads) and so must stay off the network threads.
//
// Handing a task to a sleeping thread costs a futex wake and a context switch, which on a
// small virtual machine is the largest cost of a small request. So an idle worker first
// spins briefly (yielding the CPU) watching the queue before it sleeps, and post() wakes a
// sleeper only when no worker is spinning: under load most tasks are picked up without any
// wake-up. At most one worker spins at a time, for at most kSpin.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cv::http {

// Thread-safe.
class WorkerPool {
 public:
  using Task = std::move_only_function<void()>;

  static constexpr std::chrono::microseconds kSpin{50};

  // Starts `threads` (at least 1) threads.
  explicit WorkerPool(size_t threads);
  // join()s.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run on some worker thread. Tasks must not throw. After join() tasks
  // are dropped.
  void post(Task task);
  // Runs the tasks already queued, then ends the threads. Idempotent; must not be called
  // from a worker.
  void join();

 private:
  void work();

  std::mutex join_mutex_;  // serialises join()
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::atomic<size_t> queued_ = 0;  // tasks_.size(), readable without the lock
  size_t sleeping_ = 0;
  size_t spinning_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cv::http
