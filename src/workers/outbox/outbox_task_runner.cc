#include "workers/outbox/outbox_task_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

namespace cv::workers {

std::chrono::nanoseconds retry_delay(const RetryPolicy& policy, int attempts,
                                     std::mt19937_64& rng) {
  using std::chrono::nanoseconds;
  const nanoseconds cap = policy.max_delay;
  nanoseconds delay = policy.first_delay;
  for (int i = 1; i < attempts && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  std::uniform_real_distribution<double> factor(0.5, 1.0);
  return nanoseconds(static_cast<int64_t>(static_cast<double>(delay.count()) * factor(rng)));
}

OutboxTaskRunner::OutboxTaskRunner(meta::MetaStore& store, std::string consumer,
                                   std::string target, TaskExecutor executor, RetryPolicy policy,
                                   const Clock& clock, size_t batch, size_t parallelism)
    : store_(store),
      consumer_(std::move(consumer)),
      target_(std::move(target)),
      executor_(std::move(executor)),
      policy_(policy),
      clock_(clock),
      batch_(batch == 0 ? 1 : batch),
      parallelism_(parallelism == 0 ? 1 : parallelism),
      rng_(std::random_device{}()) {}

Result<OutboxTaskRunner::Report> OutboxTaskRunner::run_once() {
  const int64_t now = to_unix_nanos(clock_.now());
  Report report;
  if (now < hold_until_ns_) {
    report.held = true;
    return report;
  }
  std::vector<meta::OutboxTask> due = CV_TRY(store_.due_tasks(consumer_, target_, now, batch_));
  // Each task's outcome, in batch order; unset for tasks not tried (after a retryable failure
  // on their lane).
  std::vector<std::optional<TaskOutcome>> outcomes(due.size());
  auto run_lane = [&](const std::vector<size_t>& lane) {
    for (const size_t index : lane) {
      outcomes[index] = executor_(due[index]);
      if (outcomes[index]->kind == TaskOutcome::Kind::kRetry) return;
    }
  };
  const size_t lanes_wanted = std::min(parallelism_, due.size());
  if (lanes_wanted <= 1) {
    std::vector<size_t> all(due.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    run_lane(all);
  } else {
    std::vector<std::vector<size_t>> lanes(lanes_wanted);
    const std::hash<std::string> hash;
    for (size_t i = 0; i < due.size(); ++i) {
      lanes[hash(due[i].event.bucket + '/' + due[i].event.key) % lanes.size()].push_back(i);
    }
    std::vector<std::thread> threads;
    for (const std::vector<size_t>& lane : lanes) {
      if (!lane.empty()) threads.emplace_back(run_lane, std::cref(lane));
    }
    for (std::thread& thread : threads) thread.join();
  }
  std::vector<int64_t> finished;
  std::vector<meta::OutboxTask> failed;
  bool retryable_failure = false;
  for (size_t i = 0; i < due.size(); ++i) {
    if (!outcomes[i]) continue;
    const TaskOutcome& outcome = *outcomes[i];
    meta::OutboxTask& task = due[i];
    if (outcome.kind == TaskOutcome::Kind::kDone) {
      finished.push_back(task.id);
      ++report.done;
      continue;
    }
    ++task.attempts;
    task.last_error = outcome.error;
    const bool park =
        outcome.kind == TaskOutcome::Kind::kPermanent || task.attempts >= policy_.max_attempts;
    if (park) {
      task.failed = true;
      ++report.parked;
      spdlog::warn("{} to {}: event {} ({} {}/{}) failed after {} tries, parked: {}", consumer_,
                   target_, task.event_seq, task.event.name, task.event.bucket, task.event.key,
                   task.attempts, task.last_error);
    } else {
      task.next_try_ns = now + retry_delay(policy_, task.attempts, rng_).count();
      ++report.retried;
      spdlog::info("{} to {}: event {} ({} {}/{}) try {} failed, retrying: {}", consumer_,
                   target_, task.event_seq, task.event.name, task.event.bucket, task.event.key,
                   task.attempts, task.last_error);
    }
    if (outcome.kind == TaskOutcome::Kind::kRetry) retryable_failure = true;
    failed.push_back(std::move(task));
  }
  if (retryable_failure) {
    // The target is likely down or overloaded: hold it rather than try (and rewrite) every
    // other task; the hold grows with each failed run and ends at the first success.
    if (report.done > 0) consecutive_failures_ = 0;
    ++consecutive_failures_;
    hold_until_ns_ = now + retry_delay(policy_, consecutive_failures_, rng_).count();
  } else if (report.done > 0) {
    consecutive_failures_ = 0;
  }
  CV_TRY(store_.finish_tasks(finished));
  CV_TRY(store_.update_tasks(failed));
  return report;
}

}  // namespace cv::workers
