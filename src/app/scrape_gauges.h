// The metric families a scrape computes (issue 15), registered on the server's Metrics with
// add_collectable: state that already lives in the metadata store or the file system, read
// when /metrics is asked for instead of mirrored into gauges that could drift.
//
//  cloudvault_bucket_objects / _bytes / _noncurrent_versions / _noncurrent_bytes
//      {bucket, storage_class}, cloudvault_bucket_delete_markers{bucket}: the storage usage
//      counters (MetaStore::storage_usage, kept by every change of a version);
//  cloudvault_multipart_uploads_in_progress;
//  cloudvault_outbox_depth / _oldest_age_seconds / _failed_tasks {consumer};
//  cloudvault_replication_pending / _pending_bytes / _lag_seconds {bucket};
//  cloudvault_trail_queue_records, cloudvault_trail_files_total (with the audit trail on);
//  cloudvault_sqlite_wal_bytes; cloudvault_connections_open, cloudvault_connections_total.
//
// Store reads are cached for `max_age` (a scrape storm costs one set of reads per period);
// each read is an index or counter-table read, never a scan of the objects. A failed read
// leaves its families out of that scrape (and is logged), never fails the scrape.
//
// Thread-safe: Collect() may run on several threads at once (concurrent scrapes).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/trail_writer.h"
#include "core/clock.h"
#include "http/server.h"
#include "meta/meta_store.h"

namespace cv::app {

struct ScrapeSources {
  meta::MetaStore* meta = nullptr;  // required
  const Clock* clock = nullptr;     // required: ages are measured against it
  std::filesystem::path wal_file;   // the SQLite write-ahead log (absent: 0 bytes)
  // The outbox consumer whose tasks are replication's (workers::replicate::kReplicateConsumer).
  std::string replicate_consumer = "replicate";
  audit::TrailWriter* trail = nullptr;                  // null: the trail families are left out
  std::function<http::ConnectionCounts()> connections;  // empty: those families left out
  std::chrono::milliseconds max_age{2000};              // how long store reads are reused
};

class ScrapeGauges final : public prometheus::Collectable {
 public:
  explicit ScrapeGauges(ScrapeSources sources) : sources_(std::move(sources)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  // What the store said at one time.
  struct StoreReading {
    std::optional<std::vector<meta::StorageUsage>> usage;
    std::optional<uint64_t> uploads;
    std::optional<std::vector<meta::OutboxBacklog>> outbox;
    std::optional<std::vector<meta::BucketBacklog>> replication;
    std::optional<std::vector<meta::ReplicationStats>> replication_stats;
    std::optional<uint64_t> trail_backlog;
  };
  StoreReading read_store() const;

  ScrapeSources sources_;
  mutable std::mutex mutex_;  // one refresh at a time; guards the cache
  mutable std::optional<std::chrono::steady_clock::time_point> read_at_;
  mutable StoreReading reading_;
};

}  // namespace cv::app
