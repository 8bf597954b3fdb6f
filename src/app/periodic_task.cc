#include "app/periodic_task.h"

#include <spdlog/spdlog.h>

#include "core/thread_priority.h"

namespace cv::app {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task,
                           int thread_nice)
    : interval_(interval),
      task_(std::move(task)),
      thread_nice_(thread_nice),
      thread_([this] { loop(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::loop() {
  if (auto lowered = lower_this_thread_priority(thread_nice_); !lowered) {
    spdlog::warn("periodic task: {}", lowered.error().message);
  }
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    task_();
    lock.lock();
  }
}

}  // namespace cv::app
