// Runs a task on its own thread every `interval` until destroyed (the destructor waits for a
// running task to finish). The first run comes one interval after construction. With
// `thread_nice` above 0 the thread runs at that nice value (background work that yields the
// CPU to requests: core/thread_priority.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace cv::app {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task,
               int thread_nice = 0);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void loop();

  std::chrono::milliseconds interval_;
  std::function<void()> task_;
  int thread_nice_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace cv::app
