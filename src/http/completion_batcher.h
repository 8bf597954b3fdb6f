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
// Thread-safe. The WorkerPool must outlive the batcher, and the batcher must outlive the
// pool's last task (join the pool before destroying the batcher).
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "http/worker_pool.h"

namespace cv::http {

class CompletionBatcher {
 public:
  using Completion = std::move_only_function<void()>;
  static constexpr size_t kBatch = 256;

  explicit CompletionBatcher(WorkerPool& workers) : workers_(workers) {}
  CompletionBatcher(const CompletionBatcher&) = delete;
  CompletionBatcher& operator=(const CompletionBatcher&) = delete;

  // Queues `completion` to run on a worker; never blocks beyond a short lock.
  void add(Completion completion);

 private:
  // Worker: runs waiting completions until none are left.
  void drain();

  WorkerPool& workers_;
  std::mutex mutex_;
  std::vector<Completion> pending_;
  size_t drains_ = 0;  // drain tasks posted and not yet finished
};

}  // namespace cv::http
