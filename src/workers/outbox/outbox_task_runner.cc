#include "workers/outbox/outbox_task_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
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

bool OutboxTaskRunner::ends(const meta::OutboxTask& task, const TaskOutcome& outcome) const {
  return outcome.kind != TaskOutcome::Kind::kRetry || task.attempts + 1 >= policy_.max_attempts;
}

Result<OutboxTaskRunner::Report> OutboxTaskRunner::run_once() {
  const int64_t now = to_unix_nanos(clock_.now());
  Report report;
  if (now < hold_until_ns_) {
    report.held = true;
    return report;
  }
  std::vector<meta::OutboxTask> due = CV_TRY(store_.due_tasks(consumer_, target_, now, batch_));
  // Each task's outcome, in batch order; unset for tasks not tried (after a retryable failure
  // on their lane, or covered by another task's try).
  std::vector<std::optional<TaskOutcome>> outcomes(due.size());
  // Tasks an ending try covered: not to be run (shared by the lanes).
  std::mutex covered_mutex;
  std::unordered_set<int64_t> covered;
  auto run_lane = [&](const std::vector<size_t>& lane) {
    for (const size_t index : lane) {
      {
        std::lock_guard lock(covered_mutex);
        if (covered.contains(due[index].id)) continue;
      }
      outcomes[index] = executor_(due[index]);
      const TaskOutcome& outcome = *outcomes[index];
      if (!outcome.covers.empty() && ends(due[index], outcome)) {
        std::lock_guard lock(covered_mutex);
        covered.insert(outcome.covers.begin(), outcome.covers.end());
      }
      if (outcome.kind == TaskOutcome::Kind::kRetry) return;
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
  // Each task ends at most once in a run: by its own try, or covered by an earlier one's (in
  // batch order; with lanes a covered task may also have run on another lane meanwhile).
  std::unordered_set<int64_t> ended;
  for (size_t i = 0; i < due.size(); ++i) {
    if (!outcomes[i] || !ended.insert(due[i].id).second) continue;
    const TaskOutcome& outcome = *outcomes[i];
    meta::OutboxTask& task = due[i];
    if (outcome.kind == TaskOutcome::Kind::kDone) {
      finished.push_back(task.id);
      ++report.done;
      for (const int64_t id : outcome.covers) {
        if (!ended.insert(id).second) continue;
        finished.push_back(id);
        ++report.done;
      }
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
      for (const int64_t id : outcome.covers) {
        if (!ended.insert(id).second) continue;
        meta::OutboxTask other = task;  // parked as it is, with its error and attempts
        other.id = id;
        failed.push_back(std::move(other));
        ++report.parked;
      }
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
