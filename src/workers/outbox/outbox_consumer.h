// One outbox consumer running in the background: a thread that fans new events out into
// tasks (OutboxFanOut), and one thread per target running that target's due tasks
// (OutboxTaskRunner), so a slow or unreachable target holds back only its own work. Targets
// are found from the store's pending tasks; a target's thread starts when it first has work.
// Idle threads poll the store every `idle_poll` (an indexed read), which also picks up work
// made due by another process (`cloudvault admin events retry`); a target thread is also woken
// as soon as the fan-out has planned new events, so a new task waits for one poll, not two.
//
// Thread-safe: start and stop from one thread; the threads share nothing but the store.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/error.h"
#include "meta/meta_store.h"
#include "workers/outbox/outbox_fan_out.h"
#include "workers/outbox/outbox_task_runner.h"

namespace cv::workers {

struct OutboxConsumerOptions {
  std::chrono::milliseconds idle_poll{10};
  size_t fan_out_batch = 512;
  size_t task_batch = 256;
  size_t task_parallelism = 1;  // lanes per target (OutboxTaskRunner); executors thread-safe
  // The nice value (0-19) of every thread of this consumer (fan-out, targets, their lanes):
  // above 0, deliveries yield the CPU to requests while both want it and catch up when the
  // requests leave room. 0: the priority of the thread that calls start().
  int thread_nice = 0;
  RetryPolicy retry;
  // Told how each run of a target's tasks ended once its outcomes are recorded (for metrics:
  // deliveries done, retried, parked per target); called on that target's thread, so it must
  // be thread-safe. Empty: nobody.
  std::function<void(const std::string& target, const OutboxTaskRunner::Report& report)> on_report;
  // Told of every batch a target's thread ran that tried a task (done, retried or parked) or
  // failed: the target, the batch's report or error, and how long it took; on that target's
  // thread. Idle polls are not reported. Empty: nothing is told (the server logs them:
  // app/job_log.h).
  std::function<void(const std::string& target, const Result<OutboxTaskRunner::Report>& report,
                     std::chrono::steady_clock::duration took)>
      on_batch;
};

class OutboxConsumer {
 public:
  // `executor_for(target)` makes the executor of one target's tasks (called once per target,
  // on that target's thread).
  using ExecutorFactory = std::function<TaskExecutor(const std::string& target)>;

  OutboxConsumer(meta::MetaStore& store, const Clock& clock, std::string consumer,
                 OutboxPlanner planner, ExecutorFactory executor_for,
                 OutboxConsumerOptions options = {});
  ~OutboxConsumer();  // stops

  // Registers the consumer (a new one starts at the newest event) and starts its threads.
  Status start();
  // Stops and joins every thread; work in flight finishes its current try first.
  void stop();

 private:
  void lower_priority() const;  // to options_.thread_nice, on the calling thread
  void fan_out_loop();
  void target_loop(const std::string& target);
  void start_new_targets();
  // Sleeps `period` (0: just checks) unless stop() comes first; false once stopping.
  bool pause(std::chrono::milliseconds period);
  // As pause(), but also wakes when the fan-out has planned work since `seen` (updated).
  bool pause_for_work(std::chrono::milliseconds period, uint64_t& seen);

  meta::MetaStore& store_;
  const Clock& clock_;
  std::string consumer_;
  OutboxPlanner planner_;
  ExecutorFactory executor_for_;
  OutboxConsumerOptions options_;

  std::mutex mutex_;
  std::condition_variable stopping_signal_;
  bool stopping_ = false;
  uint64_t planned_ = 0;  // bumped each time the fan-out passes events (wakes target threads)
  std::unique_ptr<OutboxFanOut> fan_out_;
  std::thread fan_out_thread_;
  std::map<std::string, std::thread> target_threads_;
};

}  // namespace cv::workers
