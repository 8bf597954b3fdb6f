#include "app/scrape_gauges.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>

namespace cv::app {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// The trail backlog is counted up to this many records (a count, not a scan of the trail).
constexpr size_t kTrailBacklogCap = 10'000'000;

MetricFamily family(std::string name, std::string help, MetricType type = MetricType::Gauge) {
  MetricFamily result;
  result.name = std::move(name);
  result.help = std::move(help);
  result.type = type;
  return result;
}

void add_gauge(MetricFamily& into, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric& metric = into.metric.emplace_back();
  metric.label = std::move(labels);
  if (into.type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
}

double seconds_since(int64_t then_ns, int64_t now_ns) {
  if (then_ns == 0 || then_ns >= now_ns) return 0;
  return static_cast<double>(now_ns - then_ns) / 1e9;
}

template <class T>
std::optional<T> logged(Result<T> result, std::string_view what) {
  if (!result) {
    spdlog::warn("metrics: reading {} failed: {}", what, result.error().message);
    return std::nullopt;
  }
  return std::move(*result);
}

void add_usage(std::vector<MetricFamily>& out, const std::vector<meta::StorageUsage>& usage) {
  MetricFamily objects = family("cloudvault_bucket_objects",
                                "Current versions that are not delete markers, by bucket and "
                                "storage class.");
  MetricFamily bytes =
      family("cloudvault_bucket_bytes", "Bytes of the current versions, by bucket and class.");
  MetricFamily noncurrent =
      family("cloudvault_bucket_noncurrent_versions",
             "Noncurrent versions (not delete markers), by bucket and class.");
  MetricFamily noncurrent_bytes = family("cloudvault_bucket_noncurrent_bytes",
                                         "Bytes of the noncurrent versions, by bucket and class.");
  MetricFamily markers =
      family("cloudvault_bucket_delete_markers", "Delete markers (current or not), by bucket.");
  std::map<std::string, uint64_t> markers_by_bucket;
  for (const meta::StorageUsage& row : usage) {
    const std::vector<ClientMetric::Label> labels{{"bucket", row.bucket},
                                                  {"storage_class", row.storage_class}};
    markers_by_bucket[row.bucket] += row.delete_markers;
    // A class holding only delete markers has no objects to show.
    if (row.objects + row.noncurrent_versions == 0) continue;
    add_gauge(objects, labels, static_cast<double>(row.objects));
    add_gauge(bytes, labels, static_cast<double>(row.bytes));
    add_gauge(noncurrent, labels, static_cast<double>(row.noncurrent_versions));
    add_gauge(noncurrent_bytes, labels, static_cast<double>(row.noncurrent_bytes));
  }
  for (const auto& [bucket, count] : markers_by_bucket) {
    add_gauge(markers, {{"bucket", bucket}}, static_cast<double>(count));
  }
  for (MetricFamily* each : {&objects, &bytes, &noncurrent, &noncurrent_bytes, &markers}) {
    out.push_back(std::move(*each));
  }
}

void add_outbox(std::vector<MetricFamily>& out, const std::vector<meta::OutboxBacklog>& backlog,
                int64_t now_ns) {
  MetricFamily depth = family("cloudvault_outbox_depth",
                              "Work an outbox consumer has not done: events it has not taken yet "
                              "plus tasks waiting for a try (parked ones not counted).");
  MetricFamily age = family("cloudvault_outbox_oldest_age_seconds",
                            "Age of the oldest event or waiting task of a consumer; 0 when none.");
  MetricFamily failed = family("cloudvault_outbox_failed_tasks",
                               "Tasks parked after their last try failed (retried by hand).");
  for (const meta::OutboxBacklog& consumer : backlog) {
    const std::vector<ClientMetric::Label> labels{{"consumer", consumer.consumer}};
    add_gauge(depth, labels, static_cast<double>(consumer.untaken_events + consumer.pending_tasks));
    add_gauge(age, labels, seconds_since(consumer.oldest_ns, now_ns));
    add_gauge(failed, labels, static_cast<double>(consumer.failed_tasks));
  }
  out.push_back(std::move(depth));
  out.push_back(std::move(age));
  out.push_back(std::move(failed));
}

// Buckets with replication tasks, and those that replicated before (at 0 when none wait), so
// a bucket that caught up shows lag 0 rather than disappearing.
void add_replication(std::vector<MetricFamily>& out,
                     const std::vector<meta::BucketBacklog>& backlog,
                     const std::vector<meta::ReplicationStats>& stats, int64_t now_ns) {
  MetricFamily pending = family("cloudvault_replication_pending",
                                "Versions waiting to be replicated (tasks pending or parked).");
  MetricFamily pending_bytes =
      family("cloudvault_replication_pending_bytes", "Bytes of the versions waiting.");
  MetricFamily lag = family("cloudvault_replication_lag_seconds",
                            "Age of the oldest version waiting to be replicated; 0 when none.");
  std::map<std::string, meta::BucketBacklog> by_bucket;
  for (const meta::ReplicationStats& rule : stats) by_bucket[rule.bucket].bucket = rule.bucket;
  for (const meta::BucketBacklog& bucket : backlog) by_bucket[bucket.bucket] = bucket;
  for (const auto& [name, bucket] : by_bucket) {
    const std::vector<ClientMetric::Label> labels{{"bucket", name}};
    add_gauge(pending, labels, static_cast<double>(bucket.tasks));
    add_gauge(pending_bytes, labels, static_cast<double>(bucket.bytes));
    add_gauge(lag, labels, seconds_since(bucket.oldest_ns, now_ns));
  }
  out.push_back(std::move(pending));
  out.push_back(std::move(pending_bytes));
  out.push_back(std::move(lag));
}

}  // namespace

ScrapeGauges::StoreReading ScrapeGauges::read_store() const {
  meta::MetaStore& meta = *sources_.meta;
  StoreReading reading;
  reading.usage = logged(meta.storage_usage(), "storage usage");
  reading.uploads = logged(meta.uploads_in_progress(), "multipart uploads");
  reading.outbox = logged(meta.outbox_backlog(), "the outbox backlog");
  reading.replication =
      logged(meta.task_backlog_by_bucket(sources_.replicate_consumer), "the replication backlog");
  reading.replication_stats = logged(meta.replication_stats(""), "replication stats");
  if (sources_.trail != nullptr) {
    auto backlog = logged(meta.trail_backlog(kTrailBacklogCap), "the trail backlog");
    if (backlog) reading.trail_backlog = backlog->records;
  }
  return reading;
}

std::vector<MetricFamily> ScrapeGauges::Collect() const {
  std::vector<MetricFamily> out;
  const int64_t now_ns = to_unix_nanos(sources_.clock->now());
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!read_at_ || now - *read_at_ >= sources_.max_age) {
      reading_ = read_store();
      read_at_ = now;
    }
    if (reading_.usage) add_usage(out, *reading_.usage);
    if (reading_.uploads) {
      MetricFamily uploads = family("cloudvault_multipart_uploads_in_progress",
                                    "Multipart uploads created and not yet completed or aborted.");
      add_gauge(uploads, {}, static_cast<double>(*reading_.uploads));
      out.push_back(std::move(uploads));
    }
    if (reading_.outbox) add_outbox(out, *reading_.outbox, now_ns);
    if (reading_.replication && reading_.replication_stats) {
      add_replication(out, *reading_.replication, *reading_.replication_stats, now_ns);
    }
    if (sources_.trail != nullptr && reading_.trail_backlog) {
      MetricFamily queue =
          family("cloudvault_trail_queue_records",
                 "Audit records not yet in a written log file (queued in memory or stored).");
      add_gauge(queue, {},
                static_cast<double>(*reading_.trail_backlog + sources_.trail->queued_records()));
      out.push_back(std::move(queue));
    }
  }
  if (sources_.trail != nullptr) {
    MetricFamily files =
        family("cloudvault_trail_files_total",
               "Audit trail log files written since the server started.", MetricType::Counter);
    add_gauge(files, {}, static_cast<double>(sources_.trail->files_written()));
    out.push_back(std::move(files));
  }
  std::error_code ec;
  const auto wal_bytes = std::filesystem::file_size(sources_.wal_file, ec);
  MetricFamily wal = family("cloudvault_sqlite_wal_bytes",
                            "Size of the metadata store's SQLite write-ahead log file.");
  add_gauge(wal, {}, ec ? 0.0 : static_cast<double>(wal_bytes));
  out.push_back(std::move(wal));
  if (sources_.connections) {
    const http::ConnectionCounts counts = sources_.connections();
    MetricFamily open = family("cloudvault_connections_open", "Client connections open now.");
    add_gauge(open, {}, static_cast<double>(counts.open));
    MetricFamily total =
        family("cloudvault_connections_total",
               "Client connections accepted since the server started.", MetricType::Counter);
    add_gauge(total, {}, static_cast<double>(counts.accepted));
    out.push_back(std::move(open));
    out.push_back(std::move(total));
  }
  return out;
}

}  // namespace cv::app
