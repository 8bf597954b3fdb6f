// The doing side of one outbox consumer, for one target: runs the target's due tasks and
// records how each try ended. Done tasks are removed; a failed try is retried later with
// exponential backoff and jitter; a task whose failure a retry cannot fix, or that failed
// `max_attempts` times, is parked as failed (visible, retried only by hand:
// MetaStore::retry_tasks). Outcomes are written in at most two store writes per batch.
//
// Contract: at least once. A task is removed only after its executor reported it done, so
// a crash in between runs it again; executors must be idempotent for their target (a
// webhook receiver sees a duplicate, a replica is skipped). One runner per (consumer,
// target): a slow or failing target delays only its own tasks.
//
// Thread-compatible: one run_once at a time per instance.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::workers {

// How one try of a task ended.
struct TaskOutcome {
  enum class Kind {
    kDone,       // the work is done: the task is removed
    kRetry,      // a temporary failure (target down, timeout, 5xx): try again later
    kPermanent,  // a retry cannot fix it (bad address, 4xx, missing bucket): park now
  };
  Kind kind = Kind::kDone;
  std::string error;  // why, for logs and `admin events list --failed`
  // Other tasks of the same consumer and target this try did the work of (a digest: one
  // message for many tasks). When this task is removed (done) or parked (a permanent failure,
  // or its last try), so are they (parked with this try's error and attempts), and those in
  // the runner's batch are not run; when it is to be retried, they stay as they are. With
  // several lanes, a covered task another lane has already started runs all the same (still
  // at least once): a consumer that needs each group sent once uses one lane per target.
  std::vector<int64_t> covers;

  static TaskOutcome done() { return {}; }
  static TaskOutcome retry(std::string why) { return {Kind::kRetry, std::move(why)}; }
  static TaskOutcome permanent(std::string why) { return {Kind::kPermanent, std::move(why)}; }
};

// Runs one try; blocking, bounded by the executor's own timeouts.
using TaskExecutor = std::function<TaskOutcome(const meta::OutboxTask&)>;

struct RetryPolicy {
  std::chrono::milliseconds first_delay{1'000};
  std::chrono::milliseconds max_delay{10 * 60'000};
  int max_attempts = 12;  // failed tries before the task is parked
};

// The delay before try number attempts + 1: first_delay * 2^(attempts - 1), capped at
// max_delay, then scaled by a random factor in [0.5, 1) so that tasks failing together do
// not retry together.
std::chrono::nanoseconds retry_delay(const RetryPolicy& policy, int attempts, std::mt19937_64& rng);

class OutboxTaskRunner {
 public:
  // `parallelism` > 1 runs a batch's tasks on that many threads ("lanes"), the tasks of one
  // key always on the same lane in order (so per-key order holds within a run; a retried task
  // comes due after its key's later tasks, as it does with one lane); the executor must then
  // be thread-safe. Lets a target whose every task waits on a commit (replication into this
  // server) share commits instead of queueing for them one by one.
  OutboxTaskRunner(meta::MetaStore& store, std::string consumer, std::string target,
                   TaskExecutor executor, RetryPolicy policy, const Clock& clock,
                   size_t batch = 256, size_t parallelism = 1);

  struct Report {
    size_t done = 0;
    size_t retried = 0;
    size_t parked = 0;
    bool held = false;  // the target is held after a retryable failure: nothing was tried
  };
  // Runs up to one batch of the target's due tasks, in order, and records their outcomes
  // (with those of the tasks an outcome covers, which are counted as done or parked too and
  // never run once covered, so a digest is sent once per run however its tasks are batched).
  // A retryable failure ends the batch and holds the whole target (every later run_once
  // returns at once, reading nothing) for retry_delay(policy, N), N = runs in a row that ended
  // in a retryable failure; the first success resets N. So a target that is down costs one
  // probe per hold, not a try and a store write per task, and a task that alone keeps failing
  // holds the others back only for one short delay at a time. Permanent failures (parked) do
  // not hold the target. With parallelism, a retryable failure ends its lane's part of the
  // batch (the other lanes finish theirs) and holds the target the same way.
  Result<Report> run_once();

 private:
  // Whether this try ends the task (done, or parked: a permanent failure or its last try).
  bool ends(const meta::OutboxTask& task, const TaskOutcome& outcome) const;

  meta::MetaStore& store_;
  std::string consumer_;
  std::string target_;
  TaskExecutor executor_;
  RetryPolicy policy_;
  const Clock& clock_;
  size_t batch_;
  size_t parallelism_;
  std::mt19937_64 rng_;
  int consecutive_failures_ = 0;
  int64_t hold_until_ns_ = 0;
};

}  // namespace cv::workers
