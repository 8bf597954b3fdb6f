// Whether the server can do its work (GET /_cloudvault/ready, issue 15): the metadata store
// answers a read, every data folder (the data folder and each storage tier's) takes a write
// and has free space above [health] min_free_ratio, and the master key is loaded and its
// file still holds it. Also the metrics that follow from it: cloudvault_disk_free_bytes,
// cloudvault_disk_total_bytes and cloudvault_disk_free_ratio per folder ("data",
// "standard_ia", "glacier"), cloudvault_ready and cloudvault_master_key_readable (1/0).
//
// The checks run when asked (a request to /ready, a scrape of /metrics), on the asking
// worker thread, at most once per `cache_for`: a folder's check creates, writes one byte
// to, fdatasyncs and removes a probe file, so a burst of probes costs one round of I/O.
//
// Thread-safe. The MetaStore must outlive it.
#pragma once

#include <prometheus/collectable.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "meta/meta_store.h"

namespace cv::app {

// A folder whose space and writability readiness watches. `name` is the metrics label
// (bounded: "data" or a tier's name).
struct WatchedFolder {
  std::string name;
  std::filesystem::path path;
};

struct FolderCheck {
  std::string name;
  std::filesystem::path path;
  bool writable = false;
  uint64_t free_bytes = 0;   // available to the server (statvfs f_bavail)
  uint64_t total_bytes = 0;  // the file system's size
  double free_ratio = 0;     // free_bytes / total_bytes
  bool ok = false;           // writable, and free_ratio at least the minimum
  std::string detail;        // what failed; empty when ok
};

struct ReadinessReport {
  bool metadata_ok = false;
  std::string metadata_detail;
  std::vector<FolderCheck> folders;
  bool master_key_ok = false;
  std::string master_key_detail;

  bool ready() const;
};

// The JSON body of /_cloudvault/ready: {"status":"ready"|"not_ready","checks":[{"name":
// "metadata","ok":..,"detail":..},{"name":"data_folder","folder":..,"path":..,"ok":..,
// "writable":..,"free_bytes":..,"total_bytes":..,"free_ratio":..,"detail":..},...,{"name":
// "master_key","ok":..,"detail":..}]}. Without `full`, each check has only its name (and
// folder) and ok: what a peer that is not on loopback is told.
std::string readiness_json(const ReadinessReport& report, bool full);

struct ReadinessOptions {
  double min_free_ratio = 0.02;  // [health] min_free_ratio
  std::chrono::milliseconds cache_for{1000};
};

class Readiness final : public prometheus::Collectable {
 public:
  // `master_key`: the key the server loaded (32 bytes; anything else fails the check);
  // `master_key_file`: where it was read from.
  Readiness(meta::MetaStore& meta, std::vector<WatchedFolder> folders,
            std::filesystem::path master_key_file, std::string master_key,
            ReadinessOptions options);

  // The latest report, checked again when older than `cache_for`.
  ReadinessReport report() const;
  // The checks, run now.
  ReadinessReport check_now() const;

  // The disk, readiness and master-key gauges of report().
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  FolderCheck check_folder(const WatchedFolder& folder) const;
  void check_master_key(ReadinessReport& report) const;

  meta::MetaStore& meta_;
  const std::vector<WatchedFolder> folders_;
  const std::filesystem::path master_key_file_;
  const std::string master_key_;
  const ReadinessOptions options_;

  mutable std::mutex mutex_;  // one round of checks at a time; guards the cache
  mutable ReadinessReport cached_;
  mutable std::chrono::steady_clock::time_point checked_at_{};
  mutable bool has_cached_ = false;
};

}  // namespace cv::app
