// Metric families of the server's background work (issue 15), updated where the work happens:
//
//  cloudvault_meta_commit_batch_size (histogram): changes per metadata group commit;
//  cloudvault_meta_fsync_seconds (histogram): how long each group commit's COMMIT took
//      (with synchronous=FULL, the write-ahead log's fsync);
//  cloudvault_notification_deliveries_total{target, outcome="delivered|retried|failed"}:
//      how each try of a notification task ended (failed: parked), per configured target;
//  cloudvault_lifecycle_pass_duration_seconds (histogram), cloudvault_lifecycle_transitions_total
//      {storage_class} (the class moved to), cloudvault_lifecycle_expirations_total (current
//      versions expired, noncurrent versions and expired delete markers removed).
//
// Labels are bounded: targets come from the configuration, classes from S3's short list.
// Thread-safe; must outlive whatever reports to it (the store's writer thread, the consumers).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <string>
#include <vector>

#include "meta/commit_observer.h"
#include "workers/lifecycle_worker.h"
#include "workers/outbox/outbox_task_runner.h"

namespace cv::app {

class JobMetrics final : public meta::CommitObserver {
 public:
  explicit JobMetrics(prometheus::Registry& registry);

  // Shows the delivery counters of each target at 0 before its first try (so rates start
  // from the first delivery); targets added later appear at their first try.
  void notification_targets(const std::vector<std::string>& targets);

  void batch_committed(size_t changes, std::chrono::nanoseconds commit_time) override;
  // One run of a notification target's tasks (OutboxConsumerOptions::on_report).
  void notification_run(const std::string& target, const workers::OutboxTaskRunner::Report& run);
  void lifecycle_pass(std::chrono::nanoseconds duration, const workers::LifecycleReport& report);

 private:
  prometheus::Histogram& commit_batch_size_;
  prometheus::Histogram& fsync_seconds_;
  prometheus::Family<prometheus::Counter>& deliveries_;
  prometheus::Histogram& lifecycle_pass_seconds_;
  prometheus::Family<prometheus::Counter>& transitions_;
  prometheus::Counter& expirations_;
};

}  // namespace cv::app
