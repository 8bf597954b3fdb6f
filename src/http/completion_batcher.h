// Runs exchange completions (Response::on_complete) on the worker pool, many per hand-off: a
// network thread adds a completion and returns at once; a drain task on a worker runs what
// has gathered. Under load many completions share one hop, so a completion hook (the audit
// trail's record) costs no extra thread hand-off per request.
//
// Backpressure is kept: a drain takes at most kBatch completions at a time, and whenever more
// than kBatch per running drain are waiting another drain is posted. A hook that blocks (a
// full audit queue) so ties up more workers as completions pile up, until handlers wait for
// workers and the server slows down; the backlog stays below about kBatch per worker.
// Completions may run in another order than they were added.
//
// After each batch (the up to kBatch completions one drain took at once) has run, the drain
// calls `on_batch_end` on the same worker, before it takes the next batch: a consumer that
// gathers what the completions produce (the access log) writes it out there, so nothing a
// completion made waits longer than the end of its batch.
//
// Thread-safe. The WorkerPool must outlive the batcher, and the batcher must outlive the
// pool's last task (join the pool before destroying the batcher).
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "http/worker_pool.h"

namespace cv::http {

class CompletionBatcher {
 public:
  using Completion = std::move_only_function<void()>;
  static constexpr size_t kBatch = 256;

  // `on_batch_end` (empty: none) runs after each batch, on the worker that ran it; it may run
  // on several workers at once.
  explicit CompletionBatcher(WorkerPool& workers, std::function<void()> on_batch_end = {})
      : workers_(workers), on_batch_end_(std::move(on_batch_end)) {}
  CompletionBatcher(const CompletionBatcher&) = delete;
  CompletionBatcher& operator=(const CompletionBatcher&) = delete;

  // Queues `completion` to run on a worker; never blocks beyond a short lock.
  void add(Completion completion);

 private:
  // Worker: runs waiting completions until none are left.
  void drain();

  WorkerPool& workers_;
  const std::function<void()> on_batch_end_;
  std::mutex mutex_;
  std::vector<Completion> pending_;
  size_t drains_ = 0;  // drain tasks posted and not yet finished
};

}  // namespace cv::http
