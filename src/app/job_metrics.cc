#include "app/job_metrics.h"

namespace cv::app {
namespace {

prometheus::Histogram& histogram(prometheus::Registry& registry, const std::string& name,
                                 const std::string& help,
                                 const prometheus::Histogram::BucketBoundaries& bounds) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(registry).Add({}, bounds);
}

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace

JobMetrics::JobMetrics(prometheus::Registry& registry)
    : commit_batch_size_(histogram(registry, "cloudvault_meta_commit_batch_size",
                                   "Changes that shared one metadata group commit.",
                                   {1, 2, 4, 8, 16, 32, 64, 128, 256})),
      fsync_seconds_(histogram(
          registry, "cloudvault_meta_fsync_seconds",
          "Time of each metadata group commit's COMMIT (its fsync).",
          {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1})),
      deliveries_(prometheus::BuildCounter()
                      .Name("cloudvault_notification_deliveries_total")
                      .Help("Tries of notification deliveries by target and how they ended "
                            "(delivered, retried later, failed and parked).")
                      .Register(registry)),
      lifecycle_pass_seconds_(histogram(registry, "cloudvault_lifecycle_pass_duration_seconds",
                                        "Duration of each lifecycle pass of the server.",
                                        {0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600})),
      transitions_(prometheus::BuildCounter()
                       .Name("cloudvault_lifecycle_transitions_total")
                       .Help("Versions lifecycle rules moved to another storage class, by the "
                             "class moved to.")
                       .Register(registry)),
      expirations_(prometheus::BuildCounter()
                       .Name("cloudvault_lifecycle_expirations_total")
                       .Help("Versions and delete markers lifecycle rules expired.")
                       .Register(registry)
                       .Add({})) {
  // The classes lifecycle rules move versions to (vault/lifecycle_rules.h), at 0.
  for (const char* storage_class : {"STANDARD_IA", "GLACIER"}) {
    transitions_.Add({{"storage_class", storage_class}});
  }
}

void JobMetrics::notification_targets(const std::vector<std::string>& targets) {
  for (const std::string& target : targets) {
    for (const char* outcome : {"delivered", "retried", "failed"}) {
      deliveries_.Add({{"target", target}, {"outcome", outcome}});
    }
  }
}

void JobMetrics::batch_committed(size_t changes, std::chrono::nanoseconds commit_time) {
  commit_batch_size_.Observe(static_cast<double>(changes));
  fsync_seconds_.Observe(seconds(commit_time));
}

void JobMetrics::notification_run(const std::string& target,
                                  const workers::OutboxTaskRunner::Report& run) {
  // Family::Add returns the existing series for known labels (thread-safe).
  if (run.done > 0) {
    deliveries_.Add({{"target", target}, {"outcome", "delivered"}})
        .Increment(static_cast<double>(run.done));
  }
  if (run.retried > 0) {
    deliveries_.Add({{"target", target}, {"outcome", "retried"}})
        .Increment(static_cast<double>(run.retried));
  }
  if (run.parked > 0) {
    deliveries_.Add({{"target", target}, {"outcome", "failed"}})
        .Increment(static_cast<double>(run.parked));
  }
}

void JobMetrics::lifecycle_pass(std::chrono::nanoseconds duration,
                                const workers::LifecycleReport& report) {
  lifecycle_pass_seconds_.Observe(seconds(duration));
  for (const auto& [storage_class, count] : report.transitioned_to) {
    transitions_.Add({{"storage_class", storage_class}}).Increment(static_cast<double>(count));
  }
  const uint64_t expired =
      report.expired + report.noncurrent_deleted + report.delete_markers_removed;
  if (expired > 0) expirations_.Increment(static_cast<double>(expired));
}

}  // namespace cv::app
