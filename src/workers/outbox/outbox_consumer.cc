#include "workers/outbox/outbox_consumer.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "core/thread_priority.h"

namespace cv::workers {

OutboxConsumer::OutboxConsumer(meta::MetaStore& store, const Clock& clock, std::string consumer,
                               OutboxPlanner planner, ExecutorFactory executor_for,
                               OutboxConsumerOptions options)
    : store_(store),
      clock_(clock),
      consumer_(std::move(consumer)),
      planner_(std::move(planner)),
      executor_for_(std::move(executor_for)),
      options_(options) {}

OutboxConsumer::~OutboxConsumer() { stop(); }

Status OutboxConsumer::start() {
  auto fan_out = CV_TRY(OutboxFanOut::open(store_, consumer_, planner_, options_.fan_out_batch));
  fan_out_ = std::make_unique<OutboxFanOut>(std::move(fan_out));
  fan_out_thread_ = std::thread([this] { fan_out_loop(); });
  return {};
}

void OutboxConsumer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stopping_signal_.notify_all();
  if (fan_out_thread_.joinable()) fan_out_thread_.join();
  // No new target threads start once stopping_ is set (start_new_targets checks it).
  std::map<std::string, std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(target_threads_);
  }
  for (auto& [target, thread] : threads) thread.join();
}

bool OutboxConsumer::pause(std::chrono::milliseconds period) {
  std::unique_lock lock(mutex_);
  return !stopping_signal_.wait_for(lock, period, [this] { return stopping_; });
}

bool OutboxConsumer::pause_for_work(std::chrono::milliseconds period, uint64_t& seen) {
  std::unique_lock lock(mutex_);
  stopping_signal_.wait_for(lock, period, [&] { return stopping_ || planned_ != seen; });
  seen = planned_;
  return !stopping_;
}

void OutboxConsumer::lower_priority() const {
  if (auto lowered = lower_this_thread_priority(options_.thread_nice); !lowered) {
    spdlog::warn("{}: {}", consumer_, lowered.error().message);
  }
}

void OutboxConsumer::fan_out_loop() {
  lower_priority();
  while (true) {
    auto passed = fan_out_->run_once();
    if (!passed) {
      spdlog::error("{}: reading the outbox failed (retrying): {}", consumer_,
                    passed.error().message);
    }
    start_new_targets();
    if (passed && *passed > 0) {
      // New tasks may be due now: wake the target threads instead of letting them poll.
      {
        std::lock_guard lock(mutex_);
        ++planned_;
      }
      stopping_signal_.notify_all();
    }
    // A full batch means more is waiting: go on at once (unless stopping).
    const bool more = passed && *passed >= options_.fan_out_batch;
    if (!pause(more ? std::chrono::milliseconds(0) : options_.idle_poll)) return;
  }
}

void OutboxConsumer::start_new_targets() {
  auto targets = store_.pending_targets(consumer_);
  if (!targets) {
    spdlog::error("{}: listing targets failed: {}", consumer_, targets.error().message);
    return;
  }
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  for (const std::string& target : *targets) {
    if (target_threads_.contains(target)) continue;
    target_threads_.emplace(target, std::thread([this, target] { target_loop(target); }));
  }
}

void OutboxConsumer::target_loop(const std::string& target) {
  lower_priority();
  OutboxTaskRunner runner(store_, consumer_, target, executor_for_(target), options_.retry, clock_,
                          options_.task_batch, options_.task_parallelism);
  uint64_t seen = 0;
  while (true) {
    const auto started = std::chrono::steady_clock::now();
    auto report = runner.run_once();
    if (options_.on_batch && (!report || report->done + report->retried + report->parked > 0)) {
      options_.on_batch(target, report, std::chrono::steady_clock::now() - started);
    }
    if (!report) {
      spdlog::error("{} to {}: running tasks failed (retrying): {}", consumer_, target,
                    report.error().message);
    } else if (options_.on_report) {
      options_.on_report(target, *report);
    }
    const bool more =
        report && report->done + report->retried + report->parked >= options_.task_batch;
    if (!pause_for_work(more ? std::chrono::milliseconds(0) : options_.idle_poll, seen)) return;
  }
}

}  // namespace cv::workers
